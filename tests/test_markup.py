"""Content Markdown: the shortcut for plain text gives exactly what the parser gives."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen import markup

# Characters that mean something to Markdown or HTML, white space of every kind, and
# letters of the site's scripts, so generated texts hit every branch of the shortcut.
SPECIAL = [*list("\\`*_[]()<>&!#+-=.:|~{}\"' \t\n\r"), "\xa0", "\u2028", "\x02", "  "]
LETTERS = [*list("aZ09ệẩ한국ไทย"), " "]
TEXT = st.lists(st.sampled_from(SPECIAL + LETTERS * 3), min_size=1, max_size=30).map("".join)


@settings(max_examples=3000, deadline=None)
@given(TEXT)
@example("Binh Duong is a province in southern Vietnam.")
@example("1. Not inert: an ordered list")
@example("- Not inert: a list")
@example("Fish & chips")
@example("Trailing space ")
def test_plain_text_shortcut_matches_the_parser(text: str) -> None:
    assert markup.render.__wrapped__(text) == markup.convert(text)


def test_plain_sentences_take_the_shortcut() -> None:
    for text in ("Thủ Dầu Một là thành phố.", "스마트 도시 빈즈엉성", "เมืองอัจฉริยะ ทดสอบ",
                 "The city (Hue) won in 2023, again!"):
        assert markup.is_inert(text), text
    for text in ("**bold**", "a [link](https://example.org/)", "<b>x</b>", "a & b",
                 "# heading", "2019. A year", "two  spaces", "line\nbreak"):
        assert not markup.is_inert(text), text
