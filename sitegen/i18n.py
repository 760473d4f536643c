"""Interface catalogs and locale-bound formatting, one language at a time.

Catalogs are read straight from the ``.po`` files translators edit (compiled in memory),
so there is no compile step and no ``.mo`` file to forget. Every number, date, country
and language name is formatted by Babel from CLDR data for the page's locale; nothing
here is a hand-written format. The one thing CLDR-in-Babel lacks is non-Gregorian
calendars, so a language configured with ``calendar: buddhist`` gets Babel's own date
pattern with the year shifted by 543 and the era name taken from the catalog.
"""

from __future__ import annotations

import datetime
import functools
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from babel import Locale
from babel.dates import format_date, match_skeleton, tokenize_pattern, untokenize_pattern
from babel.lists import format_list
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_compact_decimal, format_decimal, format_percent
from babel.support import NullTranslations, Translations

from sitegen.errors import ErrorList
from sitegen.model import PartialDate

LOCALES = "locales"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"  # the language interface strings are written in (msgids)
CALENDAR_YEAR_OFFSETS = {"gregorian": 0, "buddhist": 543}
VALUES_KEPT = 4096  # formatted numbers a Formatter keeps (see Formatter.value)


def catalog_path(root: Path, lang: str) -> Path:
    return root / LOCALES / lang.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache  # a site has a few languages; pages ask for theirs again and again
def parse_locale(code: str) -> Locale:
    return Locale.parse(code, sep="-")


_PO_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(
    rf"\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+{_PO_STRING}"
    rf"|{_PO_STRING})?\s*"
)


def _po_syntax(text: str, display: str, errors: ErrorList) -> bool:
    """Babel's .po parser silently repairs some broken lines (an unclosed quote loses the
    last character of the translation), so every line is checked against the format
    first and a broken one is reported instead of published."""
    ok = True
    for number, line in enumerate(text.splitlines(), start=1):
        if not _PO_LINE.fullmatch(line):
            ok = False
            column = len(line) - len(line.lstrip()) + 1
            hint = ("a quoted text is not closed or contains an unescaped '\"'"
                    if line.count('"') % 2 else "expected msgid, msgstr or a quoted text")
            errors.add(display, number, column, f"invalid catalog line: {hint}")
    return ok


