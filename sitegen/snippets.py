"""The small pieces of markup that every page repeats hundreds of times.

A fact sheet carries some two hundred citation marks, dated values, dates and notes. As
Jinja macros they cost most of a page's rendering time (each macro call builds a new
frame and context), so they are written here as plain methods that return ``Markup``,
bound to one language. The templates call them by name (``cite(ids)``,
``number(value, format, unit)``, ...) and keep the page structure; their interface
strings are extracted from this file like any other (``babel.cfg`` maps ``sitegen/``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from sitegen.i18n import Formatter
from sitegen.model import DatedValue, PartialDate, Program, Recognition, Source, Text
from sitegen.safe import escape, trusted

Gettext = Callable[..., Markup]

# Message ids of labels chosen by a content value; N_ marks them for extraction only.


def N_(message: str) -> str:
    return message


QUALIFIERS = {
    "about": N_("about %(value)s"),
    "more-than": N_("more than %(value)s"),
    "nearly": N_("nearly %(value)s"),
    "at-least": N_("at least %(value)s"),
    "less-than": N_("less than %(value)s"),
}
COMMUNITY_KINDS = {"province": N_("Province"), "city": N_("City"), "region": N_("Region")}
INITIATIVE_KINDS = {
    "project": N_("Project"), "facility": N_("Facility"), "service": N_("Service"),
    "programme": N_("Programme"), "event": N_("Event"), "policy": N_("Policy"),
}
PARTNER_KINDS = {
    "organisation": N_("Organisation"), "company": N_("Company"), "city": N_("City"),
    "university": N_("University"), "network": N_("Network"),
}


def fast_gettext(translations: Any) -> Gettext:
    """Jinja's "newstyle" gettext without its per-call context lookups, and with the
    interface text escaped: Jinja trusts a translation as markup, but a catalog comes
    from translators like content from editors, so '<script>' in one is shown as text.
    Markup belongs in the arguments (``_("See %(link)s", link=...)``), which are
    escaped unless they are markup already."""
    translated: dict[str, tuple[Markup, bool]] = {}

    constant: dict[str, Markup] = {}

    def gettext(__string: str, **variables: Any) -> Markup:
        if not variables:  # most calls: the same string, formatted with nothing
            text = constant.get(__string)
            if text is None:
                text = constant[__string] = escape(translations.gettext(__string)) % {}
            return text
        known = translated.get(__string)
        if known is None:
            message = escape(translations.gettext(__string))
            known = translated[__string] = (message, _PLAIN_PLACEHOLDERS.fullmatch(message)
                                            is not None)
        message, plain = known
        if not plain:
            return message % variables
        # What Markup's % gives for "%(name)s" placeholders, without its per-value
        # wrappers: each value escaped unless it is markup, numbers as they are.
        return trusted(str.__mod__(message, {
            name: value if type(value) in _SAFE_VALUES else escape(value)
            for name, value in variables.items()}))

    return gettext


# A text whose only placeholders are "%(name)s" (and "%%"): formatted by fast_gettext
# without Markup's wrappers. Markup, int and float values need no escaping (a bool is an
# int, but prints as a word: it is escaped like any other value, which changes nothing).
_PLAIN_PLACEHOLDERS = re.compile(r"(?:[^%]|%%|%\(\w+\)s)*", re.DOTALL)
_SAFE_VALUES = (Markup, int, float)
_EMPTY = Markup("")


def escaping_gettexts(translations: Any) -> dict[str, Callable[..., Markup]]:
    """Jinja's other "newstyle" functions (plural forms and contexts, as ``{% trans
    count=n %}`` calls them), with the interface text escaped as in :func:`fast_gettext`."""

    def ngettext(__singular: str, __plural: str, __num: int, **variables: Any) -> Markup:
        variables.setdefault("num", __num)
        return escape(translations.ngettext(__singular, __plural, __num)) % variables

    def pgettext(__context: str, __string: str, **variables: Any) -> Markup:
        return escape(translations.pgettext(__context, __string)) % variables

    def npgettext(__context: str, __singular: str, __plural: str, __num: int,
                  **variables: Any) -> Markup:
        variables.setdefault("num", __num)
        return escape(translations.npgettext(__context, __singular, __plural, __num)
                      ) % variables

    return {"ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}


class Citations:
    """Numbers a page's citations in order of first use, for its source list."""

    def __init__(self, sources: dict[str, Source], marks: Snippets) -> None:
        self._sources = sources
        self._marks = marks
        self._order: dict[str, int] = {}
        self._marked: dict[tuple[str, ...], Markup] = {}  # the marks of ids cited before

    def numbers(self, ids: tuple[str, ...]) -> list[int]:
        order = self._order
        for source_id in ids:
            if source_id not in order:
                order[source_id] = len(order) + 1
        return sorted({order[source_id] for source_id in ids})

    def used(self) -> list[tuple[int, Source]]:
        return [(n, self._sources[i]) for i, n in self._order.items()]

    def cite(self, ids: tuple[str, ...]) -> Markup:
        """The superscript marks linking to the numbered sources of ``ids``. A page
        cites the same few sources many times, and their numbers, given at the first
        citation, do not change: their marks are made once."""
        key = ids if type(ids) is tuple else tuple(ids)  # a template may pass a list
        marks = self._marked.get(key)
        if marks is None:
            marks = self._marked[key] = self._marks.cite_numbers(self.numbers(key))
        return marks


