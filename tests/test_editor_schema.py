"""Editor support: the JSON Schemas in schema/ and `sitegen new`.

The schemas must agree with `check`: accept every valid file, reject what JSON Schema can
express, and list their limits case by case. Files are read as the YAML language server
reads them (YAML 1.2: `2019-10-29` is a string, not a date).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import REPO, SITES, copy_site, run_cli

from sitegen import content_schema as cs
from sitegen import editor_schema
from sitegen.errors import ErrorList
from sitegen.schema import (
    INVALID,
    Context,
    Date,
    Id,
    LanguageCode,
    ListOf,
    Record,
    Spec,
    Str,
    TextSpec,
    Url,
    definitions,
)

_TIMESTAMP, _BOOL = "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"


class JsonLoader(yaml.SafeLoader):
    """PyYAML read as the YAML language server reads YAML 1.2: no timestamps (dates stay
    strings) and only true/false are booleans ('no' is Norwegian, not False)."""


JsonLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_TIMESTAMP, _BOOL)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
JsonLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                 list("tTfF"))


def read(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=JsonLoader)


def schemas_of(site: Path) -> dict[str, dict[str, Any]]:
    """The schemas the code makes for a site, by file name."""
    generated = editor_schema.generate(editor_schema.site_languages(site))
    return {Path(name).name: json.loads(text) for name, text in generated.items()}


def problems(schemas: dict[str, dict[str, Any]], relative: str, data: Any) -> list[str]:
    file = editor_schema.schema_file_for(relative)
    assert file is not None, relative
    validator = jsonschema.Draft7Validator(schemas[file.name])
    return [f"{relative}:{'/'.join(map(str, e.absolute_path))}: {e.message[:120]}"
            for e in validator.iter_errors(data)]


COMMITTED = {path.name: json.loads(path.read_text(encoding="utf-8"))
             for path in sorted((REPO / "schema").glob("*.schema.json"))}
SHIPPED = sorted([*(REPO / "content").glob("*.yaml"),
                  *(REPO / "content/communities").glob("*.yaml")])


# --- the committed schemas -------------------------------------------------------------

def test_committed_schemas_are_valid_draft_07() -> None:
    assert set(COMMITTED) == {file.name for file in editor_schema.FILES}
    for name, schema in COMMITTED.items():
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#", name
        jsonschema.Draft7Validator.check_schema(schema)


def test_committed_schemas_are_what_the_code_generates() -> None:
    assert editor_schema.outdated(REPO) == [], "run: sitegen schema"
    result = run_cli("schema", "--check", "--site", REPO)
    assert result.code == 0, result.err
    assert "up to date" in result.out


def test_schema_check_fails_on_a_stale_file_and_schema_regenerates_it(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    result = run_cli("schema", "--check", "--site", site)
    assert result.code == 1
    assert "schema/fact-file.schema.json: missing or out of date" in result.err

    assert run_cli("schema", "--site", site).out.count("Wrote schema/") == 4
    assert run_cli("schema", "--check", "--site", site).code == 0
    stale = site / "schema/sources.schema.json"
    stale.write_text(stale.read_text().replace('"sitegen sources"', '"old title"'))
    result = run_cli("schema", "--check", "--site", site)
    assert result.code == 1
    assert result.err.splitlines()[0] == "schema/sources.schema.json: missing or out of date"
    assert run_cli("schema", "--site", site).out == "Wrote schema/sources.schema.json\n"
    assert run_cli("schema", "--check", "--site", site).code == 0


def test_schemas_list_the_site_languages_and_follow_them(tmp_path: Path) -> None:
    """Text mappings take the site's languages; after a change, --check says so."""
    fact = COMMITTED["fact-file.schema.json"]
    name = fact["properties"]["name"]
    assert list(name["properties"]) == ["en", "vi", "ko", "th"]
    assert name["required"] == ["en"] and name["additionalProperties"] is False
    assert "Vietnamese (Tiếng Việt)" in name["properties"]["vi"]["description"]

    site = copy_site(tmp_path / "site")
    run_cli("schema", "--site", site)
    settings = site / "content/site.yaml"
    settings.write_text(settings.read_text() + "  ko: {}\n")
    assert run_cli("schema", "--check", "--site", site).code == 1
    run_cli("schema", "--site", site)
    written = json.loads((site / "schema/fact-file.schema.json").read_text())
    assert list(written["properties"]["name"]["properties"]) == ["en", "vi", "th", "ko"]


