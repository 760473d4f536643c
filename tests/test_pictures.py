"""Charts (static SVG built with the page) and the compare page, on the built site."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import yaml
from conftest import REPO, run_cli

from sitegen import charts

LANGUAGES = ["en", "vi", "ko", "th"]


def content(slug: str) -> dict:
    return yaml.safe_load((REPO / "content/communities" / f"{slug}.yaml").read_text("utf-8"))


class Elements(HTMLParser):
    """Every element with its attributes, plus the text inside <title> and <desc>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.elements.append((tag, values))
        if tag in ("title", "desc") and "id" in values:
            self._open = values["id"]
            self.texts[self._open] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "desc"):
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts[self._open] += data

    def find(self, tag: str, cls: str = "") -> list[dict[str, str]]:
        return [a for t, a in self.elements
                if t == tag and (not cls or cls in a.get("class", "").split())]


def elements(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text("utf-8"))
    return parser


def test_recognition_timeline_marks_every_recognition(shipped_dist: Path) -> None:
    data = content("binh-duong")
    reached = {(r["stage"], r["year"]) for r in data["recognitions"]}
    years = [r["year"] for r in data["recognitions"]]
    for lang in LANGUAGES:
        page = elements(shipped_dist / lang / "binh-duong" / "index.html")
        svg = next(a for a in page.find("svg") if a.get("id") == "chart-recognitions")
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert page.texts[title_id].strip() and page.texts[desc_id].strip()
        assert len(page.find("circle", "mark")) == len(reached)
        # one column per year from the first to the last, gaps included
        columns = max(years) - min(years) + 1
        stages = len({r["stage"] for r in data["recognitions"]} | {"icoty"})
        assert len(page.find("circle", "mark")) + len(page.find("circle", "empty")) == \
            columns * stages


def test_chart_text_alternative_is_localised(shipped_dist: Path) -> None:
    first = min(r["year"] for r in content("binh-duong")["recognitions"])
    expected = {"en": str(first), "ko": f"{first}년", "th": str(first + 543)}
    for lang, year in expected.items():
        page = elements(shipped_dist / lang / "binh-duong" / "index.html")
        assert year in page.texts["chart-recognitions-desc"], lang
    thai = elements(shipped_dist / "th" / "binh-duong" / "index.html")
    assert str(first) not in thai.texts["chart-recognitions-desc"]  # Buddhist Era only


def test_figures_with_several_values_get_a_bar_chart(shipped_dist: Path) -> None:
    series = [f for f in content("hue")["figures"] if len(f["values"]) > 1]
    assert series  # the shipped content has at least one figure over time
    for lang in LANGUAGES:
        page = elements(shipped_dist / lang / "hue" / "index.html")
        ids = {a.get("id") for a in page.find("svg", "chart")}
        assert ids == {f"chart-{f['id']}" for f in series}
        targets = sum(v.get("status") == "target" for f in series for v in f["values"])
        assert len(page.find("rect", "target")) == targets
        assert len(page.find("rect", "bar")) == sum(len(f["values"]) for f in series)


def test_programme_page_charts_its_member_count(shipped_dist: Path) -> None:
    programs = yaml.safe_load((REPO / "content/programs.yaml").read_text("utf-8"))["programs"]
    icf = next(p for p in programs if p["id"] == "icf")
    page = elements(shipped_dist / "vi" / "programs" / "icf" / "index.html")
    assert len(page.find("rect", "bar")) == len(icf["members"])
    assert "hơn" in page.texts["chart-members-desc"]  # qualifiers worded as in the table


def test_compare_page_sets_every_community_side_by_side(shipped_dist: Path) -> None:
    slugs = sorted(p.stem for p in (REPO / "content/communities").glob("*.yaml"))
    years = [r["year"] for s in slugs for r in content(s).get("recognitions", [])]
    for lang in LANGUAGES:
        html = (shipped_dist / lang / "compare" / "index.html").read_text("utf-8")
        by_year = html[html.index('id="by-year"'):html.index('id="headline-figures"')]
        head = by_year[by_year.index("<thead>"):by_year.index("</thead>")]
        assert head.count('scope="col"') == 1 + max(years) - min(years) + 1
        for slug in slugs:
            assert by_year.count(f'href="/{lang}/{slug}/#recognitions"') == 1
            assert f'href="/{lang}/{slug}/#figures"' in html
        criteria = html[html.index('id="criteria-icf"'):]
        filed = sum(len(i.get("criteria", [])) for s in slugs
                    for i in content(s).get("initiatives", []))
        assert criteria.count('#initiative-') == filed


def test_compare_page_is_linked_and_in_the_sitemap(shipped_dist: Path) -> None:
    sitemap = (shipped_dist / "sitemap.xml").read_text("utf-8")
    for lang in LANGUAGES:
        assert f"https://example.org/{lang}/compare/" in sitemap
        index = (shipped_dist / lang / "index.html").read_text("utf-8")
        assert f'href="/{lang}/compare/"' in index


def test_hostile_text_in_charts_is_escaped(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/communities/sample-city.yaml": """\
name: {en: Sample City}
country: VN
kind: city
summary: {text: {en: x}, sources: [article-one]}
recognitions:
  - {program: icf, stage: smart21, year: 2021, sources: [article-one]}
  - {program: icf, stage: top7, year: 2023, sources: [article-one]}
figures:
  - id: evil
    label: {en: "</title><script>alert(1)</script>"}
    unit: {en: "<img src=x onerror=alert(2)>"}
    values:
      - {value: 1, as_of: 2020, sources: [article-one]}
      - {value: 2, as_of: 2021, status: target, sources: [article-one]}
""", "content/programs.yaml": (REPO / "tests/sites/base/content/programs.yaml").read_text(
        "utf-8").replace("name: {en: Top 7,", 'name: {en: "Top <script>alert(3)</script>",')})
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    page = elements(site / "dist" / "en" / "sample-city" / "index.html")
    assert [a.get("src", "") for a in page.find("script")] == [
        a["src"] for a in page.find("script") if a.get("src", "").startswith("/assets/lang.js")]
    assert not page.find("img")
    assert "</title><script>alert(1)</script>" in page.texts["chart-evil-title"]
    assert "Top <script>alert(3)</script>" in page.texts["chart-recognitions-desc"]


def test_right_to_left_charts_are_mirrored() -> None:
    rows = [charts.TimelineRow("Stage", frozenset({2019, 2021}))]
    ltr = charts.timeline("t", rows, str, "title", "desc")
    rtl = charts.timeline("t", rows, str, "title", "desc", rtl=True)
    width = float(re.search(r'width="([\d.]+)"', ltr).group(1))
    xs = [float(x) for x in re.findall(r'<circle[^>]* cx="([\d.]+)"', ltr)]
    mirrored = [float(x) for x in re.findall(r'<circle[^>]* cx="([\d.]+)"', rtl)]
    assert len(xs) == 3  # 2019, 2020 (a gap) and 2021
    assert mirrored == [round(width - x, 1) for x in xs]
    assert xs == sorted(xs) and mirrored == sorted(mirrored, reverse=True)


def test_wide_scripts_are_given_more_room() -> None:
    assert charts.text_width("가나다") > charts.text_width("abc") * 1.5
    assert charts.text_width("ที่") == charts.text_width("ท")  # marks take no width
