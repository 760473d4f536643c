"""The site's facts as open data: JSON and CSV files under ``data/`` in the output.

The pages are written for reading; these files are for reuse. Journalists, researchers
and other sites can take every fact with its sources without scraping HTML, and check a
figure against the article it comes from.

What the files promise (``docs/open-data.md`` describes them for their readers):

- ``data/site.json`` holds everything the fact files hold: settings, sources, programmes
  and communities with every field. ``data/communities/<slug>.json`` holds one community
  with the sources and programmes it needs, in the same shapes.
- Each JSON file starts with ``"format": FORMAT``. The shape of every file, JSON and CSV,
  only changes together with that string; adding, renaming or removing a key or a column
  means a new format.
- Every key is always present: a missing optional value is ``null``, an empty list ``[]``.
  Translatable text is an object of language code to text, with the Markdown source where
  the fact files allow Markdown; dates are ISO 8601 strings with the precision the source
  gives ("2019", "2019-10", "2019-10-29"); numbers are plain numbers, never formatted.
- ``data/facts.csv`` and ``data/communities/<slug>.csv`` are one long table, one row per
  fact, with the same columns; ``data/sources.csv`` lists the sources. CSV is RFC 4180,
  UTF-8 without a byte order mark, CRLF line ends, header row first.
- The same content always gives the same bytes: every order comes from the fact files,
  and nothing depends on the time, the machine or the output folder.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson

from sitegen.model import (
    Community,
    DatedValue,
    Figure,
    Goal,
    Initiative,
    Milestone,
    PartialDate,
    Partner,
    Person,
    Plan,
    Program,
    Recognition,
    Settings,
    Site,
    Source,
    Text,
)
from sitegen.page import Page

FORMAT = "sitegen-facts/1"
DATA = "data/"
SITE_JSON = DATA + "site.json"
FACTS_CSV = DATA + "facts.csv"
SOURCES_CSV = DATA + "sources.csv"
COMMUNITIES = DATA + "communities/"

# Columns of the fact tables; the ones marked * repeat once per site language (unit_en, ...).
FACT_COLUMNS = ("community", "type", "id", "kind", "year", "date", "end", "value", "qualifier",
                "status", "format", "unit*", "name*", "text*", "detail*", "note*", "criteria",
                "sources")

Json = dict[str, Any]


def data_pages(site: Site) -> list[Page]:
    """Every file of the open data, in a stable order (the whole site in memory: for
    small sites and tests; builds stream the same bytes, see :class:`CommunityData`)."""
    parts = [CommunityData.of(site, community) for community in site.communities]
    pages = [
        Page(SITE_JSON, b"".join(site_json(site, [part.site_part for part in parts]))),
        Page(FACTS_CSV, b"".join(facts_csv(site.settings, [part.rows for part in parts]))),
        Page(SOURCES_CSV, _csv(*_source_table(site))),
    ]
    for part in parts:
        pages.extend(part.pages)
    return pages


class CommunityData:
    """One community's open data: its two files, and its parts of site.json and
    facts.csv. The whole-site files are made of these parts (:func:`site_json`,
    :func:`facts_csv`), so they can be streamed, and an unchanged community's part can
    be copied from the previous build instead of being made again."""

    def __init__(self, slug: str, body: bytes, rows: bytes, refs: bytes,
                 header: bytes) -> None:
        self.slug = slug
        self.rows = rows  # its rows of facts.csv
        self.site_part = _indented(body, b"    ")  # its entry in site.json
        document = b"".join((_DOCUMENT_HEAD, body.replace(b"\n", b"\n  "), refs))
        self.pages = [Page(f"{COMMUNITIES}{slug}.json", document),
                      Page(f"{COMMUNITIES}{slug}.csv", header + rows)]

    @classmethod
    def of(cls, site: Site, community: Community) -> CommunityData:
        codes = site.settings.codes
        body = _dump(_community(community, codes))
        sources, programs = _community_refs(site, community)
        # The sources and programmes are cited by many communities: each is dumped once,
        # laid out as it sits in a community's file.
        refs = b"".join((
            b',\n  "sources": ', _member_list([_source_json(source, codes) for source in sources]),
            b',\n  "programs": ', _member_list([_program_json(program, codes)
                                                for program in programs]),
            b"\n}\n"))
        return cls(community.slug, body, _csv_rows(fact_rows(site, community)), refs,
                   _csv_rows([fact_header(site.settings)]))


def site_json(site: Site, parts: Iterable[bytes]) -> Iterator[bytes]:
    """data/site.json in pieces: the settings, sources and programmes, then each
    community's part (``CommunityData.site_part``) in order."""
    frame = SiteJsonFrame.of(site)
    yield frame.opening
    first = True
    for part in parts:
        yield frame.separator(first) + part
        first = False
    yield frame.closing(not first)