# --- accepting every valid file ---------------------------------------------------------

@pytest.mark.parametrize("path", SHIPPED, ids=[p.relative_to(REPO).as_posix() for p in SHIPPED])
def test_shipped_content_file_names_its_schema_and_passes_it(path: Path) -> None:
    relative = path.relative_to(REPO).as_posix()
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == editor_schema.header(relative)
    target = (path.parent / first.split("$schema=")[1]).resolve()
    assert target.is_file() and target.parent == REPO / "schema"
    assert problems(COMMITTED, relative, read(path)) == []


def test_valid_base_site_passes_its_schemas() -> None:
    base = SITES / "base"
    schemas = schemas_of(base)
    files = sorted(base.rglob("*.yaml"))
    assert len(files) == 4
    for path in files:
        relative = path.relative_to(base).as_posix()
        assert problems(schemas, relative, read(path)) == [], relative


# --- rejecting broken files, and the cases JSON Schema cannot judge ----------------------

# Every case of tests/sites/invalid/ must be in exactly one of these.
REJECTED = {
    "bad-url", "bad-values", "empty-file", "missing-required", "undefined-criterion",
    "unknown-key", "unknown-language", "wrong-type", "alias-bomb", "bad-month",
    "bool-as-number", "deep-nesting", "empty-text", "only-comments", "page-size-too-small",
    "programs-bad-stage", "recursive-alias", "site-base-url", "source-data-url",
    "sources-empty-list", "summary-not-mapping", "text-too-long", "top-level-list",
    "unknown-key-deep", "year-out-of-range", "value-with-line-break",
}
# The YAML is readable and the schema accepts it: what check rejects is beyond JSON Schema.
SCHEMA_ACCEPTS = {
    "alias": "anchors and aliases are resolved before a schema sees the data",
    "duplicate-key": "the YAML parser keeps one of two equal keys; the data has no duplicate",
    "duplicate-key-nested": "the YAML parser keeps one of two equal keys",
    "undefined-source": "source, program and stage ids are defined in other files",
    "reserved-slug": "the file name, not its contents, is wrong",
    "unsafe-slug": "the file name, not its contents, is wrong",
    "duplicate-figure-id": "JSON Schema cannot say that one key of each entry is unique",
    "duplicate-key-deep": "the YAML parser keeps one of two equal keys",
    "infinite-value": "YAML's .inf is a number to JSON Schema; check wants a finite one",
    "nan-value": "YAML's .nan is a number to JSON Schema; check wants a finite one",
    "site-default-language": "JSON Schema cannot compare one key's value with another's keys",
    "source-duplicate-id": "JSON Schema cannot say that one key of each entry is unique",
}
# Not YAML a schema can be applied to: editors flag these as YAML errors themselves.
NOT_YAML_DATA = {
    "unsafe-tag": "a tag no safe loader constructs (the language server flags unknown tags)",
    "yaml-bad-indent": "YAML syntax error",
    "yaml-tab-indent": "YAML syntax error",
    "yaml-unclosed-quote": "YAML syntax error",
    "yaml-unclosed-bracket": "YAML syntax error",
    "yaml-unclosed-brace": "YAML syntax error",
    "yaml-colon-in-text": "YAML syntax error",
    "complex-key": "a list as a key, which no safe loader constructs",
    "custom-tag": "a tag no safe loader constructs",
    "python-apply-tag": "a tag no safe loader constructs",
    "not-utf8": "not UTF-8 text",
    "control-character": "a control character, which YAML does not allow in a file",
}
# No content file a schema applies to.
NO_CONTENT_FILE = {
    "broken-po": "a gettext catalog",
    "po-placeholder": "a gettext catalog",
    "template-syntax": "a Jinja template",
    "template-undefined": "a Jinja template",
    "yml-extension": "a .yml file, which check refuses by its name and never reads",
    "same-slug-yml": "a .yml file, which check refuses by its name and never reads",
    "po-missing-msgstr": "a gettext catalog",
    "template-missing-include": "a Jinja template",
    "template-unknown-filter": "a Jinja template",
    "template-not-utf8": "a Jinja template",
    "po-percent-sign": "a gettext catalog",
    "po-extra-placeholder": "a gettext catalog",
    "po-placeholder-kind": "a gettext catalog",
    "po-plural-empty": "a gettext catalog",
    "po-plural-forms": "a gettext catalog",
    "template-bad-call": "a Jinja template",
}
CASES = sorted(path for path in (SITES / "invalid").iterdir() if path.is_dir())


