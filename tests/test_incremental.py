"""Incremental builds through the command line: only what an edit touches is rewritten,
unchanged files keep their inode and modification time, and the result is always the
same as a clean build of the same inputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import file_stamps, generated_site, run_cli, tree_digest

COUNT, PAGE_SIZE = 12, 5  # three pages of listings


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = generated_site(tmp_path / "site", COUNT, PAGE_SIZE)
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    return site


def build(site: Path, *args: str) -> str:
    result = run_cli("build", "--site", site, *args)
    assert result.code == 0, result.err
    return result.out


def clean_digest(site: Path, tmp_path: Path) -> dict[str, str]:
    """What a full build of the same inputs into a new folder gives."""
    out = tmp_path / "clean" / "dist"
    result = run_cli("build", "--site", site, "--out", out, "--clean")
    assert result.code == 0, result.err
    return tree_digest(out)


def changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def edit_first_figure(site: Path, slug: str) -> None:
    path = site / "content" / "communities" / f"{slug}.yaml"
    text = path.read_text(encoding="utf-8")
    value = re.search(r"- value: (\d+)", text)
    assert value is not None
    path.write_text(text.replace(value.group(0), f"- value: {int(value.group(1)) + 7}", 1),
                    encoding="utf-8")


def test_nothing_changed_rewrites_nothing(site: Path) -> None:
    before = file_stamps(site / "dist")
    out = build(site)
    # per language: 12 fact sheets, 3 pages each of index, compare and programme, 404
    assert re.fullmatch(r"Up to date: 88 pages \(en 22, vi 22, ko 22, th 22\), \d+ files "
                        r"\(none changed\), checked in \d+\.\d\d s, \d+ warnings\n", out), out
    assert file_stamps(site / "dist") == before


def test_one_figure_rewrites_only_what_shows_it(site: Path, tmp_path: Path) -> None:
    before = file_stamps(site / "dist")
    edit_first_figure(site, "bench-07")
    out = build(site)
    touched = changed(before, file_stamps(site / "dist"))
    own = {f"{lang}/bench-07/index.html" for lang in ("en", "vi", "ko", "th")}
    own |= {"data/communities/bench-07.json", "data/communities/bench-07.csv",
            "data/site.json", "data/facts.csv"}
    # bench-07 is the 8th community: on the second page of the compare listing
    its_listings = {f"{lang}/compare/page/2/index.html" for lang in ("en", "vi", "ko", "th")}
    assert own <= touched <= own | its_listings, touched
    assert f"({len(touched)} changed)" in out
    assert tree_digest(site / "dist") == clean_digest(site, tmp_path)


def test_one_catalog_rewrites_only_its_language(site: Path, tmp_path: Path) -> None:
    before = file_stamps(site / "dist")
    catalog = site / "locales" / "vi" / "LC_MESSAGES" / "messages.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('msgstr "Nguồn tham khảo"', 'msgstr "Các nguồn"'),
                       encoding="utf-8")
    build(site)
    touched = changed(before, file_stamps(site / "dist"))
    assert touched and all(path.startswith("vi/") for path in touched), touched
    assert "vi/bench-00/index.html" in touched
    assert tree_digest(site / "dist") == clean_digest(site, tmp_path)


@pytest.mark.parametrize("change", ["template", "source", "settings", "add", "remove"])
def test_every_kind_of_edit_gives_the_clean_build(site: Path, tmp_path: Path,
                                                  change: str) -> None:
    content = site / "content"
    if change == "template":
        path = site / "templates" / "community.html"
        path.write_text(path.read_text(encoding="utf-8").replace(
            "</article>", "<p>Edited.</p>\n</article>"), encoding="utf-8")
    elif change == "source":
        path = content / "sources.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(
            "Example News 3\n", "Example News Three\n"), encoding="utf-8")
    elif change == "settings":
        path = content / "site.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(
            f"page_size: {PAGE_SIZE}", "page_size: 7"), encoding="utf-8")
    elif change == "add":
        (content / "communities" / "bench-12.yaml").write_text(
            (content / "communities" / "bench-03.yaml").read_text(encoding="utf-8"),
            encoding="utf-8")
    else:
        (content / "communities" / "bench-05.yaml").unlink()
    build(site)
    assert tree_digest(site / "dist") == clean_digest(site, tmp_path)
    if change == "remove":
        assert not (site / "dist" / "en" / "bench-05").exists()
        assert not (site / "dist" / "data" / "communities" / "bench-05.json").exists()
    if change == "add":
        assert (site / "dist" / "th" / "bench-12" / "index.html").is_file()


def test_clean_renders_everything_again(site: Path) -> None:
    before = file_stamps(site / "dist")
    digest = tree_digest(site / "dist")
    out = build(site, "--clean")
    assert "changed" not in out
    after = file_stamps(site / "dist")
    assert not set(before.values()) & set(after.values())  # every file is new
    assert tree_digest(site / "dist") == digest


def test_parallel_build_equals_one_process(tmp_path: Path) -> None:
    site = generated_site(tmp_path / "site", 20, PAGE_SIZE)
    one, two = tmp_path / "one", tmp_path / "two"
    assert run_cli("build", "--site", site, "--out", one, "--jobs", "1").code == 0
    assert run_cli("build", "--site", site, "--out", two, "--jobs", "2").code == 0
    assert tree_digest(one) == tree_digest(two)
    assert len(tree_digest(one)) > 20 * 6


def test_failed_rebuild_keeps_the_site_and_the_next_one_is_right(site: Path,
                                                                  tmp_path: Path) -> None:
    digest = tree_digest(site / "dist")
    edit_first_figure(site, "bench-02")  # a change the failed build renders, then:
    broken = site / "content" / "communities" / "bench-09.yaml"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("kind: ", "kind: village-", 1), encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 1
    assert "content/communities/bench-09.yaml:" in result.err
    assert tree_digest(site / "dist") == digest
    broken.write_text(good, encoding="utf-8")
    build(site)
    assert tree_digest(site / "dist") == clean_digest(site, tmp_path)


def test_a_damaged_cache_means_a_full_build(site: Path, tmp_path: Path) -> None:
    manifest = site / ".dist.cache" / "manifest"
    manifest.write_bytes(b"not a manifest")
    edit_first_figure(site, "bench-01")
    out = build(site)
    assert "changed" not in out  # a full build
    assert tree_digest(site / "dist") == clean_digest(site, tmp_path)


def test_a_deleted_output_folder_is_built_again(site: Path, tmp_path: Path) -> None:
    import shutil

    shutil.rmtree(site / "dist")
    build(site)
    assert tree_digest(site / "dist") == clean_digest(site, tmp_path)


def test_a_touched_file_is_read_again_but_nothing_is_rewritten(site: Path) -> None:
    before = file_stamps(site / "dist")
    path = site / "content" / "communities" / "bench-04.yaml"
    path.write_bytes(path.read_bytes())  # same bytes, new modification time
    out = build(site)
    assert "none changed" in out
    assert file_stamps(site / "dist") == before

