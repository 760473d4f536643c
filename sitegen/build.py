"""``build()`` reads as the list of steps: load, validate, render, write.

1. Load and check the shared inputs (settings, sources, programmes, catalogs, templates,
   static files) once, in this process.
2. Process the fact files, spread over worker processes (:mod:`sitegen.parallel`): each
   is checked, its fact sheets and open data rendered and written into the staging
   folder (:mod:`sitegen.factsheet`). Only its summary comes back.
3. Render the listings from the summaries (:mod:`sitegen.listings`), also in workers.
4. Make the site-wide files here: site.json and facts.csv from the communities' parts,
   the sitemap, robots.txt, hosting files, sources.csv and the static files.
5. Publish: swap the staging folder in (:mod:`sitegen.write`), or, on any error, leave
   the previous site as it was and report every problem of the run.

Incremental builds follow the same steps and skip what the manifest of the previous
build (:mod:`sitegen.manifest`) shows to be unchanged; when nothing at all changed, the
build ends after hashing its inputs, before any YAML, Babel or Jinja is loaded.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen import depends
from sitegen import manifest as manifests
from sitegen.manifest import Manifest
from sitegen.page import Page
from sitegen.site_warnings import SiteWarning, StrictFailed

ProgressCallback = Callable[[int, int, str], None]  # (pages done, total, which pages)
TASK_FILES = 8  # fact files per task sent to a worker
_FACT_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\.yaml")


@dataclass(frozen=True)
class BuildResult:
    pages_per_language: dict[str, int]
    files: int
    seconds: float
    warnings: tuple[SiteWarning, ...] = ()
    changed: int | None = None  # files written or removed by an incremental build


def build(root: Path, out: Path, base_url: str | None = None, *, strict: bool = False,
          clean: bool = False, jobs: int | None = None,
          progress: ProgressCallback | None = None) -> BuildResult:
    """Bring ``out`` up to date with the site at ``root``; on any error (or, when
    ``strict``, any warning) nothing is published. ``clean`` ignores the previous build
    and renders everything; ``jobs`` is the number of processes (default: the cores)."""
    from sitegen.write import locked, remove_stale

    started = time.perf_counter()
    options = f"base_url={base_url!r}"
    with locked(out):
        previous = None if clean else manifests.load(out)
        raw = depends.raw_inputs(root, options)  # before anything is read: see _unchanged
        if previous is not None and _unchanged(root, raw, previous):
            remove_stale(out)  # what a build killed after publishing its site left
            if strict and previous.warnings:
                raise StrictFailed(previous.warnings)
            return BuildResult(previous.pages_per_language, previous.files,
                               time.perf_counter() - started, previous.warnings, 0)
        from sitegen.site_build import SiteBuild

        run = SiteBuild(root, base_url, jobs, progress)
        return run.build(out, previous, raw, strict, started)


def check(root: Path, base_url: str | None = None, *, strict: bool = False,
          jobs: int | None = None, progress: ProgressCallback | None = None) -> BuildResult:
    """Everything a build does except writing; ``files`` is what a build would write."""
    from sitegen.site_build import SiteBuild

    started = time.perf_counter()
    run = SiteBuild(root, base_url, jobs, progress)
    return run.check(strict, started)


def render_all(root: Path, base_url: str | None = None) -> tuple[list[Page], dict[str, int]]:
    """Every file of the site, in memory, and the page count per language (for the
    preview server); raises BuildFailed on any error."""
    from sitegen.site_build import SiteBuild

    return SiteBuild(root, base_url, 1, None).in_memory()


def _fact_files(root: Path) -> list[os.DirEntry[str]] | None:
    """The fact files, if all are named as they must be (else None: let the full
    check report it)."""
    try:
        entries = sorted(os.scandir(root / "content" / "communities"), key=lambda e: e.name)
    except OSError:
        return None
    found = []
    for entry in entries:
        if entry.name.startswith(".") or entry.is_dir():
            continue
        if not entry.name.endswith((".yaml", ".yml")):
            continue  # not a fact file (the full check ignores it too)
        if not _FACT_NAME.fullmatch(entry.name) or entry.is_symlink():
            return None
        found.append(entry)
    return found


def _unchanged(root: Path, raw: bytes, previous: Manifest) -> bool:
    """Whether nothing the previous build read has changed since: same shared inputs
    (by their bytes, ``raw`` taken before this build read anything, so that an edit
    made while it runs is seen by the next one), same fact files (by name, size, time
    and inode, as git checks its index)."""
    from sitegen.depends import settled

    if raw != previous.raw:
        return False
    entries = _fact_files(root)
    if entries is None or len(entries) != len(previous.records):
        return False
    for entry, record in zip(entries, previous.records, strict=True):
        if entry.name[:-5] != record.slug:
            return False
        info = entry.stat(follow_symlinks=False)
        if ((info.st_size, info.st_mtime_ns, info.st_ino) != record.stat
                or not settled(info.st_mtime_ns, record.read_ns)):
            return False
    return True

