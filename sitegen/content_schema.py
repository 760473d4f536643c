"""The content format: which keys each file holds, their types and what they mean.

This is the single definition of the fact-file format. The validator checks files against
it and the same objects describe themselves as JSON Schema for editors.
"""

from __future__ import annotations

from typing import Any

import yaml
from babel import Locale

from sitegen import model
from sitegen.schema import (
    INVALID,
    Context,
    Date,
    Enum,
    Field,
    Id,
    Int,
    LanguageCode,
    ListOf,
    Number,
    QualifiedRef,
    Record,
    Ref,
    Reference,
    Spec,
    Str,
    TextSpec,
    Url,
    describe,
    did_you_mean,
)

COMMUNITY_KINDS = ("province", "city", "region")
FIGURE_FORMATS = ("number", "compact", "percent")
QUALIFIERS = ("exact", "about", "more-than", "nearly", "at-least", "less-than")
STATUSES = ("actual", "target")
INITIATIVE_KINDS = ("project", "facility", "service", "programme", "event", "policy")
PARTNER_KINDS = ("organisation", "company", "city", "university", "network")
CALENDARS = ("gregorian", "buddhist")


class Country(Spec):
    """An ISO 3166-1 alpha-2 code; the country's name comes from CLDR."""

    expected = "a two-letter ISO 3166 country code such as 'VN'"

    def check(self, node: yaml.Node, ctx: Context) -> Any:
        value = self.scalar(node, ctx)
        if value is None:
            return INVALID
        territories = Locale("en").territories
        if not (len(value) == 2 and value.isalpha() and value.upper() in territories):
            return ctx.error(node, f"'{value}' is not a two-letter ISO 3166 country code "
                             "(e.g. VN for Vietnam, KR for South Korea)")
        if value != value.upper():
            return ctx.error(node, f"write the country code in capitals: '{value.upper()}'")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": "^[A-Z]{2}$"}


def _sources() -> Field:
    return Field(
        ListOf(Ref("source"), min_items=1), required=True,
        doc="ids of the sources in content/sources.yaml that state this fact",
    )


def _note() -> Field:
    return Field(TextSpec(), doc="caveats: disagreements between sources, misprints")


def _text(required: bool = False, doc: str = "", markdown: bool = False) -> Field:
    return Field(TextSpec(markdown=markdown), required=required, doc=doc)


DATED_VALUE = Record(model.DatedValue, {
    "value": Field(Number(minimum=0), required=True, doc="the number, digits only"),
    "qualifier": Field(Enum(QUALIFIERS), doc="how precise the source is; default exact"),
    "status": Field(Enum(STATUSES), doc="actual (default) or target"),
    "as_of": Field(Date(), required=True, doc="when the value was true"),
    "note": _note(),
    "sources": _sources(),
}, what="a dated value")

STAGE = Record(model.Stage, {
    "id": Field(Id(), required=True, doc="used by recognitions' 'stage'"),
    "name": _text(required=True),
    "description": _text(markdown=True),
    "sources": _sources(),
}, what="a stage")

CRITERION = Record(model.Criterion, {
    "id": Field(Id(), required=True),
    "name": _text(required=True),
    "description": _text(markdown=True),
    "sources": _sources(),
}, what="a criterion")

PROGRAM = Record(model.Program, {
    "id": Field(Id(), required=True, doc="used by recognitions' 'program'"),
    "name": _text(required=True),
    "organisation": _text(required=True, doc="who runs the programme"),
    "description": _text(markdown=True),
    "stages": Field(ListOf(STAGE, min_items=1, unique=lambda s: s.id, unique_name="stage id"),
                    required=True, doc="from the widest to the highest"),
    "criteria": Field(ListOf(CRITERION, unique=lambda c: c.id, unique_name="criterion id")),
    "members": Field(ListOf(DATED_VALUE), doc="member count of the organisation over time"),
    "sources": _sources(),
}, what="a program")

PROGRAMS_FILE = Record(dict, {
    "programs": Field(ListOf(PROGRAM, unique=lambda p: p.id, unique_name="program id"),
                      required=True),
}, what="the programs file")