def read_catalog(path: Path, display: str, lang: str, errors: ErrorList) -> Catalog | None:
    """Parse a .po file, reporting syntax errors and placeholder mismatches by line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        errors.add(display, 1, 1, f"cannot read catalog: {exc}")
        return None
    if not _po_syntax(text, display, errors):
        return None
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang.replace("-", "_"), abort_invalid=True)
    except PoFileError as exc:  # Babel's message ends with " on <line>": the line is given
        problem = str(exc).removesuffix(f" on {exc.lineno}")
        if "more translations than num_plurals" in problem:
            problem = ("more msgstr[n] lines than the plural forms the catalog's "
                       "Plural-Forms line gives (nplurals); remove the extra ones")
        errors.add(display, exc.lineno, 1, f"invalid catalog: {problem}")
        return None
    except (OSError, ValueError) as exc:
        errors.add(display, 0, 0, f"cannot read catalog: {exc}")
        return None
    for message in catalog:
        if message.id:
            for problem in _format_problems(message):
                shown = message.id[0] if isinstance(message.id, tuple) else message.id
                errors.add(display, message.lineno or 0, 1,
                           f"translation of '{shown}' is wrong: {problem}")
    return catalog


# A placeholder: %(name)s, or a positional one (%s, %d); "%%" is a percent sign.
_PLACEHOLDER = re.compile(r"%(?:\((\w*)\))?[-#0 +]?(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(.)")
# Conversions that accept the same values (as Babel's python-format checker has them).
_SAME_KIND = ({"i", "d", "u"}, {"x", "X"}, {"f", "F", "g", "G"})


def _placeholders(text: str) -> list[tuple[str, str, str]]:
    """(name or "", conversion, as written) of each placeholder in order, "%%" left
    out."""
    return [(match[1] or "", match[2], match[0])
            for match in _PLACEHOLDER.finditer(text.replace("%%", ""))] if "%" in text else []


def _format_problems(message: Message) -> list[str]:
    """What is wrong with a translation, said so that a translator can mend it.

    Every interface text is a format string, as Jinja's "newstyle" gettext formats it
    (with its named values, or none): a '%' that is no placeholder, a placeholder the
    original does not have, or one written another way (``%(n)d`` for ``%(n)s``) would
    stop the build or show the wrong thing. So every translation is checked, not only
    entries marked python-format (which is all Babel's own checker looks at); and a
    plural entry with some forms translated must have all (an empty one shows as
    nothing). The checks are made here
    rather than by ``Catalog.check``, whose checker registry costs a tenth of a small
    site's build to set up."""
    originals = message.id if isinstance(message.id, tuple) else (message.id,)
    kinds: dict[str, str] = {}
    for text in originals:
        kinds.update((name, kind) for name, kind, _ in _placeholders(text) if name)
    plural = isinstance(message.id, tuple)
    if plural:
        kinds.setdefault("num", "d")  # what ngettext adds
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    problems = []
    if plural and any(strings) and not all(strings):
        empty = next(n for n, text in enumerate(strings) if not text)
        problems.append(f"msgstr[{empty}] is empty; translate each of the "
                        f"{len(strings)} plural forms the catalog's Plural-Forms line "
                        "gives")
    for text in strings:
        if not text:
            continue
        found = _placeholders(text)
        if "%" in _PLACEHOLDER.sub("", text.replace("%%", "")) or any(
                kind not in "diouxXeEfFgGcrs" for _, kind, _ in found):
            problems.append("a '%' that starts no placeholder; write '%%' for a percent "
                            "sign")
            continue
        for name, kind, written in found:
            if not name:
                problems.append(f"'{written}' is not a placeholder here; write '%%' for a "
                                "percent sign, and placeholders with their name, as the "
                                "original has them ('%(name)s')")
                break
            if name not in kinds:
                problems.append(f"the placeholder '%({name})s' is not in the original; "
                                "use only the original's placeholders")
                break
            wanted = kinds[name]
            if kind != wanted and not any({kind, wanted} <= same for same in _SAME_KIND):
                problems.append(f"the placeholder '%({name}){kind}' is written "
                                f"'%({name}){wanted}' in the original; write it so")
                break
    return problems


def template_path(root: Path) -> Path:
    """The catalog template that ``sitegen translate extract`` writes."""
    return root / LOCALES / f"{DOMAIN}.pot"


def load_catalog(root: Path, lang: str, errors: ErrorList) -> Catalog | None:
    """The parsed catalog of ``lang``, or None if it has none or it is broken (then the
    errors say why). A missing catalog is not an error: the pages show the interface in
    the source language, and the translation status reports it as a warning."""
    path = catalog_path(root, lang)
    if not path.is_file():
        return None
    return read_catalog(path, path.relative_to(root).as_posix(), lang, errors)


def read_template(root: Path, errors: ErrorList) -> Catalog | None:
    """``locales/messages.pot``, the list of interface strings, if the site has one."""
    path = template_path(root)
    if not path.is_file():
        return None
    return read_catalog(path, path.relative_to(root).as_posix(), SOURCE_LANGUAGE, errors)


def translations(catalog: Catalog | None) -> NullTranslations:
    """Gettext translations compiled in memory from a parsed catalog (none: msgids)."""
    if catalog is None:
        return NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as gettext does
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def load_translations(root: Path, lang: str, errors: ErrorList) -> NullTranslations:
    """The gettext translations for ``lang``; without a catalog, the source strings."""
    return translations(load_catalog(root, lang, errors))


def _plain(value: object) -> object:
    """CLDR data as plain dicts: the same keys and values, aliases followed."""
    if isinstance(value, Mapping):
        return {key: _plain(value[key]) for key in value}
    return value


def _copied(name: str) -> cached_property:
    """Locale's property ``name``, read once and kept as plain dicts."""
    read = getattr(Locale, name).fget
    return cached_property(lambda self: _plain(read(self)))


class _NumberLocale(Locale):
    """A locale whose number data Babel reads from plain dicts.

    Babel's locale data is a ``LocaleDataDict``: every lookup follows aliases and wraps
    each inner mapping in a new ``LocaleDataDict``, in Python. Formatting one compact
    number ("1.3 million") makes some twenty such lookups, and formatting any number
    reads the locale's symbols the same way; a fact sheet formats dozens. Here the
    symbols and the decimal, percent and compact patterns are copied once into plain
    dicts, and Babel's own functions format with them: the same CLDR data, the same
    code, the same text (tests/test_numbers.py compares the two for many numbers)."""

    number_symbols = _copied("number_symbols")
    decimal_formats = _copied("decimal_formats")
    percent_formats = _copied("percent_formats")
    compact_decimal_formats = _copied("compact_decimal_formats")


def number_locale(locale: Locale) -> Locale:
    """``locale`` for formatting numbers (see _NumberLocale)."""
    return _NumberLocale(locale.language, locale.territory, locale.script, locale.variant,
                         locale.modifier)


@dataclass(frozen=True)
class Formatter:
    """Formatting bound to one page language (no global "current locale")."""

    lang: str
    calendar: str
    era: str  # the era's name in this language, for non-Gregorian calendars

    @cached_property
    def locale(self) -> Locale:
        return parse_locale(self.lang)

    @property
    def direction(self) -> str:
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    def number(self, value: float) -> str:
        return self.value(value, "number")

    def percent(self, value: float) -> str:
        """``value`` is in percent points (13 means 13 %), as editors write it."""
        return self.value(value, "percent")

    def compact(self, value: float) -> str:
        """'1.3 million', '1,3 triệu', '130만', '1.3 ล้าน'; long form where CLDR has one."""
        return self.value(value, "compact")

    def value(self, value: float, kind: str) -> str:
        """``value`` formatted as a number, a percentage or a compact number. A page
        formats the same numbers again and again (citation marks [1], [2], ..., a figure
        in its table, its chart and its headline), so results are kept; figures seldom
        repeat from page to page, so the store is emptied when it grows large (memory
        would otherwise grow with the site)."""
        key = (kind, type(value), value)
        text = self._values.get(key)
        if text is None:
            locale = self._number_locale
            if kind == "percent":
                text = format_percent(value / 100, locale=locale, decimal_quantization=False)
            elif kind == "compact":
                long = "long" in locale.compact_decimal_formats
                text = format_compact_decimal(value, format_type="long" if long else "short",
                                              locale=locale, fraction_digits=1)
            else:
                text = format_decimal(value, locale=locale)
            if len(self._values) >= VALUES_KEPT:
                self._values.clear()
            self._values[key] = text
        return text

    @cached_property
    def _values(self) -> dict[tuple[str, type, float], str]:
        return {}

    @cached_property
    def _number_locale(self) -> Locale:
        return number_locale(self.locale)

    @cached_property
    def _names(self) -> dict[tuple[str, str], str]:
        return {}

    def date(self, when: PartialDate, short: bool = False) -> str:
        """A date to the precision the source gives: day, month or year.

        ``short`` abbreviates the month ("Dec 2025"), for chart labels. Pages repeat the
        same few dates (years above all) thousands of times, and finding CLDR's pattern
        for a skeleton is slow, so each formatted date is kept for the formatter's life."""
        key = (when, short)
        text = self._dates.get(key)
        if text is None:
            day = datetime.date(when.year, when.month or 1, when.day or 1)
            pattern = self._pattern(bool(when.day), bool(when.month), short)
            text = format_date(day, self._shift(pattern, when.year), locale=self.locale)
            self._dates[key] = text
        return text

    @cached_property
    def _dates(self) -> dict[tuple[PartialDate, bool], str]:
        return {}

    @functools.cache  # noqa: B019 (formatters live as long as the process's languages)
    def _pattern(self, day: bool, month: bool, short: bool) -> str:
        """CLDR's date pattern for a precision: the long date format for a day, else the
        best match for the skeleton ("yMMMM" for a month, "y" for a year)."""
        if day and not short:
            return self.locale.date_formats["long"].pattern
        name = "MMM" if short else "MMMM"
        skeleton = ("y" + name + "d") if day else ("y" + name) if month else "y"
        match = match_skeleton(skeleton, self.locale.datetime_skeletons)
        return self.locale.datetime_skeletons[match].pattern if match else "y"

    def year(self, year: int) -> str:
        """A year in the page's calendar. Charts and tables ask for the same few years
        hundreds of times a page: each is kept under the plain number, which is cheaper
        to look up than a new date."""
        text = self._years.get(year)
        if text is None:
            text = self._years[year] = self.date(PartialDate(year))
        return text

    @cached_property
    def _years(self) -> dict[int, str]:
        return {}

    def _shift(self, pattern: str, year: int) -> str:
        """Put the calendar's year and era into a Gregorian CLDR pattern."""
        offset = CALENDAR_YEAR_OFFSETS[self.calendar]
        if not offset:
            return pattern
        tokens = []
        for kind, token in tokenize_pattern(pattern):
            if kind == "field" and token[0] == "y":
                tokens.append(("chars", str(year + offset)))
            elif kind == "field" and token[0] == "G":
                tokens.append(("chars", self.era))
            else:
                tokens.append((kind, token))
        return untokenize_pattern(tokens)

    def list(self, items: Sequence[str]) -> str:
        """'A, B and C' the way the language joins a list (CLDR list patterns)."""
        return format_list(list(items), locale=self.locale) if items else ""

    def country(self, code: str) -> str:
        return self.locale.territories.get(code, code)

    def language(self, code: str) -> str:
        """A language's name in this page's language ('tiếng Hàn' on a Vietnamese page)."""
        key = ("language", code)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = parse_locale(code).get_display_name(self.locale) or code
        return name


@functools.cache  # every page's language switcher names every language
def autonym(code: str) -> str:
    """A language named in itself, as a language switcher shows it ('Tiếng Việt')."""
    name = parse_locale(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]
