"""The open data under dist/data/, read back as a consumer would and compared with the YAML."""

from __future__ import annotations

import csv
import datetime
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, get_args, get_type_hints

import hypothesis
import pytest
import yaml
from conftest import REPO, run_cli
from hypothesis import strategies as st

from sitegen import export, model

CONTENT = REPO / "content"
COMMUNITIES = sorted(p.stem for p in (CONTENT / "communities").glob("*.yaml"))
FACT_SECTIONS = ("recognitions", "initiatives", "partners", "milestones", "plans", "goals",
                 "people")
DATE_KEYS = {"as_of", "date", "since", "by"}
TRICKY = '"quoted, with comma"\nand newline'


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def read_json(path: Path) -> Any:
    return json.loads(path.read_bytes().decode("utf-8"))


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def iso(value: Any) -> str:
    """A YAML date as the files write it: 2025 -> "2025", date(2019, 10, 29) -> "2019-10-29"."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return f"{value:04d}"
    return str(value)


def fact_count(fact_file: dict[str, Any]) -> int:
    """Facts of one YAML fact file: each figure value, and each item of the other lists."""
    values = sum(len(figure["values"]) for figure in fact_file.get("figures", []))
    return values + sum(len(fact_file.get(section, [])) for section in FACT_SECTIONS)


def assert_holds(given: Any, exported: Any, where: str) -> None:
    """Everything the YAML gives is in the export, at the same place, with the same value."""
    if isinstance(given, dict):
        assert isinstance(exported, dict), where
        for key, value in given.items():
            assert key in exported, f"{where}.{key} is missing"
            if key in DATE_KEYS:
                assert exported[key] == iso(value), f"{where}.{key}"
            else:
                assert_holds(value, exported[key], f"{where}.{key}")
    elif isinstance(given, list):
        assert isinstance(exported, list) and len(exported) == len(given), where
        for index, (a, b) in enumerate(zip(given, exported, strict=True)):
            assert_holds(a, b, f"{where}[{index}]")
    elif isinstance(given, str) and isinstance(exported, dict):
        # an initiative's criterion, written "program/criterion" in YAML
        assert given == f"{exported['program']}/{exported['criterion']}", where
    else:
        assert exported == given and type(exported) is type(given), where


def source_refs(value: Any) -> Iterator[str]:
    """Every source id a JSON document cites, wherever it is."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "sources" and item and isinstance(item[0], str):
                yield from item
            else:
                yield from source_refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from source_refs(item)


@pytest.fixture(scope="module")
def site_json(shipped_dist: Path) -> dict[str, Any]:
    return read_json(shipped_dist / "data/site.json")


def test_site_json_holds_the_settings_sources_and_programmes(site_json) -> None:
    assert re.fullmatch(r"sitegen-facts/\d+", site_json["format"])
    settings = read_yaml(CONTENT / "site.yaml")
    exported = site_json["settings"]
    codes = list(settings["languages"])
    assert [language["code"] for language in exported["languages"]] == codes
    for language in exported["languages"]:
        given = settings["languages"][language["code"]] or {}
        assert language["calendar"] == given.get("calendar", "gregorian")
    assert exported["default_language"] == settings.get("default_language", codes[0])
    assert exported["base_url"] == settings["base_url"]
    assert_holds(settings["title"], exported["title"], "title")
    assert_holds(settings["tagline"], exported["tagline"], "tagline")
    assert_holds(read_yaml(CONTENT / "sources.yaml")["sources"], site_json["sources"], "sources")
    assert_holds(read_yaml(CONTENT / "programs.yaml")["programs"], site_json["programs"],
                 "programs")


def test_site_json_holds_every_community_with_every_field(site_json) -> None:
    exported = {community["slug"]: community for community in site_json["communities"]}
    assert sorted(exported) == COMMUNITIES
    assert len(site_json["communities"]) == len(COMMUNITIES)
    for slug in COMMUNITIES:
        assert_holds(read_yaml(CONTENT / "communities" / f"{slug}.yaml"), exported[slug], slug)