@dataclass(frozen=True)
class SiteJsonFrame:
    """What data/site.json holds around its communities' parts."""

    opening: bytes
    tail: bytes

    @classmethod
    def of(cls, site: Site) -> SiteJsonFrame:
        head, tail = _dumps(site_document(site)).rsplit(b'"communities": []', 1)
        return cls(head + b'"communities": [', tail)

    @staticmethod
    def separator(first: bool) -> bytes:
        return b"\n" if first else b",\n"

    def closing(self, any_parts: bool) -> bytes:
        return (b"\n  ]" if any_parts else b"]") + self.tail


def facts_csv(settings: Settings, parts: Iterable[bytes]) -> Iterator[bytes]:
    """data/facts.csv in pieces: the header, then each community's rows in order."""
    yield _csv_rows([fact_header(settings)])
    yield from parts


def sources_csv(site: Site) -> Page:
    return Page(SOURCES_CSV, _csv(*_source_table(site)))


def _dump(value: Any) -> bytes:
    """``value`` as indented JSON in UTF-8. The standard library indents in pure Python
    (its C encoder cannot indent), some 4 % of a build; orjson lays JSON out the same way
    in C, and gives bytes, so the files are composed as bytes and never decoded and
    encoded again. Its numbers are the same numbers, though small ones may be written
    without an exponent (0.000015, not 1.5e-05). A value orjson refuses (an integer
    beyond 64 bits) goes to the standard library, which encodes it, or raises, as
    before. NaN and infinity never get here: fact files cannot hold them
    (schema.Number)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False).encode("utf-8")


def _dumps(document: Json) -> bytes:
    return _dump(document) + b"\n"


# A community's file up to its "community" value; the sources and programmes follow it.
_DOCUMENT_HEAD = b'{\n  "format": ' + _dump(FORMAT) + b',\n  "community": '


def _member_list(items: list[bytes]) -> bytes:
    """A JSON list, as the value of a top-level key, of values laid out as its items
    already (by :func:`_list_item`): what _dump makes of the list of them there."""
    if not items:
        return b"[]"
    return b"[\n" + b",\n".join(items) + b"\n  ]"


def _list_item(value: Json) -> bytes:
    """``value`` as an item of a list that is the value of a top-level key."""
    return _indented(_dump(value), b"    ")


@functools.lru_cache(maxsize=4096)
def _source_json(source: Source, codes: tuple[str, ...]) -> bytes:
    return _list_item(_source(source, codes))


@functools.lru_cache(maxsize=256)
def _program_json(program: Program, codes: tuple[str, ...]) -> bytes:
    return _list_item(_program(program, codes))


def _indented(text: bytes, prefix: bytes) -> bytes:
    return prefix + text.replace(b"\n", b"\n" + prefix)


# JSON ------------------------------------------------------------------------------------


def site_document(site: Site) -> Json:
    """data/site.json without its communities (see :func:`site_json`)."""
    codes = site.settings.codes
    return {
        "format": FORMAT,
        "settings": _settings(site.settings),
        "sources": [_source(source, codes) for source in site.sources.values()],
        "programs": [_program(program, codes) for program in site.programs.values()],
        "communities": [],
    }


def community_document(site: Site, community: Community) -> Json:
    """One community with the programmes it refers to (by its recognitions and its
    initiatives' criteria) and every source these cite, in site order (the shape of
    data/communities/<slug>.json; :class:`CommunityData` writes the same bytes)."""
    codes = site.settings.codes
    sources, programs = _community_refs(site, community)
    return {
        "format": FORMAT,
        "community": _community(community, codes),
        "sources": [_source(s, codes) for s in sources],
        "programs": [_program(program, codes) for program in programs],
    }


def _community_refs(site: Site, community: Community) -> tuple[list[Source], list[Program]]:
    """The sources and programmes a community's data file includes, in site order."""
    program_ids = {recognition.program for recognition in community.recognitions}
    program_ids.update(program for i in community.initiatives for program, _ in i.criteria)
    programs = [p for p in site.programs.values() if p.id in program_ids]
    cited = set(community_sources(community))
    for program in programs:
        cited.update(_program_sources(program))
    return [s for s in site.sources.values() if s.id in cited], programs


