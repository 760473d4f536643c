"""Content Markdown: the shortcut for plain text gives exactly what the parser gives."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from sitegen import markup, safe
from sitegen.i18n import Formatter
from sitegen.model import Text
from sitegen.snippets import Snippets, fast_gettext

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


class _Identity:
    """A catalog that translates every text as itself."""

    @staticmethod
    def gettext(message: str) -> str:
        return message


# Interface texts with values, as fast_gettext formats them: the same as Markup's own %.
_TRANSLATED = st.sampled_from([
    "as of %(date)s", "%(value)s and %(unit)s", "100%% of %(value)s", "<b>%(value)s</b>",
    "%(value)d items", "%(value)r", "no placeholder",
])
_VALUES = st.one_of(st.text(alphabet=st.sampled_from('<>&"\'a %'), max_size=6),
                    st.text(max_size=12), st.integers(), st.floats(allow_nan=False),
                    st.booleans(), st.text(max_size=12).map(Markup))


@given(_TRANSLATED, _VALUES, _VALUES)
@example("%(value)s and %(unit)s", "<script>", Markup("<b>unit</b>"))
@settings(max_examples=300, derandomize=True)
def test_gettext_with_values_formats_as_markup_does(text: str, value: object,
                                                    unit: object) -> None:
    variables = {"date": value, "value": value, "unit": unit}
    try:
        expected: object = escape(text) % variables
    except (TypeError, ValueError) as exc:
        expected = type(exc)
    try:
        got: object = fast_gettext(_Identity())(text, **variables)
    except (TypeError, ValueError) as exc:
        got = type(exc)
    assert got == expected
    assert type(got) is type(expected)


# Markup made by sitegen.safe: the same value and type as markupsafe makes.
class _HasHtml:
    def __html__(self) -> str:
        return "<i>own</i>"


@given(st.one_of(_VALUES, st.none(), st.just(_HasHtml())))
@example("<script>alert('x') & \"y\"</script>")
@settings(max_examples=500, derandomize=True)
def test_safe_escape_gives_what_markupsafe_gives(value: object) -> None:
    got = safe.escape(value)
    assert got == escape(value)
    assert type(got) is Markup
    assert safe.trusted(str(got)) == Markup(str(got))
    assert type(safe.trusted(str(got))) is Markup


def test_snippet_markup_is_joined_without_escaping_it_twice() -> None:
    # str + Markup calls Markup's __radd__, which escapes the str: the helpers must not.
    snippets = Snippets("en", "en", Formatter("en", "gregorian", ""),
                        fast_gettext(_Identity()), {}, lambda program_id: "")
    note = snippets.note(Text((("en", "Fish & <chips>"),)))
    assert note == ('<span class="note"><span class="note-label">Note:</span> '
                    "Fish &amp; &lt;chips&gt;</span>")
    wrapped = snippets.wrap("div", Text((("en", "**A** & b"),)), markup.render,
                            after=Markup("<sup>1</sup>"))
    assert wrapped == "<p><strong>A</strong> &amp; b<sup>1</sup></p>"
    listed = snippets.wrap("div", Text((("en", "- a\n- b"),)), markup.render,
                           after=Markup("<sup>1</sup>"))
    assert listed == "<ul>\n<li>a</li>\n<li>b</li>\n</ul><sup>1</sup>"
    fallback = snippets.wrap("div", Text((("vi", "Huế"),)), markup.render,
                             after=Markup("<sup>1</sup>"))
    assert fallback == '<div lang="vi"><p>Huế</p></div><sup>1</sup>'