def nested_record(hint: Any) -> type | None:
    """The dataclass a field holds (alone, optional or in a tuple or dict), if any; texts and
    dates are values, not records."""
    if isinstance(hint, type) and is_dataclass(hint):
        return None if hint in (model.Text, model.PartialDate) else hint
    for arg in get_args(hint):
        found = nested_record(arg)
        if found is not None:
            return found
    return None


def assert_shape(exported: Any, record: type, where: str) -> int:
    """The export of a model record has one key per field of the record, recursively;
    returns how many records it checked."""
    # Not facts: the site's folder, how many communities a listing page shows, and the
    # bounds on content files.
    names = {field.name for field in fields(record)} - {"root", "page_size", "limits"}
    assert isinstance(exported, dict), where
    assert set(exported) == names, f"{where}: {set(exported) ^ names}"
    checked = 1
    hints = get_type_hints(record, vars(model))
    for name in names:
        inner, value = nested_record(hints[name]), exported[name]
        if inner is None or value is None:
            continue
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            checked += assert_shape(item, inner, f"{where}.{name}[{index}]")
    return checked


def test_json_has_a_key_for_every_field_of_the_model(shipped_dist: Path, site_json) -> None:
    records = assert_shape({k: v for k, v in site_json.items() if k != "format"},
                           model.Site, "site")
    assert records > len(site_json["communities"]) + len(site_json["sources"])
    for slug in COMMUNITIES:
        document = read_json(shipped_dist / f"data/communities/{slug}.json")
        assert set(document) == {"format", "community", "sources", "programs"}
        assert_shape(document["community"], model.Community, slug)


def test_figure_values_and_dates_are_the_yaml_ones(site_json) -> None:
    checked = 0
    exported = {community["slug"]: community for community in site_json["communities"]}
    for slug in COMMUNITIES:
        figures = read_yaml(CONTENT / "communities" / f"{slug}.yaml").get("figures", [])
        by_id = {figure["id"]: figure for figure in exported[slug]["figures"]}
        for figure in figures:
            for given, value in zip(figure["values"], by_id[figure["id"]]["values"], strict=True):
                assert value["value"] == given["value"]
                assert value["as_of"] == iso(given["as_of"])
                assert value["sources"] == given["sources"]
                checked += 1
    assert checked == sum(len(c["values"]) for s in exported.values() for c in s["figures"])
    assert checked > 0


def test_every_cited_source_is_in_the_same_file(shipped_dist: Path, site_json) -> None:
    documents = [site_json, *(read_json(shipped_dist / f"data/communities/{slug}.json")
                              for slug in COMMUNITIES)]
    for document in documents:
        ids = [source["id"] for source in document["sources"]]
        cited = set(source_refs(document))
        assert cited, "the file cites no source"
        assert cited <= set(ids), cited - set(ids)
        assert len(ids) == len(set(ids))


def test_each_community_file_is_self_contained(shipped_dist: Path, site_json) -> None:
    communities = {community["slug"]: community for community in site_json["communities"]}
    programs = {program["id"]: program for program in site_json["programs"]}
    sources = {source["id"]: source for source in site_json["sources"]}
    for slug in COMMUNITIES:
        document = read_json(shipped_dist / f"data/communities/{slug}.json")
        assert document["format"] == site_json["format"]
        assert document["community"] == communities[slug]
        community = document["community"]
        referenced = {r["program"] for r in community["recognitions"]} | {
            c["program"] for i in community["initiatives"] for c in i["criteria"]}
        assert {program["id"] for program in document["programs"]} == referenced
        for program in document["programs"]:
            assert program == programs[program["id"]]
        for source in document["sources"]:
            assert source == sources[source["id"]]
        # only what the community needs: every source listed is cited in the file
        assert {source["id"] for source in document["sources"]} == set(source_refs(document))


