"""Shared fixtures: tiny sites built from tests/sites/, and running the CLI as a user does."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str | Path, cwd: Path | None = None) -> Result:
    """Run ``python -m sitegen`` in a subprocess, exactly as an editor would."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "sitegen", *map(str, args)],
        cwd=cwd or REPO, capture_output=True, text=True, env=env, timeout=120,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes (empty if it does not exist)."""
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def copy_site(target: Path, overlay: Path | None = None) -> Path:
    """The base test site (with the project's real templates, assets and catalogs),
    optionally with the files of ``overlay`` laid over it."""
    shutil.copytree(SITES / "base", target)
    for folder in ("templates", "static", "locales"):
        shutil.copytree(REPO / folder, target / folder)
    if overlay is not None:
        for path in sorted(overlay.rglob("*")):
            if path.is_file() and path.name != "expected.txt":
                destination = target / path.relative_to(overlay)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)
    return target


@pytest.fixture(scope="session", autouse=True)
def template_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Compiled templates go to a folder of the test run, not the user's cache."""
    folder = tmp_path_factory.mktemp("template-cache")
    os.environ["SITEGEN_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """Write the base site into a temporary folder; ``files`` maps paths to new text."""
    def make(files: dict[str, str] | None = None, name: str = "site") -> Path:
        site = copy_site(tmp_path / name)
        for relative, text in (files or {}).items():
            path = site / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if text is None:
                path.unlink()
            else:
                path.write_text(text, encoding="utf-8")
        return site
    return make


@pytest.fixture(scope="session")
def shipped_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped site, built once through the CLI into a temporary folder."""
    out = tmp_path_factory.mktemp("shipped") / "dist"
    result = run_cli("build", "--site", REPO, "--out", out)
    assert result.code == 0, result.err
    return out


def generated_site(target: Path, count: int, page_size: int | None = None) -> Path:
    """A site of ``count`` generated communities in the real format (bench/generate.py),
    with the project's templates, catalogs and programmes; ``page_size`` for listings."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    site = generate(target, count)
    if page_size is not None:
        with open(site / "content" / "site.yaml", "a", encoding="utf-8") as handle:
            handle.write(f"page_size: {page_size}\n")
    return site


def file_stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its inode and modification time: what deploy tools
    compare to decide what to upload."""
    return {path.relative_to(folder).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}
