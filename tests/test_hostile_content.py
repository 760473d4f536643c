"""Content that is legitimate YAML but hostile: it builds, and nothing of it executes.

Each folder of tests/sites/hostile/ replaces the base site's fact file with one whose
name, summary (Markdown), figure label and note carry an attack: script tags, event
handlers, script and data URLs, comment and attribute break-outs, template syntax,
Unicode tricks and character references; or a catalog whose translations carry them
(``catalog``). The built pages must hold none of it as markup.
Also here: the limits on content files, with their messages and how to raise them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SITES, copy_site, run_cli, tree_digest
from test_output import all_elements

HOSTILE = sorted(path for path in (SITES / "hostile").iterdir() if path.is_dir())
FACT_FILE = "content/communities/sample-city.yaml"


@pytest.mark.parametrize("case", HOSTILE, ids=[case.name for case in HOSTILE])
def test_hostile_content_builds_and_nothing_executes(case: Path, tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site", overlay=case)
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    pages = sorted((site / "dist").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        elements = all_elements(html)
        assert [tag for tag, _ in elements].count("script") == 1, page
        for tag, attrs in elements:
            assert not [name for name in attrs if name.startswith("on")], (page, tag, attrs)
            for name in ("href", "src", "action"):
                value = re.sub(r"[\x00-\x20]", "", attrs.get(name) or "").lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), (
                    page, attrs)
            assert tag not in {"iframe", "img", "object", "embed", "textarea", "svg"} or (
                tag == "svg" and attrs.get("role") == "img"), (page, tag)  # own charts


def test_markup_in_a_translation_is_shown_as_text(tmp_path: Path) -> None:
    """A catalog is a translator's input, not the template author's: its markup is
    escaped in text and in attributes, in plain and in plural strings."""
    site = copy_site(tmp_path / "site", overlay=SITES / "hostile" / "catalog")
    assert run_cli("build", "--site", site).code == 0
    index = (site / "dist" / "vi" / "index.html").read_text(encoding="utf-8")
    sheet = (site / "dist" / "vi" / "sample-city" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;1 cộng đồng &lt;script&gt;" in index
    assert "&lt;a href=&#34;javascript:alert(3)&#34;&gt;So sánh&lt;/a&gt; --&gt;" in index
    assert 'aria-label="Trên trang&#34; onmouseover=&#34;alert(5)&#34; x=&#34;này"' in sheet
    assert "Nguồn&lt;/h2&gt;&lt;iframe" in sheet


def test_template_syntax_in_content_stays_text(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site", overlay=SITES / "hostile" / "template-syntax-in-content")
    assert run_cli("build", "--site", site).code == 0
    html = (site / "dist" / "en" / "sample-city" / "index.html").read_text(encoding="utf-8")
    assert "{{ 7 * 7 }} {% for x in range(3) %}x{% endfor %}" in html  # the name
    assert "{% raw %}{{ x }}{% endraw %}" in html  # in the (Markdown) summary
    assert "%(value)s %s %d {0} {value}" in html  # the label
    assert "{# comment #} {{ config }}" in html  # the note


def test_character_references_in_content_are_shown_not_decoded(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site", overlay=SITES / "hostile" / "entities")
    assert run_cli("build", "--site", site).code == 0
    html = (site / "dist" / "en" / "sample-city" / "index.html").read_text(encoding="utf-8")
    assert "&amp;lt;script&amp;gt; &amp;amp;amp; &amp;#60;b&amp;#62;" in html  # the name


# --- limits ------------------------------------------------------------------------------

def built_site(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    site = copy_site(tmp_path / "site")
    assert run_cli("build", "--site", site).code == 0
    return site, tree_digest(site / "dist")


def test_a_50_mb_fact_file_is_refused_naming_the_limit(tmp_path: Path) -> None:
    site, before = built_site(tmp_path)
    path = site / FACT_FILE
    text = path.read_text(encoding="utf-8")
    with path.open("w", encoding="utf-8") as handle:  # a valid file, padded with comments
        handle.write(text)
        line = "# " + "x" * 1022 + "\n"
        for _ in range(50 * 1024):
            handle.write(line)
    result = run_cli("build", "--site", site)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"{FACT_FILE}:1:1: file is {path.stat().st_size:,} bytes, more than the limit of "
        "2,097,152 (limits: file_size in content/site.yaml); split it or shorten it, or "
        "raise the limit")
    assert "Traceback" not in result.err
    assert tree_digest(site / "dist") == before


def test_raised_limits_admit_a_bigger_and_deeper_file(tmp_path: Path) -> None:
    site, _ = built_site(tmp_path)
    path = site / FACT_FILE
    big = path.read_text(encoding="utf-8") + ("# " + "y" * 1022 + "\n") * 3 * 1024
    path.write_text(big, encoding="utf-8")
    result = run_cli("check", "--site", site)
    assert result.code == 1 and "more than the limit of 2,097,152" in result.err
    settings = site / "content" / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + "limits: {file_size: 4000000, nesting: 40}\n", encoding="utf-8")
    result = run_cli("check", "--site", site)
    assert result.code == 0, result.err


def test_a_raised_alias_limit_admits_aliases_but_still_counts_a_bomb(tmp_path: Path) -> None:
    """Aliases are counted by what they repeat, from the graph of nodes: the bomb's
    values are counted without being made, and a loop is refused whatever the limit."""
    invalid = SITES / "invalid"
    site = copy_site(tmp_path / "site", overlay=invalid / "alias")
    settings = site / "content" / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "limits: {aliases: 3}\n",
                        encoding="utf-8")
    result = run_cli("build", "--site", site)  # summary.text repeats name: 3 values
    assert result.code == 0, result.err
    page = (site / "dist" / "en" / "sample-city" / "index.html").read_text(encoding="utf-8")
    assert page.count("Sample City") >= 3  # the name, and the summary that repeats it
    settings.write_text(settings.read_text(encoding="utf-8").replace("aliases: 3",
                                                                     "aliases: 2"))
    result = run_cli("build", "--site", site)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"{FACT_FILE}:1:7: aliases in this file repeat 3 values, more than the limit of 2 "
        "(limits: aliases in content/site.yaml); write the values out, or raise the limit")
    for case, message in (("alias-bomb", "aliases in this file repeat 672,588 values, more "
                           "than the limit of 100,000"),
                          ("recursive-alias", "this alias repeats a value that contains it")):
        fact_file = (invalid / case / FACT_FILE).read_bytes()
        (site / FACT_FILE).write_bytes(fact_file)
        settings.write_text(settings.read_text(encoding="utf-8").replace(
            "aliases: 2", "aliases: 100000"))
        result = run_cli("build", "--site", site)
        assert result.code == 1 and message in result.err, result.err
        assert "Traceback" not in result.err


def test_nesting_past_the_limit_is_refused_naming_it(tmp_path: Path) -> None:
    site, before = built_site(tmp_path)
    path = site / FACT_FILE
    path.write_text(path.read_text(encoding="utf-8") + "people: " + "[" * 30 + "]" * 30
                    + "\n", encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 1
    assert ("nesting is deeper than the limit of 24 levels (limits: nesting in "
            "content/site.yaml); check the indentation, or raise the limit") in result.err
    assert tree_digest(site / "dist") == before


def test_extreme_nesting_is_refused_without_a_crash(tmp_path: Path) -> None:
    site, before = built_site(tmp_path)
    path = site / FACT_FILE
    path.write_text("people: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert f"{FACT_FILE}:1:1008: invalid YAML: nesting is deeper than the YAML reader allows" in (
        result.err)
    assert tree_digest(site / "dist") == before


def test_links_that_lead_out_of_the_site_are_refused(tmp_path: Path) -> None:
    """A link committed into the site could publish, or quote in a message, any file of
    the machine that builds it: each is reported, nothing is read through it and the
    published site stays; links within the site are files of the site."""
    site, before = built_site(tmp_path)
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "key").write_text("SECRET-KEY-TEXT\n", encoding="utf-8")
    (site / "static" / "key.txt").symlink_to(secret / "key")
    (site / "static" / "keys").symlink_to(secret)
    (site / "templates" / "extra.html").symlink_to(secret / "key")
    sources = site / "content" / "sources.yaml"
    sources.rename(secret / "sources.yaml")
    sources.symlink_to(secret / "sources.yaml")
    result = run_cli("build", "--site", site)
    assert result.code == 1
    advice = ("outside the site; every file of a site must be in its folder: copy the file "
              "here instead of linking to it")
    assert result.err.splitlines()[:-1] == [
        f"content/sources.yaml:1:1: this is a link to {secret / 'sources.yaml'}, {advice}",
        f"static/key.txt:1:1: this is a link to {secret / 'key'}, {advice}",
        f"static/keys:1:1: this is a link to {secret}, {advice}",
        f"templates/extra.html:1:1: this is a link to {secret / 'key'}, {advice}",
    ]
    assert "SECRET" not in result.err
    assert tree_digest(site / "dist") == before
    for link in ("static/key.txt", "static/keys", "templates/extra.html",
                 "content/sources.yaml"):
        (site / link).unlink()
    sources.write_bytes((secret / "sources.yaml").read_bytes())
    (site / "static" / "copy.css").symlink_to(site / "static" / "style.css")
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    assert (site / "dist" / "assets" / "copy.css").read_bytes() == (
        site / "static" / "style.css").read_bytes()


def test_a_fact_file_saved_with_a_byte_order_mark_builds_as_without(tmp_path: Path) -> None:
    """Some editors on Windows save UTF-8 with a byte order mark: it is no content."""
    site, before = built_site(tmp_path)
    path = site / FACT_FILE
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run_cli("build", "--site", site, "--clean")
    assert result.code == 0, result.err
    assert tree_digest(site / "dist") == before