def _settings(settings: Settings) -> Json:
    codes = settings.codes
    return {
        "title": _text(settings.title, codes),
        "tagline": _text(settings.tagline, codes),
        "base_url": settings.base_url,
        "default_language": settings.default_language,
        "languages": [{"code": language.code, "calendar": language.calendar}
                      for language in settings.languages],
    }


def _source(source: Source, codes: tuple[str, ...]) -> Json:
    return {
        "id": source.id,
        "language": source.language,
        "title": _text(source.title, codes),
        "publisher": source.publisher,
        "author": source.author,
        "date": _date(source.date),
        "url": source.url,
        "note": _text(source.note, codes),
    }


def _program(program: Program, codes: tuple[str, ...]) -> Json:
    return {
        "id": program.id,
        "name": _text(program.name, codes),
        "organisation": _text(program.organisation, codes),
        "description": _text(program.description, codes),
        "stages": [{
            "id": stage.id,
            "name": _text(stage.name, codes),
            "description": _text(stage.description, codes),
            "sources": list(stage.sources),
        } for stage in program.stages],
        "criteria": [{
            "id": criterion.id,
            "name": _text(criterion.name, codes),
            "description": _text(criterion.description, codes),
            "sources": list(criterion.sources),
        } for criterion in program.criteria],
        "members": [_dated_value(value, codes) for value in program.members],
        "sources": list(program.sources),
    }


def _dated_value(value: DatedValue, codes: tuple[str, ...]) -> Json:
    return {
        "value": _number(value.value),
        "qualifier": value.qualifier,
        "status": value.status,
        "as_of": _date(value.as_of),
        "note": _text(value.note, codes),
        "sources": list(value.sources),
    }


def _community(community: Community, codes: tuple[str, ...]) -> Json:
    return {
        "slug": community.slug,
        "name": _text(community.name, codes),
        "country": community.country,
        "kind": community.kind,
        "summary": {"text": _text(community.summary.text, codes),
                    "sources": list(community.summary.sources)},
        "recognitions": [_recognition(r, codes) for r in community.recognitions],
        "figures": [_figure(f, codes) for f in community.figures],
        "initiatives": [_initiative(i, codes) for i in community.initiatives],
        "partners": [_partner(p, codes) for p in community.partners],
        "milestones": [_milestone(m, codes) for m in community.milestones],
        "plans": [_plan(p, codes) for p in community.plans],
        "goals": [_goal(g, codes) for g in community.goals],
        "people": [_person(p, codes) for p in community.people],
    }


def _recognition(recognition: Recognition, codes: tuple[str, ...]) -> Json:
    return {
        "program": recognition.program,
        "stage": recognition.stage,
        "year": recognition.year,
        "date": _date(recognition.date),
        "place": _text(recognition.place, codes),
        "theme": _text(recognition.theme, codes),
        "note": _text(recognition.note, codes),
        "sources": list(recognition.sources),
    }