def test_every_invalid_case_is_classified_once() -> None:
    groups = [set(REJECTED), set(SCHEMA_ACCEPTS), set(NOT_YAML_DATA), set(NO_CONTENT_FILE)]
    names = [case.name for case in CASES]
    unclassified = [name for name in names if sum(name in group for group in groups) != 1]
    assert not unclassified, (
        "classify each new case in tests/sites/invalid/ in test_editor_schema.py: "
        f"{unclassified}")
    assert set().union(*groups) == set(names)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_case_is_judged_as_classified(case: Path) -> None:
    schemas = schemas_of(SITES / "base")
    files = [(path.relative_to(case).as_posix(), path) for path in sorted(case.rglob("*"))
             if path.is_file() and path.name != "expected.txt"]
    content = [(relative, path) for relative, path in files
               if editor_schema.schema_file_for(relative) is not None]
    if case.name in NO_CONTENT_FILE:
        assert not content
        return
    assert content
    if case.name in NOT_YAML_DATA:
        for _, path in content:
            with pytest.raises((yaml.YAMLError, UnicodeDecodeError)):
                read(path)
        return
    found = [problem for relative, path in content
             for problem in problems(schemas, relative, read(path))]
    if case.name in REJECTED:
        assert found, f"the schema accepts {case.name}, which check rejects"
    else:
        assert not found, f"the schema now judges {case.name}: move it to REJECTED"


@pytest.mark.parametrize(("case", "expected"), [
    ("bad-values", {"country", "kind", "figures/0/values/0/value", "milestones/0/date",
                    "milestones/1/date"}),
    ("wrong-type", {"recognitions/0/year", "figures/0/values/0/value"}),
    ("unknown-language", {"name", "summary/text"}),
])
def test_schema_flags_each_wrong_value_check_flags(case: str, expected: set[str]) -> None:
    path = SITES / "invalid" / case / "content/communities/sample-city.yaml"
    found = problems(schemas_of(SITES / "base"), "content/communities/sample-city.yaml",
                     read(path))
    assert {problem.split(":")[1] for problem in found} == expected


# --- one definition -----------------------------------------------------------------------

def spec_keys(spec: Spec, where: str = "") -> set[str]:
    """Every key path the validator knows below ``spec``."""
    if isinstance(spec, Record):
        keys = set()
        for name, field in spec.fields.items():
            keys |= {f"{where}{name}"} | spec_keys(field.spec, f"{where}{name}.")
        return keys
    if isinstance(spec, ListOf):
        return spec_keys(spec.item, f"{where.rstrip('.')}[].")
    if isinstance(spec, cs.Languages):
        return spec_keys(cs.LANGUAGE, f"{where.rstrip('.')}{{}}.")
    return set()


