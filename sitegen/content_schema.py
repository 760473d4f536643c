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
    JsonSchema,
    LanguageCode,
    ListOf,
    Number,
    QualifiedRef,
    Record,
    Ref,
    Reference,
    SchemaLanguages,
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

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        codes = sorted(code for code in Locale("en").territories
                       if len(code) == 2 and code.isalpha())
        return {"type": "string", "enum": codes,
                "errorMessage": f"expected {self.expected}, in capitals"}


def _sources() -> Field:
    return Field(
        ListOf(Ref("source"), min_items=1), required=True,
        doc="ids of the sources in content/sources.yaml that state this fact",
    )


def _note() -> Field:
    return Field(TextSpec(), doc="caveats: disagreements between sources, misprints")


def _name(what: str) -> Field:
    return _text(required=True, doc=f"the {what}'s name in each language")


def _text(required: bool = False, doc: str = "", markdown: bool = False) -> Field:
    return Field(TextSpec(markdown=markdown), required=required, doc=doc)


DATED_VALUE = Record(model.DatedValue, {
    "value": Field(Number(minimum=0), required=True,
                   doc="the number, digits only (13 for 13 %, 1300000 for 1.3 million)"),
    "qualifier": Field(Enum(QUALIFIERS), doc="how precise the source is; default exact"),
    "status": Field(Enum(STATUSES), doc="actual (default) or target"),
    "as_of": Field(Date(), required=True, doc="when the value was true, or is due"),
    "note": _note(),
    "sources": _sources(),
}, what="a dated value")

STAGE = Record(model.Stage, {
    "id": Field(Id(), required=True, doc="used by recognitions' 'stage'"),
    "name": _name("stage"),
    "description": _text(markdown=True, doc="what reaching this stage means"),
    "sources": _sources(),
}, what="a stage")

CRITERION = Record(model.Criterion, {
    "id": Field(Id(), required=True,
                doc="used by initiatives' 'criteria', after the program id: icf/<id>"),
    "name": _name("criterion"),
    "description": _text(markdown=True, doc="what the programme looks for"),
    "sources": _sources(),
}, what="a criterion")

PROGRAM = Record(model.Program, {
    "id": Field(Id(), required=True, doc="used by recognitions' 'program'"),
    "name": _name("programme"),
    "organisation": _text(required=True, doc="who runs the programme"),
    "description": _text(markdown=True, doc="what the programme is, for its page"),
    "stages": Field(ListOf(STAGE, min_items=1, unique=lambda s: s.id, unique_name="stage id"),
                    required=True, doc="from the widest to the highest"),
    "criteria": Field(ListOf(CRITERION, unique=lambda c: c.id, unique_name="criterion id"),
                      doc="what the programme judges communities on"),
    "members": Field(ListOf(DATED_VALUE), doc="member count of the organisation over time"),
    "sources": _sources(),
}, what="a program")

PROGRAMS_FILE = Record(dict, {
    "programs": Field(ListOf(PROGRAM, unique=lambda p: p.id, unique_name="program id"),
                      required=True, doc="the recognition programmes fact files refer to"),
}, what="the programs file")

SOURCE = Record(model.Source, {
    "id": Field(Id(), required=True, doc="what facts write in their 'sources' list"),
    "publisher": Field(Str(max_length=300), doc="as the publisher writes its name; "
                       "leave it out where the source does not say"),
    "author": Field(Str(max_length=300), doc="as the source writes the name"),
    "language": Field(LanguageCode(), required=True, doc="language of the article itself"),
    "title": Field(TextSpec(any_language=True), required=True,
                   doc="original title under its own language code, plus translations"),
    "date": Field(Date(), doc="publication date"),
    "url": Field(Url(), doc="where to read it (http or https)"),
    "note": _note(),
}, what="a source")

SOURCES_FILE = Record(dict, {
    "sources": Field(ListOf(SOURCE, unique=lambda s: s.id, unique_name="source id"),
                     required=True, doc="the articles and documents facts are taken from"),
}, what="the sources file")

SUMMARY = Record(model.Summary, {
    "text": _text(required=True, markdown=True,
                  doc="what the place is and why it matters: one paragraph, Markdown"),
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
    "theme": _text(doc="the theme of that year's programme"),
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
    "label": _text(required=True, doc="what is counted, e.g. 'App downloads'"),
    "format": Field(Enum(FIGURE_FORMATS), doc="number (default), compact (1.3 million) "
                    "or percent (13 means 13 %)"),
    "unit": _text(doc="e.g. 'downloads'; shown after the number"),
    "values": Field(ListOf(DATED_VALUE, min_items=1), required=True,
                    doc="one or more dated values; add a new one rather than overwrite"),
    "note": _note(),
}, what="a figure", extra=_figure_extra, extra_schema={  # _figure_extra, for editors
    "if": {"properties": {"format": {"const": "percent"}}, "required": ["format"]},
    "then": {"properties": {"values": {"items": {"properties": {"value": {
        "maximum": 100, "description": "a percentage: 13 means 13 %"}}}}}},
})

INITIATIVE = Record(model.Initiative, {
    "name": _name("initiative"),
    "kind": Field(Enum(INITIATIVE_KINDS), required=True,
                  doc="project, facility, service, programme, event or policy"),
    "since": Field(Date(), doc="when it started"),
    "description": _text(markdown=True, doc="what it does"),
    "criteria": Field(ListOf(QualifiedRef("program", "criterion"), unique=lambda c: "/".join(c),
                             unique_name="criterion"),
                      doc="programme criteria it serves, e.g. [icf/broadband]; "
                          "the compare page groups initiatives by them"),
    "note": _note(),
    "sources": _sources(),
}, what="an initiative")