def _figure(figure: Figure, codes: tuple[str, ...]) -> Json:
    return {
        "id": figure.id,
        "label": _text(figure.label, codes),
        "format": figure.format,
        "unit": _text(figure.unit, codes),
        "note": _text(figure.note, codes),
        "values": [_dated_value(value, codes) for value in figure.values],
    }


def _initiative(initiative: Initiative, codes: tuple[str, ...]) -> Json:
    return {
        "name": _text(initiative.name, codes),
        "kind": initiative.kind,
        "since": _date(initiative.since),
        "description": _text(initiative.description, codes),
        "criteria": [{"program": program, "criterion": criterion}
                     for program, criterion in initiative.criteria],
        "note": _text(initiative.note, codes),
        "sources": list(initiative.sources),
    }


def _partner(partner: Partner, codes: tuple[str, ...]) -> Json:
    return {
        "name": _text(partner.name, codes),
        "kind": partner.kind,
        "role": _text(partner.role, codes),
        "since": _date(partner.since),
        "note": _text(partner.note, codes),
        "sources": list(partner.sources),
    }


def _milestone(milestone: Milestone, codes: tuple[str, ...]) -> Json:
    return {
        "date": _date(milestone.date),
        "text": _text(milestone.text, codes),
        "note": _text(milestone.note, codes),
        "sources": list(milestone.sources),
    }


def _plan(plan: Plan, codes: tuple[str, ...]) -> Json:
    return {
        "name": _text(plan.name, codes),
        "start": plan.start,
        "end": plan.end,
        "description": _text(plan.description, codes),
        "pillars": [_text(pillar, codes) for pillar in plan.pillars],
        "note": _text(plan.note, codes),
        "sources": list(plan.sources),
    }


def _goal(goal: Goal, codes: tuple[str, ...]) -> Json:
    return {
        "text": _text(goal.text, codes),
        "by": _date(goal.by),
        "note": _text(goal.note, codes),
        "sources": list(goal.sources),
    }


def _person(person: Person, codes: tuple[str, ...]) -> Json:
    return {
        "name": _text(person.name, codes),
        "role": _text(person.role, codes),
        "quote": _text(person.quote, codes),
        "note": _text(person.note, codes),
        "sources": list(person.sources),
    }


def community_sources(community: Community) -> Iterator[str]:
    """Every source id the community's facts cite (repeats included), in file order."""
    yield from community.summary.sources
    for fact in (*community.recognitions, *community.initiatives, *community.partners,
                 *community.milestones, *community.plans, *community.goals, *community.people):
        yield from fact.sources
    for figure in community.figures:
        for value in figure.values:
            yield from value.sources


def _program_sources(program: Program) -> Iterator[str]:
    yield from program.sources
    for part in (*program.stages, *program.criteria, *program.members):
        yield from part.sources


def _text(text: Text | None, codes: tuple[str, ...]) -> dict[str, str] | None:
    """Language code -> text: the site's languages in settings order, then any other
    language (only source titles have those) in the order the file gives them."""
    if text is None:
        return None
    given = dict(text.items)
    ordered = {code: given[code] for code in codes if code in given}
    ordered.update((code, value) for code, value in text.items if code not in ordered)
    return ordered


def _date(date: PartialDate | None) -> str | None:
    return None if date is None else date.iso()


def _number(value: float) -> int | float:
    """Whole numbers as integers (1300000, not 1300000.0)."""
    return int(value) if float(value).is_integer() else value


# CSV -------------------------------------------------------------------------------------


def fact_header(settings: Settings) -> list[str]:
    """The columns of every fact table: FACT_COLUMNS with each * spread over the languages."""
    header: list[str] = []
    for column in FACT_COLUMNS:
        if column.endswith("*"):
            header.extend(f"{column[:-1]}_{code}" for code in settings.codes)
        else:
            header.append(column)
    return header


