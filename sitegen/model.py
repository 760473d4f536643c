"""The site's content as frozen dataclasses.

Data flows one way: YAML files are validated into these objects once, and rendering only
reads them. No I/O and no formatting happen here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import total_ordering
from operator import attrgetter
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where a value was written: file (relative to the site), 1-based line and column."""

    path: str
    line: int
    column: int


@dataclass(frozen=True)
class Text:
    """Translatable text: language code -> text, in the order the file gives them.

    ``where`` is the position of the mapping in its file, so a translation that is
    missing can be reported at the line where an editor adds it; it takes no part in
    comparisons (the same text is the same wherever it was written)."""

    items: tuple[tuple[str, str], ...]
    where: Location | None = field(default=None, compare=False, repr=False)

    def get(self, lang: str) -> str | None:
        for code, text in self.items:
            if code == lang:
                return text
        return None

    def resolve(self, lang: str, fallback: str) -> tuple[str, str]:
        """The text for ``lang``, else for ``fallback``; with the language actually used."""
        text = self.get(lang)
        if text is not None:
            return text, lang
        text = self.get(fallback)
        if text is not None:
            return text, fallback
        code, text = self.items[0]
        return text, code


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day, as sources often state them."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: PartialDate) -> bool:
        """A year sorts before any date within it: 2018 < 2018-10 < 2018-10-22."""
        return self.sort_key() < other.sort_key()


@dataclass(frozen=True)
class Language:
    """One language of the site and how its pages present calendar years."""

    code: str
    calendar: str = "gregorian"


@dataclass(frozen=True)
class Limits:
    """Bounds on what a content file may hold (``limits:`` in content/site.yaml), so that
    a mistaken or hostile file is refused with a message instead of exhausting memory."""

    file_size: int = 2 * 1024 * 1024  # bytes
    nesting: int = 24  # levels of mappings and lists
    aliases: int = 0  # values that '*name' aliases may repeat, in all, in one file


@dataclass(frozen=True)
class Settings:
    """``content/site.yaml``."""

    title: Text
    tagline: Text
    base_url: str
    default_language: str
    languages: tuple[Language, ...]
    page_size: int = 50  # communities per page of the listings (index, compare, programmes)
    limits: Limits = field(default_factory=Limits)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(language.code for language in self.languages)

    def language(self, code: str) -> Language:
        return next(language for language in self.languages if language.code == code)


@dataclass(frozen=True)
class Source:
    id: str
    language: str
    title: Text
    publisher: str | None = None
    author: str | None = None
    date: PartialDate | None = None
    url: str | None = None
    note: Text | None = None


@dataclass(frozen=True)
class DatedValue:
    """One value of a figure, true at ``as_of`` according to ``sources``."""

    value: float
    as_of: PartialDate
    sources: tuple[str, ...]
    qualifier: str = "exact"
    status: str = "actual"
    note: Text | None = None


@dataclass(frozen=True)
class Stage:
    id: str
    name: Text
    sources: tuple[str, ...]
    description: Text | None = None


@dataclass(frozen=True)
class Criterion:
    id: str
    name: Text
    sources: tuple[str, ...]
    description: Text | None = None


@dataclass(frozen=True)
class Program:
    id: str
    name: Text
    organisation: Text
    sources: tuple[str, ...]
    description: Text | None = None
    stages: tuple[Stage, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    members: tuple[DatedValue, ...] = ()

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)


@dataclass(frozen=True)
class Summary:
    text: Text
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Recognition:
    program: str
    stage: str
    year: int
    sources: tuple[str, ...]
    date: PartialDate | None = None
    place: Text | None = None
    theme: Text | None = None
    note: Text | None = None


def by_date(values: Iterable[DatedValue]) -> list[DatedValue]:
    """Dated values oldest first (as written where two share a date), as tables and
    charts list them."""
    return sorted(values, key=attrgetter("as_of"))


@dataclass(frozen=True)
class Figure:
    id: str
    label: Text
    values: tuple[DatedValue, ...]
    format: str = "number"
    unit: Text | None = None
    note: Text | None = None

    def latest(self) -> DatedValue:
        """The most recent actual value (a target is shown but never the headline)."""
        actual = [v for v in self.values if v.status == "actual"] or list(self.values)
        return max(actual, key=lambda v: v.as_of.sort_key())

    def by_date(self) -> list[DatedValue]:
        """The values, oldest first (see :func:`by_date`). A template's
        ``values|sort(attribute="as_of")`` gives the same list through a filter, an
        attribute getter and an item lookup per value: on a fact sheet with dozens of
        values, that was a noticeable part of its rendering."""
        return by_date(self.values)

    def has_target(self) -> bool:
        """Whether any value is a target (drawn hollow in charts)."""
        return any(v.status == "target" for v in self.values)


@dataclass(frozen=True)
class Initiative:
    name: Text
    kind: str
    sources: tuple[str, ...]
    since: PartialDate | None = None
    description: Text | None = None
    criteria: tuple[tuple[str, str], ...] = ()  # (program id, criterion id) pairs
    note: Text | None = None


@dataclass(frozen=True)
class Partner:
    name: Text
    kind: str
    sources: tuple[str, ...]
    role: Text | None = None
    since: PartialDate | None = None
    note: Text | None = None


@dataclass(frozen=True)
class Milestone:
    date: PartialDate
    text: Text
    sources: tuple[str, ...]
    note: Text | None = None


@dataclass(frozen=True)
class Plan:
    name: Text
    sources: tuple[str, ...]
    start: int | None = None
    end: int | None = None
    description: Text | None = None
    pillars: tuple[Text, ...] = ()
    note: Text | None = None


@dataclass(frozen=True)
class Goal:
    text: Text
    sources: tuple[str, ...]
    by: PartialDate | None = None
    note: Text | None = None


@dataclass(frozen=True)
class Person:
    name: Text
    role: Text
    sources: tuple[str, ...]
    quote: Text | None = None
    note: Text | None = None


@dataclass(frozen=True)
class Community:
    slug: str
    name: Text
    country: str
    kind: str
    summary: Summary
    recognitions: tuple[Recognition, ...] = ()
    figures: tuple[Figure, ...] = ()
    initiatives: tuple[Initiative, ...] = ()
    partners: tuple[Partner, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    plans: tuple[Plan, ...] = ()
    goals: tuple[Goal, ...] = ()
    people: tuple[Person, ...] = ()


@dataclass(frozen=True)
class Site:
    """Everything validated, ready to render."""

    root: Path  # the site's folder, where templates/ and static/ are read from
    settings: Settings
    sources: dict[str, Source] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    communities: tuple[Community, ...] = ()