PARTNER = Record(model.Partner, {
    "name": _name("partner"),
    "kind": Field(Enum(PARTNER_KINDS), required=True,
                  doc="organisation, company, city, university or network"),
    "role": _text(doc="what the partner does with the community"),
    "since": Field(Date(), doc="when the partnership started"),
    "note": _note(),
    "sources": _sources(),
}, what="a partner")

MILESTONE = Record(model.Milestone, {
    "date": Field(Date(), required=True, doc="when it happened"),
    "text": _text(required=True, markdown=True, doc="what happened"),
    "note": _note(),
    "sources": _sources(),
}, what="a milestone")


def _plan_extra(values: dict[str, Any], node: yaml.Node, ctx: Context) -> dict[str, Any]:
    start, end = values.get("start"), values.get("end")
    if start is not None and end is not None and end < start:
        return ctx.error(node, f"the plan ends ({end}) before it starts ({start})")
    return values


PLAN = Record(model.Plan, {
    "name": _name("plan"),
    "start": Field(Int(1900, 2999), doc="first year"),
    "end": Field(Int(1900, 2999), doc="last year, not before the first"),
    "description": _text(markdown=True, doc="what the plan sets out to do"),
    "pillars": Field(ListOf(TextSpec()), doc="its main lines, one text each"),
    "note": _note(),
    "sources": _sources(),
}, what="a plan", extra=_plan_extra)

GOAL = Record(model.Goal, {
    "text": _text(required=True, markdown=True, doc="the goal"),
    "by": Field(Date(), doc="the target date"),
    "note": _note(),
    "sources": _sources(),
}, what="a goal")

PERSON = Record(model.Person, {
    "name": _text(required=True, doc="the person's name in each language"),
    "role": _text(required=True, doc="their position, e.g. 'Chairman of the People's "
                  "Committee'"),
    "quote": _text(doc="what they said, as the source reports it"),
    "note": _note(),
    "sources": _sources(),
}, what="a person")

COMMUNITY_FIELDS: dict[str, Field] = {
    "name": _text(required=True, doc="the community's name in each language"),
    "country": Field(Country(), required=True, doc="ISO 3166-1 alpha-2 code, e.g. VN"),
    "kind": Field(Enum(COMMUNITY_KINDS), required=True,
                  doc="what sort of place: province, city or region"),
    "summary": Field(SUMMARY, required=True, doc="the paragraph at the top of the sheet"),
    "recognitions": Field(ListOf(RECOGNITION),
                          doc="stages reached in programmes of content/programs.yaml"),
    "figures": Field(ListOf(FIGURE, unique=lambda f: f.id, unique_name="figure id"),
                     doc="numbers with their history; the first four head the sheet"),
    "initiatives": Field(ListOf(INITIATIVE),
                         doc="projects, facilities, services, programmes, events, policies"),
    "partners": Field(ListOf(PARTNER),
                      doc="organisations, companies, cities, universities, networks"),
    "milestones": Field(ListOf(MILESTONE), doc="dated events, in any order"),
    "plans": Field(ListOf(PLAN), doc="strategy phases"),
    "goals": Field(ListOf(GOAL), doc="what the community aims for, and by when"),
    "people": Field(ListOf(PERSON), doc="people quoted or named by the sources"),
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

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        settings = {**LANGUAGE.json_schema(languages), "type": ["object", "null"]}
        return {"type": "object", "minProperties": 1,
                "propertyNames": LanguageCode().json_schema(),
                "additionalProperties": settings}


LANGUAGE = Record(dict, {
    "calendar": Field(Enum(CALENDARS), doc="buddhist shows years in the Buddhist Era"),
}, what="a language's settings")


def _settings_extra(values: dict[str, Any], node: yaml.Node, ctx: Context) -> dict[str, Any]:
    codes = [language.code for language in values["languages"]]
    default = values.get("default_language", codes[0])
    if default not in codes:
        where = next((value for key, value in node.value if key.value == "default_language"),
                     node)
        return ctx.error(where, f"default_language '{default}' is not one of the site's "
                         f"languages ({', '.join(codes)})" + did_you_mean(default, codes))
    return {**values, "default_language": default}


SITE_FIELDS: dict[str, Field] = {
    "title": _text(required=True, doc="the site's name, at the top of every page"),
    "tagline": _text(required=True, doc="one line under the title on the index pages"),
    "base_url": Field(Url(), required=True, doc="where dist/ is served, e.g. "
                      "https://example.org/ or https://user.github.io/project/"),
    "default_language": Field(LanguageCode(), doc="defaults to the first language"),
    "languages": Field(Languages(), required=True, doc="in switcher order"),
    "page_size": Field(Int(minimum=5, maximum=1000),
                       doc="communities per page of the index, compare and programme pages "
                       "(default 50); longer lists continue on further pages"),
    "limits": Field(Record(model.Limits, {
        "file_size": Field(Int(minimum=1024, maximum=1024 ** 3),
                           doc="the largest content file accepted, in bytes (default "
                           "2097152: 2 MB)"),
        "nesting": Field(Int(minimum=8, maximum=1000),
                         doc="how deeply mappings and lists may nest in a content file "
                         "(default 24)"),
        "aliases": Field(Int(minimum=0, maximum=1_000_000),
                         doc="how many values YAML aliases ('*name', repeating a value "
                         "marked '&name') may repeat in all in one content file, counting "
                         "every value inside a repeated one (default 0: no aliases)"),
    }, what="the limits"), doc="bounds on content files; raise them only for files that "
                          "really need it"),
}

SITE = Record(model.Settings, SITE_FIELDS, what="site settings", extra=_settings_extra)