def test_json_files_are_plain_utf8_with_two_space_indent(shipped_dist: Path) -> None:
    paths = [shipped_dist / "data/site.json",
             *(shipped_dist / f"data/communities/{slug}.json" for slug in COMMUNITIES)]
    for path in paths:
        text = path.read_bytes().decode("utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
        assert str(shipped_dist) not in text and str(REPO) not in text
    for slug in COMMUNITIES:
        name = read_yaml(CONTENT / "communities" / f"{slug}.yaml")["name"]
        text = (shipped_dist / f"data/communities/{slug}.json").read_text(encoding="utf-8")
        for value in name.values():
            assert json.dumps(value, ensure_ascii=False) in text  # not \u-escaped


def fact_files(dist: Path) -> list[Path]:
    return [dist / "data/facts.csv",
            *sorted((dist / "data/communities").glob("*.csv"))]


def test_every_community_has_its_files(shipped_dist: Path) -> None:
    for slug in COMMUNITIES:
        for suffix in ("json", "csv"):
            assert (shipped_dist / f"data/communities/{slug}.{suffix}").is_file(), slug
    assert sorted(p.stem for p in (shipped_dist / "data/communities").glob("*.csv")) == COMMUNITIES


def test_fact_tables_share_one_header_with_a_column_per_language(shipped_dist: Path) -> None:
    codes = list(read_yaml(CONTENT / "site.yaml")["languages"])
    headers = [read_csv(path)[0] for path in fact_files(shipped_dist)]
    assert len(headers) == len(COMMUNITIES) + 1
    assert all(header == headers[0] for header in headers)
    header = headers[0]
    assert len(header) == len(set(header))
    for column in ("community", "type", "id", "date", "value", "qualifier", "status",
                   "format", "sources"):
        assert column in header
    for field in ("unit", "name", "text", "note"):
        assert [c for c in header if c.startswith(f"{field}_")] == [f"{field}_{c}" for c in codes]


def test_fact_tables_have_one_row_per_fact(shipped_dist: Path) -> None:
    site_rows = read_csv(shipped_dist / "data/facts.csv")[1]
    order = [c["slug"] for c in read_json(shipped_dist / "data/site.json")["communities"]]
    concatenated: list[dict[str, str]] = []
    for slug in order:
        rows = read_csv(shipped_dist / f"data/communities/{slug}.csv")[1]
        facts = read_yaml(CONTENT / "communities" / f"{slug}.yaml")
        assert len(rows) == fact_count(facts), slug
        assert {row["community"] for row in rows} <= {slug}
        types = [row["type"] for row in rows]
        assert types.count("figure") == sum(len(f["values"]) for f in facts.get("figures", []))
        assert types.count("person") == len(facts.get("people", []))
        concatenated.extend(rows)
    assert site_rows == concatenated
    assert len(site_rows) > 0


def test_csv_figures_are_raw_numbers_with_their_yaml_dates(shipped_dist: Path) -> None:
    rows = read_csv(shipped_dist / "data/facts.csv")[1]
    figures: defaultdict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if row["type"] == "figure":
            figures[(row["community"], row["id"])].append(row)
    largest = 0
    for slug in COMMUNITIES:
        for figure in read_yaml(CONTENT / "communities" / f"{slug}.yaml").get("figures", []):
            exported = figures[(slug, figure["id"])]
            for given, row in zip(figure["values"], exported, strict=True):
                assert re.fullmatch(r"\d+(\.\d+)?", row["value"]), row["value"]
                assert float(row["value"]) == given["value"]
                assert row["date"] == iso(given["as_of"])
                assert row["sources"].split(" ") == given["sources"]
                largest = max(largest, given["value"])
    assert largest >= 1000  # so the check above saw a number a formatter would group


def test_csv_files_are_crlf_utf8_without_bom(shipped_dist: Path) -> None:
    for path in [*fact_files(shipped_dist), shipped_dist / "data/sources.csv"]:
        data = path.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf"), path
        header, rows = read_csv(path)
        first_line = data.split(b"\r\n", 1)[0].decode("utf-8")
        assert first_line == ",".join(header)
        assert data.endswith(b"\r\n")
        assert data.count(b"\r\n") >= len(rows) + 1


def test_sources_table_lists_every_source(shipped_dist: Path) -> None:
    header, rows = read_csv(shipped_dist / "data/sources.csv")
    codes = list(read_yaml(CONTENT / "site.yaml")["languages"])
    given = read_yaml(CONTENT / "sources.yaml")["sources"]
    assert header[:6] == ["id", "language", "publisher", "author", "date", "url"]
    assert [row["id"] for row in rows] == [source["id"] for source in given]
    for source, row in zip(given, rows, strict=True):
        assert row["language"] == source["language"]
        assert row["publisher"] == source.get("publisher", "")
        assert row["date"] == (iso(source["date"]) if "date" in source else "")
        assert row["url"] == source.get("url", "")
        for code, title in source["title"].items():
            assert row[f"title_{code}"] == title
        for code in codes:
            assert f"title_{code}" in header and f"note_{code}" in header


SAMPLE = f"""\
name: {{en: Sample City, vi: Thành phố Mẫu}}
country: VN
kind: city
summary:
  text: {{en: Sample City is a test community.}}
  sources: [article-one]
recognitions:
  - program: icf
    stage: smart21
    year: 2020
    sources: [article-one]
figures:
  - id: share
    label: {{en: Share, vi: Tỷ lệ}}
    format: percent
    values:
      - value: 12.5
        as_of: 2024-05
        sources: [article-two, article-one]
milestones:
  - date: 2019-10-22
    text: {{en: {json.dumps(TRICKY)}, vi: "Chữ tiếng Việt"}}
    sources: [article-two]
"""


def test_text_with_quotes_commas_and_newlines_survives(make_site) -> None:
    site = make_site({"content/communities/sample-city.yaml": SAMPLE})
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    data = site / "dist/data"
    facts = yaml.safe_load(SAMPLE)
    for path in (data / "facts.csv", data / "communities/sample-city.csv"):
        rows = read_csv(path)[1]
        assert len(rows) == fact_count(facts)
        milestone = next(row for row in rows if row["type"] == "milestone")
        assert milestone["text_en"] == TRICKY
        assert milestone["text_vi"] == "Chữ tiếng Việt"
        assert milestone["date"] == "2019-10-22"
        figure = next(row for row in rows if row["type"] == "figure")
        assert figure["value"] == "12.5"
        assert figure["date"] == "2024-05"
        assert figure["sources"] == "article-two article-one"
        recognition = next(row for row in rows if row["type"] == "recognition")
        # no announcement date: the date column falls back to the programme year
        assert (recognition["id"], recognition["value"]) == ("icf", "smart21")
        assert recognition["year"] == recognition["date"] == "2020"
    document = read_json(data / "communities/sample-city.json")
    assert document["community"]["milestones"][0]["text"]["en"] == TRICKY
    assert document["community"]["figures"][0]["values"][0]["value"] == 12.5
    assert document["community"]["recognitions"][0]["date"] is None


# JSON values as the open data holds them: text in any script (control characters,
# quotes, line separators), whole numbers beyond 64 bits, floats small and large.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.text()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


def _has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(map(_has_float, value.values()))
    return isinstance(value, list) and any(map(_has_float, value))


@hypothesis.given(value=JSON_VALUES)
def test_json_encoding_keeps_every_value_and_the_standard_layout(value: Any) -> None:
    text = export._dump(value).decode("utf-8")
    assert json.loads(text) == value
    if not _has_float(value):  # floats: the same number, perhaps without an exponent
        assert text == json.dumps(value, ensure_ascii=False, indent=2)


EXTREMES = SAMPLE.replace("format: percent", "format: number").replace(
    "      - value: 12.5\n", """\
      - value: 0.000015
        as_of: 2023
        sources: [article-one]
      - value: 100000000000000000000
        as_of: 2022
        sources: [article-one]
      - value: 12.5
""")


def test_tiny_and_huge_figures_reach_the_json_as_the_same_numbers(make_site) -> None:
    assert EXTREMES != SAMPLE
    site = make_site({"content/communities/sample-city.yaml": EXTREMES})
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    for path in ("data/communities/sample-city.json", "data/site.json"):
        document = read_json(site / "dist" / path)
        if "communities" in document:
            document = {"community": document["communities"][0]}
        values = [v["value"] for v in document["community"]["figures"][0]["values"]]
        assert values == [0.000015, 10**20, 12.5]  # 10**20: past 64 bits