def schema_keys(schema: dict[str, Any], where: str = "") -> set[str]:
    """Every key path a schema describes (records carry a title; text mappings do not)."""
    keys: set[str] = set()
    if "title" in schema or where == "":
        for name, sub in schema.get("properties", {}).items():
            keys |= {f"{where}{name}"} | schema_keys(sub, f"{where}{name}.")
    if isinstance(schema.get("items"), dict):
        keys |= schema_keys(schema["items"], f"{where.rstrip('.')}[].")
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict) and "title" in extra:
        keys |= schema_keys(extra, f"{where.rstrip('.')}{{}}.")
    return keys


@pytest.mark.parametrize("file", editor_schema.FILES, ids=lambda f: f.name)
def test_schema_keys_are_the_validators_keys(file: editor_schema.SchemaFile) -> None:
    keys = schema_keys(COMMITTED[file.name])
    assert keys == spec_keys(file.spec())
    assert len(keys) > 4


def test_every_key_is_documented() -> None:
    """The docs are the editor's hover text and the comments of `sitegen new`."""
    def walk(spec: Spec, where: str) -> list[str]:
        if isinstance(spec, ListOf):
            return walk(spec.item, where)
        if isinstance(spec, cs.Languages):
            return walk(cs.LANGUAGE, where)
        if not isinstance(spec, Record):
            return []
        return [missing for name, field in spec.fields.items()
                for missing in ([] if field.doc else [f"{where}{name}"])
                + walk(field.spec, f"{where}{name}.")]

    for file in editor_schema.FILES:
        assert walk(file.spec(), file.applies_to + ": ") == []


# --- values: the schema accepts whatever check accepts -----------------------------------

def check_accepts(spec: Spec, value: str) -> bool:
    node = yaml.compose(f"v: {value}").value[0][1]
    return spec.check(node, Context("x.yaml", ErrorList())) is not INVALID


def schema_accepts(spec: Spec, value: str) -> bool:
    schema = {**spec.json_schema(), "definitions": definitions()}
    data = yaml.load(f"v: {value}", Loader=JsonLoader)["v"]
    return jsonschema.Draft7Validator(schema).is_valid(data)


AGREEMENT = [  # (spec, value as written in YAML, check and schema accept it)
    (Date(), "2019", True), (Date(), "2019-10", True), (Date(), "2019-10-29", True),
    (Date(), "'2019-1-5'", True), (Date(), '"2019"', True), (Date(), "2023-02-31", False),
    (Date(), "2023-04-31", False), (Date(), "2019-13", False), (Date(), "2019-00", False),
    (Date(), "2019-10-00", False), (Date(), "20023", False), (Date(), "999", False),
    (Date(), "'19-10-29'", False), (Date(), "2019-10-29T10:00", False),
    (Url(), "https://example.org/a?b#c", True), (Url(), "HTTP://EXAMPLE.ORG", True),
    (Url(), "javascript:alert(1)", False), (Url(), "https:///path", False),
    (Url(), "'https://exa mple.org'", False), (Url(), "ftp://example.org", False),
    (Id(), "binh-duong", True), (Id(), "2019", True), (Id(), "Binh", False),
    (Id(), "a--b", False), (Id(), "-5", False),
    (Str(), "text", True), (Str(), "2019", True), (Str(), "1.5", True), (Str(), "yes", True),
    (Str(), "''", False), (Str(), "'   '", False), (Str(), "[a]", False),
    (LanguageCode(), "vi", True), (LanguageCode(), "pt-BR", True), (LanguageCode(), "EN", True),
    (LanguageCode(), "iw", True), (LanguageCode(), "no", True), (LanguageCode(), "jp", False),
    (LanguageCode(), "xx-nonsense", False),
    (cs.Country(), "VN", True), (cs.Country(), "vn", False), (cs.Country(), "XX", False),
    (TextSpec(), "{en: a, vi: b}", True), (TextSpec(), "{en: }", False),
    (TextSpec(), "{}", False), (TextSpec(), "text", False),
]


@pytest.mark.parametrize(("spec", "value", "valid"), AGREEMENT,
                         ids=[f"{type(s).__name__}:{v}" for s, v, _ in AGREEMENT])
