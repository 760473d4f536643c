"""The shipped site, built through the CLI: every page, link, alternate and translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import REPO
from pages import assert_links_resolve, html_pages, parse, target_file

LANGUAGES = ["en", "vi", "ko", "th"]
COMMUNITIES = sorted(p.stem for p in (REPO / "content/communities").glob("*.yaml"))


def test_every_expected_file_is_built(shipped_dist: Path) -> None:
    assert {"binh-duong", "hue"} <= set(COMMUNITIES)
    for name in ["index.html", "404.html", "sitemap.xml", "robots.txt"]:
        assert (shipped_dist / name).is_file(), name
    for lang in LANGUAGES:
        assert (shipped_dist / lang / "index.html").is_file()
        assert (shipped_dist / lang / "404.html").is_file()
        for slug in COMMUNITIES:
            assert (shipped_dist / lang / slug / "index.html").is_file()
        assert (shipped_dist / lang / "programs" / "icf" / "index.html").is_file()


def test_html_lang_matches_the_folder(shipped_dist: Path) -> None:
    for page in html_pages(shipped_dist):
        relative = page.relative_to(shipped_dist).parts
        expected = relative[0] if len(relative) > 1 else "en"
        info = parse(page)
        assert info.lang == expected, page
        assert info.dir == "ltr"


def test_every_internal_link_and_asset_resolves(shipped_dist: Path) -> None:
    # the shipped site's own pages, also by their absolute address
    assert assert_links_resolve(shipped_dist, ("/", "https://example.org/")) > 100


def test_hreflang_is_complete_on_every_page(shipped_dist: Path) -> None:
    for page in html_pages(shipped_dist):
        alternates = parse(page).alternates
        assert sorted(alternates) == sorted([*LANGUAGES, "x-default"]), page
        for url in alternates.values():
            assert url.startswith("https://example.org/")
            target = target_file(shipped_dist, "/", url)
            assert target is not None and target.is_file(), url


def test_language_switcher_keeps_the_page(shipped_dist: Path) -> None:
    info = parse(shipped_dist / "ko" / "hue" / "index.html")
    switcher = {a["data-lang"]: a for tag, a in info.links if "data-lang" in a}
    assert {k: v["href"] for k, v in switcher.items()} == {
        lang: f"/{lang}/hue/" for lang in LANGUAGES}
    assert switcher["ko"].get("aria-current") == "page"
    names = [t for t in info.texts if t in ("English", "Tiếng Việt", "한국어", "ไทย")]
    assert names == ["English", "Tiếng Việt", "한국어", "ไทย"]


def test_root_page_lists_every_language_without_javascript(shipped_dist: Path) -> None:
    html = (shipped_dist / "index.html").read_text(encoding="utf-8")
    main = html[html.index("<main"):html.index("</main>")]
    for lang, name in [("en", "English"), ("vi", "Tiếng Việt"), ("ko", "한국어"), ("th", "ไทย")]:
        assert (f'<a href="/{lang}/" lang="{lang}" hreflang="{lang}" data-lang="{lang}">'
                f"{name}</a>") in main
    assert "data-language-chooser" in html


def test_sitemap_lists_every_page_with_alternates(shipped_dist: Path) -> None:
    sitemap = (shipped_dist / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    expected = {f"https://example.org/{lang}/{page}" for lang in LANGUAGES
                for page in ("", "compare/")} | {
        f"https://example.org/{lang}/{slug}/" for lang in LANGUAGES for slug in COMMUNITIES} | {
        f"https://example.org/{lang}/programs/icf/" for lang in LANGUAGES}
    assert set(locs) == expected and len(locs) == len(expected)
    for block in re.findall(r"<url>(.*?)</url>", sitemap, re.S):
        langs = re.findall(r'hreflang="([^"]+)"', block)
        assert sorted(langs) == sorted([*LANGUAGES, "x-default"])
    robots = (shipped_dist / "robots.txt").read_text()
    assert "Sitemap: https://example.org/sitemap.xml" in robots


def _english_interface_strings() -> list[tuple[str, bool]]:
    """(literal text, has placeholder) for every msgid the catalogs translate differently."""
    with open(REPO / "locales/vi/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    strings = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        parts = [p.strip() for p in re.split(r"%\(\w+\)s", msgid)]
        literal = max(parts, key=len)
        if len(literal) >= 3:
            strings.append((literal, len(parts) > 1))
    return strings


@pytest.mark.parametrize("lang", ["vi", "ko", "th"])
def test_no_english_interface_string_on_translated_pages(shipped_dist: Path, lang: str) -> None:
    strings = _english_interface_strings()
    assert len(strings) > 40
    pages = [p for p in html_pages(shipped_dist) if p.relative_to(shipped_dist).parts[0] == lang]
    for page in pages:
        info = parse(page)
        for literal, has_placeholder in strings:
            for text in info.texts + info.labels:
                if has_placeholder:
                    assert literal not in text, f"{page}: English '{literal}' in '{text}'"
                else:
                    assert text != literal, f"{page}: English interface text '{literal}'"


def test_thai_pages_show_buddhist_era_years(shipped_dist: Path) -> None:
    th = (shipped_dist / "th" / "binh-duong" / "index.html").read_text(encoding="utf-8")
    en = (shipped_dist / "en" / "binh-duong" / "index.html").read_text(encoding="utf-8")
    assert "21 มิถุนายน พ.ศ. 2566" in th  # Top 7 2023, announced 21 June 2023
    assert "June 21, 2023" in en
    assert ">2566<" in th and ">2566<" not in en


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "1.3 million"), ("vi", "1,3 triệu"), ("ko", "130만"), ("th", "1.3 ล้าน")])
def test_compact_numbers_follow_the_locale(shipped_dist: Path, lang: str, text: str) -> None:
    assert text in (shipped_dist / lang / "hue" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("lang", "country"), [
    ("en", "Vietnam"), ("vi", "Việt Nam"), ("ko", "베트남"), ("th", "เวียดนาม")])
def test_country_names_come_from_cldr(shipped_dist: Path, lang: str, country: str) -> None:
    assert country in parse(shipped_dist / lang / "index.html").texts


def test_citations_link_to_the_numbered_source_list(shipped_dist: Path) -> None:
    for lang in LANGUAGES:
        for slug in [*COMMUNITIES, "programs/icf"]:
            html = (shipped_dist / lang / slug / "index.html").read_text(encoding="utf-8")
            cited = set(re.findall(r'<a href="#source-(\d+)"', html))
            listed = set(re.findall(r'<li id="source-(\d+)">', html))
            assert cited and cited == listed
            assert sorted(map(int, listed)) == list(range(1, len(listed) + 1))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_icf_reference_page(shipped_dist: Path, lang: str) -> None:
    html = (shipped_dist / lang / "programs" / "icf" / "index.html").read_text(encoding="utf-8")
    for anchor in ("stage-smart21", "stage-top7", "stage-icoty"):
        assert f'id="{anchor}"' in html
    assert len(re.findall(r'<li id="criterion-', html)) == 6
    members = html[html.index('id="members"'):html.index('id="recognised"')]
    assert len(re.findall(r"<time datetime=", members)) == 3  # 2019, 2022, 2023 counts
    recognised = html[html.index('id="recognised"'):html.index('id="sources"')]
    assert f'href="/{lang}/binh-duong/"' in recognised
    # fact sheets link their recognitions to the programme's stages
    sheet = (shipped_dist / lang / "binh-duong" / "index.html").read_text(encoding="utf-8")
    assert f'href="/{lang}/programs/icf/#stage-top7"' in sheet