SOURCE = Record(model.Source, {
    "id": Field(Id(), required=True, doc="what facts write in their 'sources' list"),
    "publisher": Field(Str(max_length=300), doc="as the publisher writes its name; "
                       "leave it out where the source does not say"),
    "author": Field(Str(max_length=300)),
    "language": Field(LanguageCode(), required=True, doc="language of the article itself"),
    "title": Field(TextSpec(any_language=True), required=True,
                   doc="original title under its own language code, plus translations"),
    "date": Field(Date(), doc="publication date"),
    "url": Field(Url()),
    "note": _note(),
}, what="a source")

SOURCES_FILE = Record(dict, {
    "sources": Field(ListOf(SOURCE, unique=lambda s: s.id, unique_name="source id"),
                     required=True),
}, what="the sources file")

SUMMARY = Record(model.Summary, {
    "text": _text(required=True, markdown=True, doc="one paragraph, Markdown"),
    "sources": _sources(),
}, what="the summary")

def _recognition_extra(values: dict[str, Any], node: yaml.Node, ctx: Context) -> dict[str, Any]:
    """The stage can only be checked against its program once programs are loaded."""
    stage_node = next(v for k, v in node.value if k.value == "stage")
    mark = stage_node.start_mark
    ctx.references.append(Reference(f"stage of {values['program']}", values["stage"],
                                    ctx.path, mark.line + 1, mark.column + 1))
    return values


RECOGNITION = Record(model.Recognition, {
    "program": Field(Ref("program"), required=True, doc="a program id from programs.yaml"),
    "stage": Field(Id(), required=True, doc="a stage id of that program"),
    "year": Field(Int(1900, 2999), required=True, doc="the programme year"),
    "date": Field(Date(), doc="when it was announced"),
    "place": _text(doc="where it was announced or awarded"),
    "theme": _text(),
    "note": _note(),
    "sources": _sources(),
}, what="a recognition", extra=_recognition_extra)


def _figure_extra(values: dict[str, Any], node: yaml.Node, ctx: Context) -> dict[str, Any]:
    if values.get("format") == "percent":
        for value in values["values"]:
            if value.value > 100:
                return ctx.error(node, f"percent value {value.value} is above 100; "
                                 "write 13 for 13 %")
    return values


FIGURE = Record(model.Figure, {
    "id": Field(Id(), required=True, doc="unique within the file"),
    "label": _text(required=True),
    "format": Field(Enum(FIGURE_FORMATS), doc="number (default), compact or percent"),
    "unit": _text(doc="e.g. 'downloads'; shown after the number"),
    "values": Field(ListOf(DATED_VALUE, min_items=1), required=True),
    "note": _note(),
}, what="a figure", extra=_figure_extra)

INITIATIVE = Record(model.Initiative, {
    "name": _text(required=True),
    "kind": Field(Enum(INITIATIVE_KINDS), required=True),
    "since": Field(Date()),
    "description": _text(markdown=True),
    "criteria": Field(ListOf(QualifiedRef("program", "criterion"), unique=lambda c: "/".join(c),
                             unique_name="criterion"),
                      doc="programme criteria it serves, e.g. [icf/broadband]; "
                          "the compare page groups initiatives by them"),
    "note": _note(),
    "sources": _sources(),
}, what="an initiative")

PARTNER = Record(model.Partner, {
    "name": _text(required=True),
    "kind": Field(Enum(PARTNER_KINDS), required=True),
    "role": _text(doc="what the partner does with the community"),
    "since": Field(Date()),
    "note": _note(),
    "sources": _sources(),
}, what="a partner")

MILESTONE = Record(model.Milestone, {
    "date": Field(Date(), required=True),
    "text": _text(required=True, markdown=True),
    "note": _note(),
    "sources": _sources(),
}, what="a milestone")


def _plan_extra(values: dict[str, Any], node: yaml.Node, ctx: Context) -> dict[str, Any]:
    start, end = values.get("start"), values.get("end")
    if start is not None and end is not None and end < start:
        return ctx.error(node, f"the plan ends ({end}) before it starts ({start})")
    return values


