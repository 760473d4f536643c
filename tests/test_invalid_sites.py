"""Every kind of broken input: the exact message, exit status 1, no traceback, and the
previously built dist/ left byte-identical.

Each folder in tests/sites/invalid/ holds files laid over the valid base site and
``expected.txt``, the exact error lines the build must print.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SITES, copy_site, run_cli, tree_digest

CASES = sorted(p for p in (SITES / "invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_site_is_reported_and_dist_untouched(case: Path, tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    first = run_cli("build", "--site", site)
    assert first.code == 0, first.err
    before = tree_digest(site / "dist")
    assert before  # the valid base site produced a dist/ to protect

    for path in sorted(case.rglob("*")):  # now break it
        if path.is_file() and path.name != "expected.txt":
            target = site / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())

    result = run_cli("build", "--site", site)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    lines = result.err.splitlines()
    assert result.code == 1
    assert "Traceback" not in result.err
    assert lines[:-1] == expected
    assert lines[-1] == (f"{len(expected)} error(s); nothing was written, the previous site "
                         "is unchanged.")
    assert tree_digest(site / "dist") == before
    assert not list(site.glob(".dist.tmp-*")), "no temporary folder may be left behind"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_reports_the_same_errors(case: Path, tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site", overlay=case)
    result = run_cli("check", "--site", site)
    assert result.code == 1
    assert result.err.splitlines()[:-1] == (case / "expected.txt").read_text().splitlines()
    assert not (site / "dist").exists()


def test_all_problems_of_all_files_are_reported_at_once(make_site) -> None:
    site = make_site({
        "content/communities/sample-city.yaml":
            (SITES / "invalid/unknown-key/content/communities/sample-city.yaml").read_text(),
        "content/communities/second.yaml": "name: {en: Second}\ncountry: XX\nkind: city\n",
        "content/sources.yaml": (SITES / "invalid/bad-url/content/sources.yaml").read_text(),
    })
    result = run_cli("check", "--site", site)
    files = {line.split(":")[0] for line in result.err.splitlines()[:-1]}
    assert files == {"content/communities/sample-city.yaml",
                     "content/communities/second.yaml", "content/sources.yaml"}
    assert "'XX' is not a two-letter ISO 3166 country code" in result.err
    assert "missing the required key 'summary'" in result.err


def test_not_a_site(tmp_path: Path) -> None:
    result = run_cli("build", "--site", tmp_path)
    assert result.code == 1
    assert result.err.startswith("content/site.yaml:1:1: site settings file not found")
    assert not (tmp_path / "dist").exists()
