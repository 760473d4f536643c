"""The command line as a user meets it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_cli, tree_digest

import sitegen


def test_help_lists_the_commands() -> None:
    result = run_cli("--help")
    assert result.code == 0
    assert "build" in result.out and "check" in result.out
    build_help = run_cli("build", "--help")
    assert "--site" in build_help.out and "--out" in build_help.out


def test_version() -> None:
    result = run_cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"sitegen, version {sitegen.__version__}"


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "sitegen"
    assert script.exists(), "pip install should create the 'sitegen' command"
    proc = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert proc.stdout.startswith("sitegen, version")


def test_build_in_current_folder(make_site) -> None:
    site = make_site()
    result = run_cli("build", cwd=site)
    assert result.code == 0, result.err
    assert result.out.startswith("Built 15 pages (en 5, vi 5, th 5)")
    assert (site / "dist" / "vi" / "sample-city" / "index.html").is_file()


def test_build_another_site_into_another_folder(make_site, tmp_path: Path) -> None:
    site = make_site()
    out = tmp_path / "elsewhere" / "public"
    result = run_cli("build", "--site", site, "--out", out, cwd=tmp_path)
    assert result.code == 0, result.err
    assert (out / "th" / "sample-city" / "index.html").is_file()
    assert not (site / "dist").exists()


def test_check_writes_nothing(make_site) -> None:
    site = make_site()
    result = run_cli("check", "--site", site)
    assert result.code == 0
    assert result.out.strip() == "OK: 15 pages in 3 languages would be built."
    assert not (site / "dist").exists()


def test_shipped_site_builds_from_its_folder(tmp_path: Path) -> None:
    """The README's build command, minus the install: run in a copy of the repository."""
    copy = tmp_path / "repo"
    for name in ("content", "templates", "static", "locales"):
        shutil.copytree(REPO / name, copy / name)
    result = run_cli("build", cwd=copy)
    assert result.code == 0, result.err
    files = tree_digest(copy / "dist")
    assert "index.html" in files and "en/hue/index.html" in files
