"""Properties of the output: reproducible, safe, correct at a subpath, atomic."""

from __future__ import annotations

import fcntl
from html.parser import HTMLParser
from pathlib import Path

from conftest import REPO, run_cli, tree_digest
from pages import html_pages, parse, target_file

HOSTILE = """\
name: {en: Sample City}
country: VN
kind: city
summary:
  text:
    en: |
      Hello <script>alert(1)</script> <img src=x onerror="alert(2)">
      [click](javascript:alert(3)) [data](data:text/html;base64,PHNjcmlwdD4=)
      <a href="https://example.com" onclick="alert(4)">ok</a> <!-- --><script>x</script> -->
      <iframe src="https://evil.example"></iframe><style>body{display:none}</style>
  sources: [article-one]
people:
  - name: {en: "<b onmouseover=alert(5)>Name</b>"}
    role: {en: "</li><script>alert(6)</script>"}
    sources: [article-one]
"""


def all_elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every element a browser would create from the page, with its attributes."""
    found: list[tuple[str, dict[str, str | None]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, dict(attrs)))

    Collector(convert_charrefs=True).feed(html)
    return found


def test_output_is_byte_identical_across_runs_and_folders(tmp_path: Path) -> None:
    first, second = tmp_path / "one" / "dist", tmp_path / "two" / "out"
    assert run_cli("build", "--site", REPO, "--out", first).code == 0
    assert run_cli("build", "--site", REPO, "--out", second).code == 0
    assert tree_digest(first) == tree_digest(second)
    assert len(tree_digest(first)) > 20


def test_content_cannot_inject_markup_or_script(make_site) -> None:
    site = make_site({"content/communities/sample-city.yaml": HOSTILE})
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    for lang in ("en", "vi", "th"):
        html = (site / "dist" / lang / "sample-city" / "index.html").read_text()
        elements = all_elements(html)
        tags = [tag for tag, _ in elements]
        assert tags.count("script") == 1  # the site's own language script, nothing else
        assert not {"iframe", "style", "img", "object", "embed"} & set(tags)
        for tag, attrs in elements:
            assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
            for name in ("href", "src", "action"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), attrs
        body = html[html.index("<body>"):]
        assert "<a href=\"https://example.com\">ok</a>" in body
        assert "&lt;b onmouseover=alert(5)&gt;Name&lt;/b&gt;" in body  # plain text stays text
        assert "&lt;/li&gt;&lt;script&gt;" in body


def test_links_carry_a_subpath_base_url(make_site) -> None:
    site = make_site()
    settings = (site / "content/site.yaml").read_text()
    (site / "content/site.yaml").write_text(settings.replace(
        "https://example.org/", "https://example.org/fact-sheets/"))
    assert run_cli("build", "--site", site).code == 0
    dist = site / "dist"
    for page in html_pages(dist):
        info = parse(page)
        for href in info.hrefs():
            if href.startswith("#") or href.startswith("https://example.com"):
                continue
            assert href.startswith(("/fact-sheets/", "https://example.org/fact-sheets/")), href
            target = target_file(dist, "/fact-sheets/", href)
            assert target is not None and target.is_file(), href
    sitemap = (dist / "sitemap.xml").read_text()
    assert "<loc>https://example.org/fact-sheets/vi/sample-city/</loc>" in sitemap


def test_missing_translation_falls_back_marked_with_its_language(make_site) -> None:
    site = make_site()
    assert run_cli("build", "--site", site).code == 0
    th = (site / "dist/th/sample-city/index.html").read_text()
    # The summary has no Thai text: the English one is shown, marked as English.
    assert ('<div lang="en"><p>Sample City is a <em>test</em> community.</p></div>'
            '<sup class="cite">') in th  # the citation mark is Thai: outside the div
    assert "<h1>เมืองตัวอย่าง</h1>" in th  # the name has Thai text: no marking
    vi = (site / "dist/vi/sample-city/index.html").read_text()
    assert "<p>Thành phố Mẫu là một cộng đồng <em>thử nghiệm</em>.<sup class=\"cite\">" in vi


def test_source_list_names_the_language_and_original_title(make_site) -> None:
    site = make_site()
    assert run_cli("build", "--site", site).code == 0
    vi = (site / "dist/vi/sample-city/index.html").read_text()
    assert '<cite lang="ko">첫 기사</cite>' in vi
    assert "Tiếng Hàn" in vi


def test_a_second_build_waits_for_none_and_refuses(make_site) -> None:
    site = make_site()
    assert run_cli("build", "--site", site).code == 0
    before = tree_digest(site / "dist")
    with open(site / ".dist.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = run_cli("build", "--site", site)
    assert result.code == 1
    assert "another build is writing" in result.err
    assert tree_digest(site / "dist") == before


def test_unchanged_output_stays_byte_identical_after_rebuild(make_site) -> None:
    site = make_site()
    assert run_cli("build", "--site", site).code == 0
    first = tree_digest(site / "dist")
    assert run_cli("build", "--site", site).code == 0
    assert tree_digest(site / "dist") == first
    # Beside dist/: the lock and the incremental builds' cache, no temporary folder.
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".dist")) == [
        ".dist.cache", ".dist.lock"]