PLAN = Record(model.Plan, {
    "name": _text(required=True),
    "start": Field(Int(1900, 2999), doc="first year"),
    "end": Field(Int(1900, 2999), doc="last year"),
    "description": _text(markdown=True),
    "pillars": Field(ListOf(TextSpec())),
    "note": _note(),
    "sources": _sources(),
}, what="a plan", extra=_plan_extra)

GOAL = Record(model.Goal, {
    "text": _text(required=True, markdown=True),
    "by": Field(Date(), doc="the target date"),
    "note": _note(),
    "sources": _sources(),
}, what="a goal")

PERSON = Record(model.Person, {
    "name": _text(required=True),
    "role": _text(required=True),
    "quote": _text(),
    "note": _note(),
    "sources": _sources(),
}, what="a person")

COMMUNITY_FIELDS: dict[str, Field] = {
    "name": _text(required=True, doc="the community's name in each language"),
    "country": Field(Country(), required=True, doc="ISO 3166-1 alpha-2 code, e.g. VN"),
    "kind": Field(Enum(COMMUNITY_KINDS), required=True),
    "summary": Field(SUMMARY, required=True),
    "recognitions": Field(ListOf(RECOGNITION)),
    "figures": Field(ListOf(FIGURE, unique=lambda f: f.id, unique_name="figure id")),
    "initiatives": Field(ListOf(INITIATIVE)),
    "partners": Field(ListOf(PARTNER)),
    "milestones": Field(ListOf(MILESTONE)),
    "plans": Field(ListOf(PLAN)),
    "goals": Field(ListOf(GOAL)),
    "people": Field(ListOf(PERSON)),
}


def community_spec(slug: str) -> Record:
    """The fact-file spec; the slug comes from the file name, not from the file."""
    return Record(lambda **values: model.Community(slug=slug, **values),
                  COMMUNITY_FIELDS, what="a fact file")


class Languages(Spec):
    """``languages:`` in site.yaml: an ordered mapping of code -> settings."""

    expected = "a mapping of language codes to their settings, e.g. 'en: {}'"

    def check(self, node: yaml.Node, ctx: Context) -> Any:
        if not isinstance(node, yaml.MappingNode) or not node.value:
            return ctx.error(node, f"expected {self.expected}, got {describe(node)}")
        languages = []
        for key, value in node.value:
            code = LanguageCode().check(key, ctx)
            if value.tag == "tag:yaml.org,2002:null":
                settings: Any = {}
            else:
                settings = LANGUAGE.check(value, ctx)
            if code is not INVALID and settings is not INVALID:
                languages.append(model.Language(code, **settings))
        if len(languages) != len(node.value):
            return INVALID
        return tuple(languages)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "object", "minProperties": 1,
                "additionalProperties": LANGUAGE.json_schema()}


LANGUAGE = Record(dict, {
    "calendar": Field(Enum(CALENDARS), doc="buddhist shows years in the Buddhist Era"),
}, what="a language's settings")


def _settings_extra(values: dict[str, Any], node: yaml.Node, ctx: Context) -> dict[str, Any]:
    codes = [language.code for language in values["languages"]]
    default = values.get("default_language", codes[0])
    if default not in codes:
        return ctx.error(node, f"default_language '{default}' is not one of the site's "
                         f"languages ({', '.join(codes)})" + did_you_mean(default, codes))
    return {**values, "default_language": default}


SITE_FIELDS: dict[str, Field] = {
    "title": _text(required=True),
    "tagline": _text(required=True),
    "base_url": Field(Url(), required=True, doc="where dist/ is served, e.g. "
                      "https://example.org/ or https://user.github.io/project/"),
    "default_language": Field(LanguageCode(), doc="defaults to the first language"),
    "languages": Field(Languages(), required=True, doc="in switcher order"),
}

SITE = Record(model.Settings, SITE_FIELDS, what="site settings", extra=_settings_extra)