class Snippets:
    """Markup helpers bound to one language, exposed to templates by name."""

    def __init__(self, lang: str, default_language: str, fmt: Formatter, gettext: Gettext,
                 programs: dict[str, Program], program_href: Callable[[str], str]) -> None:
        self.lang = lang
        self.default_language = default_language
        self.fmt = fmt
        self.gettext = gettext
        self.programs = programs
        self.program_href = program_href
        self._marks: dict[int, str] = {}
        self._directions: dict[str, str] = {}
        self._dates: dict[PartialDate, Markup] = {}
        self._sources: dict[str, Markup] = {}
        self._recognitions: dict[tuple[str, str, int], Markup] = {}

    # Text in the page's language, or marked as another -------------------------------
    def wrap(self, tag: str, text: Text | None, render: Callable[[str], Markup],
             after: Markup | str = "") -> Markup:
        """Rendered text, marked with its language if it fell back to another one.

        ``after`` (citation marks) goes at the end of the last paragraph rather than
        below it; after fallback text it stays outside the element marked with the other
        language, since it is in the page's language."""
        if text is None:
            return _EMPTY
        value, used = text.resolve(self.lang, self.default_language)
        html = str.__str__(render(value))
        tail = escape(after)
        if used == self.lang:
            if tail and html.endswith("</p>"):
                return trusted(f"{html[:-4]}{tail}</p>")
            return trusted(f"{html}{tail}")  # not html + tail: Markup's __radd__ escapes
        direction = self._directions.get(used)
        if direction is None:
            direction = self._directions[used] = Formatter(used, "gregorian", "").direction
        dir_attr = f' dir="{direction}"' if direction != self.fmt.direction else ""
        return trusted(f'<{tag} lang="{escape(used)}"{dir_attr}>{html}</{tag}>{tail}')

    def text(self, text: Text | None) -> Markup:
        """Escaped text; a fallback to another language is marked with its ``lang``."""
        if text is not None:
            for code, value in text.items:
                if code == self.lang:
                    return escape(value)
        return self.wrap("span", text, escape)

    # Marks, values and dates ----------------------------------------------------------
    def cite_numbers(self, numbers: list[int]) -> Markup:
        marks = self._marks
        parts = []
        for n in numbers:
            mark = marks.get(n)
            if mark is None:
                shown = self.fmt.number(n)
                label = self.gettext("Source %(number)s", number=shown)
                mark = marks[n] = (f'<a href="#source-{n}" aria-label="{label}">'
                                   f'[{escape(shown)}]</a>')
            parts.append(mark)
        return trusted('<sup class="cite">' + "".join(parts) + "</sup>")

    def number(self, value: DatedValue, format: str = "number",
               unit: Text | None = None) -> Markup:
        """A dated value with its qualifier ("more than 200"). The unit belongs inside
        the qualified phrase: Korean says "130만 명 이상"."""
        shown = escape(self.fmt.value(value.value, format))
        if unit:
            shown = trusted(f'{shown} <span class="unit">{self.text(unit)}</span>')
        qualifier = QUALIFIERS.get(value.qualifier)
        return self.gettext(qualifier, value=shown) if qualifier else shown

    def date(self, when: PartialDate) -> Markup:
        shown = self._dates.get(when)
        if shown is None:
            shown = self._dates[when] = trusted(
                f'<time datetime="{when.iso()}">{escape(self.fmt.date(when))}</time>')
        return shown

    def source_entry(self, source: Source) -> Markup:
        """A source in a page's numbered source list: title (linked), original title,
        publisher, author, date, language and note, as the lines inside its ``<li>``.
        Sources are cited on many pages, so each one's entry is made once."""
        entry = self._sources.get(source.id)
        if entry is None:
            title = self.text(source.title)
            lines = [f'<a href="{escape(source.url)}">{title}</a>' if source.url
                     else f"<cite>{title}</cite>"]
            original = source.title.get(source.language)
            if source.language != self.lang and original:
                label = self.gettext("Original title:")
                lines.append(f'    <span class="original">{label} '
                             f'<cite lang="{escape(source.language)}">{escape(original)}'
                             "</cite></span>\n")
            meta = "".join(f"{escape(part)} · " for part in (source.publisher, source.author)
                           if part)
            if source.date:
                meta += f"{self.date(source.date)} · "
            meta += str(self.gettext("In %(language)s",
                                     language=self.fmt.language(source.language)))
            lines.append(f'    <span class="meta">{meta}</span>\n    {self.note(source.note)}\n')
            entry = self._sources[source.id] = trusted("".join(lines))
        return entry

    def note(self, text: Text | None) -> Markup:
        if not text:
            return _EMPTY
        label = self.gettext("Note:")  # not inside the f-string, where extraction misses it
        return trusted(f'<span class="note"><span class="note-label">{label}</span> '
                       f"{self.text(text)}</span>")

    # Labels of content values ---------------------------------------------------------
    def _label(self, labels: dict[str, str], value: str) -> Markup:
        message = labels.get(value)
        return self.gettext(message) if message else escape(value)

    def kind_label(self, kind: str) -> Markup:
        return self._label(COMMUNITY_KINDS, kind)

    def initiative_kind(self, kind: str) -> Markup:
        return self._label(INITIATIVE_KINDS, kind)

    def partner_kind(self, kind: str) -> Markup:
        return self._label(PARTNER_KINDS, kind)

    # Links into programme pages -------------------------------------------------------
    def recognition_name(self, recognition: Recognition) -> Markup:
        """A stage and year, linked to the stage on its programme's page ("Top 7 2023");
        listings show thousands, from a few stages and years: each is made once."""
        key = (recognition.program, recognition.stage, recognition.year)
        name = self._recognitions.get(key)
        if name is None:
            program = self.programs[recognition.program]
            stage = program.stage(recognition.stage)
            assert stage is not None  # checked when the content was loaded
            href = escape(self.program_href(program.id))
            name = self._recognitions[key] = trusted(
                f'<a href="{href}#stage-{escape(recognition.stage)}">'
                f"{self.text(stage.name)}</a> {escape(self.fmt.year(recognition.year))}")
        return name

    def criteria_tags(self, pairs: tuple[tuple[str, str], ...]) -> Markup:
        """The programme criteria an initiative serves, linked to their definitions."""
        if not pairs:
            return _EMPTY
        label = self.gettext("Criteria:")
        parts = [f'<span class="criteria"><span class="criteria-label">{label}</span>']
        for program_id, criterion_id in pairs:
            criterion = self.programs[program_id].criterion(criterion_id)
            assert criterion is not None  # checked when the content was loaded
            href = escape(self.program_href(program_id))
            parts.append(f' <a class="tag" href="{href}#criterion-{escape(criterion_id)}">'
                         f"{self.text(criterion.name)}</a>")
        return trusted("".join(parts) + "</span>")

    def helpers(self) -> dict[str, Any]:
        """The names templates call."""
        return {
            "t": self.text, "number": self.number, "date": self.date, "note": self.note,
            "kind_label": self.kind_label, "initiative_kind": self.initiative_kind,
            "partner_kind": self.partner_kind, "recognition_name": self.recognition_name,
            "criteria_tags": self.criteria_tags, "source_entry": self.source_entry,
        }