def fact_rows(site: Site, community: Community) -> Iterator[list[str]]:
    """One row per fact of ``community``, in the order of its fact file's sections."""
    codes = site.settings.codes
    header = fact_header(site.settings)

    def row(type_: str, sources: tuple[str, ...], **cells: str | Text | None) -> list[str]:
        values: dict[str, str] = {"community": community.slug, "type": type_,
                                  "sources": " ".join(sources)}
        for name, cell in cells.items():
            if isinstance(cell, Text):
                values.update((f"{name}_{code}", cell.get(code) or "") for code in codes)
            elif cell is not None:
                values[name] = cell
        return [values.get(column, "") for column in header]

    for r in community.recognitions:
        program = site.programs[r.program]
        stage = program.stage(r.stage)
        yield row("recognition", r.sources, id=r.program, value=r.stage, year=str(r.year),
                  date=r.date.iso() if r.date else str(r.year),
                  name=stage.name if stage else None, text=r.theme, detail=r.place,
                  note=r.note)
    for figure in community.figures:
        for v in figure.values:
            yield row("figure", v.sources, id=figure.id, date=v.as_of.iso(),
                      value=_plain_number(v.value), qualifier=v.qualifier, status=v.status,
                      format=figure.format, unit=figure.unit, name=figure.label,
                      note=_joined([figure.note, v.note]))
    for i in community.initiatives:
        yield row("initiative", i.sources, kind=i.kind, date=_iso(i.since), name=i.name,
                  text=i.description, note=i.note,
                  criteria=" ".join(f"{program}/{criterion}" for program, criterion in i.criteria))
    for p in community.partners:
        yield row("partner", p.sources, kind=p.kind, date=_iso(p.since), name=p.name,
                  text=p.role, note=p.note)
    for m in community.milestones:
        yield row("milestone", m.sources, date=m.date.iso(), text=m.text, note=m.note)
    for plan in community.plans:
        yield row("plan", plan.sources, date=_year(plan.start), end=_year(plan.end),
                  name=plan.name, text=plan.description,
                  detail=_joined(plan.pillars, "\n"), note=plan.note)
    for g in community.goals:
        yield row("goal", g.sources, date=_iso(g.by), text=g.text, note=g.note)
    for person in community.people:
        yield row("person", person.sources, name=person.name, text=person.role,
                  detail=person.quote, note=person.note)


def _source_table(site: Site) -> tuple[list[str], list[list[str]]]:
    """sources.csv: titles in the site's languages, then in any other language a title is
    given in (sorted by code), so an original title is never lost."""
    codes = site.settings.codes
    extra = sorted({code for s in site.sources.values() for code, _ in s.title.items}
                   - set(codes))
    title_codes = [*codes, *extra]
    header = ["id", "language", "publisher", "author", "date", "url",
              *(f"title_{code}" for code in title_codes), *(f"note_{code}" for code in codes)]
    rows = [
        [s.id, s.language, s.publisher or "", s.author or "", _iso(s.date), s.url or "",
         *(s.title.get(code) or "" for code in title_codes),
         *((s.note.get(code) or "") if s.note else "" for code in codes)]
        for s in site.sources.values()
    ]
    return header, rows


def _joined(texts: Iterable[Text | None], separator: str = "\n\n") -> Text | None:
    """Several texts as one, per language (for one spreadsheet cell)."""
    present = [text for text in texts if text is not None]
    if not present:
        return None
    codes = dict.fromkeys(code for text in present for code, _ in text.items)
    return Text(tuple(
        (code, separator.join(t for t in (text.get(code) for text in present) if t))
        for code in codes
    ))


def _plain_number(value: float) -> str:
    """Digits as a spreadsheet reads them: no grouping, no exponent, no trailing .0."""
    if float(value).is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def _iso(date: PartialDate | None) -> str:
    return date.iso() if date else ""


def _year(year: int | None) -> str:
    return "" if year is None else str(year)


def _csv(header: list[str], rows: Iterable[list[str]]) -> bytes:
    return _csv_rows([header]) + _csv_rows(rows)


def _csv_rows(rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")