def test_schema_and_check_agree_on_values(spec: Spec, value: str, valid: bool) -> None:
    assert check_accepts(spec, value) is valid
    assert schema_accepts(spec, value) is valid


def test_schema_lets_through_only_what_it_cannot_express() -> None:
    """29 February of a common year: check knows the calendar, the pattern does not."""
    assert not check_accepts(Date(), "2023-02-29")
    assert schema_accepts(Date(), "2023-02-29")


def test_every_language_code_check_accepts_matches_the_schema() -> None:
    letters = "abcdefghijklmnopqrstuvwxyz"
    codes = [a + b for a in letters for b in letters]
    accepted = [code for code in codes if check_accepts(LanguageCode(), code)]
    assert len(accepted) > 150
    assert [code for code in accepted if not schema_accepts(LanguageCode(), code)] == []


def test_percent_above_100_is_flagged_in_the_editor_too() -> None:
    figure = {"id": "share", "label": {"en": "Share"}, "format": "percent",
              "values": [{"value": 130, "as_of": 2020, "sources": ["a"]}]}
    data = {"name": {"en": "X"}, "country": "VN", "kind": "city",
            "summary": {"text": {"en": "x"}, "sources": ["a"]}, "figures": [figure]}
    relative = "content/communities/x.yaml"
    assert problems(COMMITTED, relative, data)
    figure["format"] = "number"
    assert problems(COMMITTED, relative, data) == []


# --- sitegen new ---------------------------------------------------------------------------

FILLED = {  # what an editor types after each empty required key
    "country:": "country: VN",
    "kind:": "kind: region",
    "  sources:": "  sources: [article-one]",
}


def fill(text: str) -> str:
    """Fill the required values of a new fact file by editing its lines, as an editor does."""
    lines = text.splitlines()
    name = lines.index("name:") + 1
    summary = lines.index("  text:", lines.index("summary:")) + 1
    assert lines[name].startswith("  en:") and lines[summary].startswith("    en:")
    lines[name] = lines[name].replace("en:", "en: New Place", 1)
    lines[summary] = lines[summary].replace("en:", "en: A *new* place.", 1)
    lines = [FILLED.get(line, line) for line in lines]
    return "\n".join(lines) + "\n"


