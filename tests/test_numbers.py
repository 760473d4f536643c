"""Numbers formatted through sitegen's number locale read exactly as Babel's own."""

from __future__ import annotations

import pytest
from babel import Locale
from babel.numbers import format_compact_decimal, format_decimal, format_percent
from hypothesis import given
from hypothesis import strategies as st

from sitegen.i18n import Formatter

# The site's languages, and others whose numbers differ: Arabic digits and separators,
# Hindi grouping (12,34,567), Japanese and German compact forms.
LANGUAGES = ("en", "vi", "ko", "th", "ar", "hi", "ja", "de", "fr")
NUMBERS = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 1, 1.5, 999, 1000, 999_999, 1_000_000, 1_500_000, 0.05, 12.25]),
)


@pytest.mark.parametrize("lang", LANGUAGES)
@given(value=NUMBERS)
def test_formatter_numbers_are_babels(lang: str, value: float) -> None:
    locale = Locale.parse(lang)
    fmt = Formatter(lang, "gregorian", "")
    assert fmt.number(value) == format_decimal(value, locale=locale)
    assert fmt.percent(value) == format_percent(value / 100, locale=locale,
                                                decimal_quantization=False)
    long = "long" in locale.compact_decimal_formats
    assert fmt.compact(value) == format_compact_decimal(
        value, format_type="long" if long else "short", locale=locale, fraction_digits=1)
