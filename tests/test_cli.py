"""The command line as a user meets it."""

from __future__ import annotations

import os
import pty
import re
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
    assert re.fullmatch(r"Built 15 pages \(en 5, vi 5, th 5\), 29 files in \d+\.\d\d s, "
                        r"12 warnings\n", result.out), result.out
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
    assert re.fullmatch(r"OK: would build 15 pages \(en 5, vi 5, th 5\), 29 files; checked "
                        r"in \d+\.\d\d s, 12 warnings\n", result.out), result.out
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


def test_shipped_site_builds_without_warnings(tmp_path: Path) -> None:
    """Every text and interface string is translated in every language, every source is
    cited: a strict build, as a content repository's CI runs it, passes."""
    result = run_cli("build", "--strict", "--site", REPO, "--out", tmp_path / "dist")
    assert result.code == 0, result.err
    assert re.fullmatch(r"Built 24 pages \(en 6, vi 6, ko 6, th 6\), \d+ files in "
                        r"\d+\.\d\d s, no warnings\n", result.out), result.out
    assert result.err == ""


def test_warnings_are_one_line_per_file_and_kind(make_site) -> None:
    """The base site lacks Thai in twelve text fields of four files, and cites all of its
    sources but one: four grouped lines, one single line, then where to see the rest."""
    site = make_site({"content/sources.yaml": (
        REPO / "tests/sites/base/content/sources.yaml").read_text(encoding="utf-8")
        + "  - id: uncited\n    language: en\n"
        + "    title: {en: Uncited, vi: Uncited, th: Uncited}\n"})
    result = run_cli("build", cwd=site)
    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        "content/communities/sample-city.yaml:6:5: warning: no 'th' text; the 'th' pages "
        "show the 'en' text (and 1 more like this in this file)",
        "content/programs.yaml:3:11: warning: no 'th' text; the 'th' pages show the 'en' "
        "text (and 5 more like this in this file)",
        "content/site.yaml:1:8: warning: no 'th' text; the 'th' pages show the 'en' text "
        "(and 1 more like this in this file)",
        "content/sources.yaml:5:12: warning: no 'th' text; the 'th' pages show the 'en' "
        "text (and 1 more like this in this file)",
        "content/sources.yaml:14:12: warning: source 'uncited' is not cited by any fact; "
        "cite it where it is used or remove it",
        "Run 'sitegen translate status' to list every missing translation.",
    ]
    assert result.out.rstrip().endswith(", 13 warnings")


def test_strict_refuses_warnings_and_keeps_the_previous_site(make_site) -> None:
    site = make_site()
    assert run_cli("build", cwd=site).code == 0
    before = tree_digest(site / "dist")
    (site / "content/site.yaml").write_text(
        (site / "content/site.yaml").read_text(encoding="utf-8").replace(
            "Test Fact Sheets", "Changed Fact Sheets"), encoding="utf-8")
    for command in ("build", "check"):
        result = run_cli(command, "--strict", cwd=site)
        assert result.code == 1
        assert result.err.splitlines()[-1] == (
            "--strict: 12 warnings; nothing was written, the previous site is unchanged.")
        assert "content/site.yaml:1:8: warning: no 'th' text" in result.err
        assert result.out == ""
    assert tree_digest(site / "dist") == before


def test_missing_catalog_is_a_warning(make_site) -> None:
    """Pages of a language without a catalog show the interface in English."""
    site = make_site({"locales/th/LC_MESSAGES/messages.po": None})
    result = run_cli("build", cwd=site)
    assert result.code == 0, result.err
    assert ("locales/th/LC_MESSAGES/messages.po:1:1: warning: no interface catalog for "
            "'th': its pages show the interface in English; create it with 'sitegen "
            "translate init th'") in result.err.splitlines()
    assert "Key figures" in (site / "dist/th/sample-city/index.html").read_text()


def _run_in_terminal(*args: str | Path) -> tuple[int, str]:
    """Run the CLI with stderr on a pseudo-terminal, as a person at a terminal does."""
    primary, secondary = pty.openpty()
    env = {**os.environ, "PYTHONHASHSEED": "0", "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "sitegen", *map(str, args)],
                            stdout=subprocess.DEVNULL, stderr=secondary, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the terminal closed: the command has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    return proc.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


def test_progress_shows_on_a_terminal_only(tmp_path: Path) -> None:
    code, terminal = _run_in_terminal("build", "--site", REPO, "--out", tmp_path / "tty")
    assert code == 0, terminal
    assert "Rendering fact sheets: 8/8" in terminal  # 2 communities in 4 languages
    assert "Rendering listings: 18/18" in terminal  # index, compare, programme, 404 pages
    assert terminal.endswith("\r"), repr(terminal[-80:])  # the line is erased at the end
    logged = run_cli("build", "--site", REPO, "--out", tmp_path / "log")
    assert logged.code == 0 and logged.err == ""
    assert "Rendering" not in logged.out


def test_translate_commands_are_listed() -> None:
    result = run_cli("translate", "--help")
    assert result.code == 0
    for command in ("extract", "update", "init", "status"):
        assert command in result.out


def test_status_rejects_a_language_the_site_lacks() -> None:
    result = run_cli("translate", "status", "fr", "--site", REPO)
    assert result.code == 1
    assert "error: not a language of this site: fr" in result.err