def test_new_fact_file_asks_for_the_required_values_then_builds(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    result = run_cli("new", "new-place", "--site", site)
    assert result.code == 0, result.err
    path = site / "content/communities/new-place.yaml"
    assert f"Created {path}" in result.out
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ("# yaml-language-server: "
                                    "$schema=../../schema/fact-file.schema.json")
    assert (path.parent / "../../schema/fact-file.schema.json").resolve().is_file()
    assert run_cli("schema", "--check", "--site", site).code == 0

    result = run_cli("check", "--site", site)
    assert result.code == 1
    lines = text.splitlines()
    reported = []
    for line in result.err.splitlines()[:-1]:
        where, _, message = line.partition(": ")
        file, number, _ = where.split(":")
        assert file == "content/communities/new-place.yaml"
        reported.append((lines[int(number) - 1].split(":")[0].strip(), message))
    assert reported == [
        ("en", "no text after 'en:'; the text in the default language is required"),
        ("country", "a fact file has no value for the required key 'country' "
                    "(ISO 3166-1 alpha-2 code, e.g. VN)"),
        ("kind", "a fact file has no value for the required key 'kind' "
                 "(what sort of place: province, city or region)"),
        ("en", "no text after 'en:'; the text in the default language is required"),
        ("sources", "the summary has no value for the required key 'sources' "
                    "(ids of the sources in content/sources.yaml that state this fact)"),
    ]
    schemas = schemas_of(site)
    relative = "content/communities/new-place.yaml"
    flagged = {problem.split(":")[1] for problem in problems(schemas, relative, read(path))}
    assert flagged == {"name/en", "country", "kind", "summary/text/en", "summary/sources"}

    path.write_text(fill(text), encoding="utf-8")
    assert problems(schemas, relative, read(path)) == []
    result = run_cli("check", "--site", site)
    assert result.code == 0, result.err
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    page = (site / "dist/en/new-place/index.html").read_text(encoding="utf-8")
    assert "New Place" in page and "<em>new</em>" in page
    assert (site / "dist/vi/new-place/index.html").is_file()


def uncomment_sections(text: str) -> str:
    """Uncomment every optional section, as an editor selects its lines and uncomments."""
    out, inside = [], False
    for line in text.splitlines():
        key = re.fullmatch(r"# ([a-z_]+):", line)
        if key and key.group(1) in cs.COMMUNITY_FIELDS:
            inside = True
        elif not line.startswith("#   "):
            inside = False
        out.append(line[2:] if inside else line)
    return "\n".join(out) + "\n"


def test_new_fact_file_has_every_key_and_its_sections_uncomment_cleanly(
        tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    assert run_cli("new", "new-place", "--site", site).code == 0
    path = site / "content/communities/new-place.yaml"
    opened = uncomment_sections(fill(path.read_text(encoding="utf-8")))
    path.write_text(opened, encoding="utf-8")

    data = read(path)
    assert set(data) == set(cs.COMMUNITY_FIELDS)
    written = {f"{key}.{sub}" for key, value in data.items() if isinstance(value, list)
               for sub in value[0]}
    written |= {f"figures.values.{sub}" for sub in data["figures"][0]["values"][0]}
    defined = {f"{key}.{sub}" for key, field in cs.COMMUNITY_FIELDS.items()
               if isinstance(field.spec, ListOf) for sub in field.spec.item.fields}
    defined |= {f"figures.values.{sub}" for sub in cs.DATED_VALUE.fields}
    assert written == defined  # every key of every section, with nothing to add

    result = run_cli("check", "--site", site)
    messages = [line.partition(": ")[2] for line in result.err.splitlines()[:-1]]
    assert result.code == 1 and len(messages) > 8
    unclear = [m for m in messages if not re.match(r"(an?|the) [a-z ]+ has no value for the "
                                                   r"required key|no text after 'en:'", m)]
    assert unclear == []
    for doc in (comment.strip("# ") for comment in opened.splitlines()
                if comment.lstrip().startswith("# ")):
        assert doc  # no empty comment lines


@pytest.mark.parametrize(("slug", "message"), [
    ("Bad_Slug", "error: 'Bad_Slug' cannot be a page address (slug): use lowercase letters "
                 "a-z, digits and single hyphens, e.g. 'binh-duong'"),
    ("a--b", "error: 'a--b' cannot be a page address (slug)"),
    ("programs", "error: 'programs' is the address of another part of the site; "
                 "choose another slug"),
    ("compare", "error: 'compare' is the address of another part of the site"),
    ("sample-city", "error: content/communities/sample-city.yaml already exists; edit it, "
                    "or choose another slug"),
])
def test_new_refuses_bad_reserved_and_existing_slugs(tmp_path: Path, slug: str,
                                                     message: str) -> None:
    site = copy_site(tmp_path / "site")
    before = {p: p.read_bytes() for p in (site / "content").rglob("*") if p.is_file()}
    result = run_cli("new", slug, "--site", site)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.splitlines()[-1].startswith(message)
    after = {p: p.read_bytes() for p in (site / "content").rglob("*") if p.is_file()}
    assert after == before
    assert not (site / "schema").exists()


def test_new_outside_a_site_says_so(tmp_path: Path) -> None:
    result = run_cli("new", "x", "--site", tmp_path)
    assert result.code == 1
    assert "site settings file not found" in result.err
    assert not any(tmp_path.iterdir())


def test_new_writes_the_site_languages(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    shutil.rmtree(site / "content/communities")
    assert run_cli("new", "first", "--site", site).code == 0
    text = (site / "content/communities/first.yaml").read_text(encoding="utf-8")
    assert "  en:  # English: required\n  # vi:  # Vietnamese (Tiếng Việt)\n" \
           "  # th:  # Thai (ไทย)\n" in text
    assert "# ko:" not in text  # the base site has no Korean
