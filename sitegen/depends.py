"""What each output file is built from, as one digest per output (its *key*).

An incremental build re-renders exactly the outputs whose key changed. A key covers
everything the bytes of the file can depend on: the code that renders it (sitegen and
the libraries it uses), the settings, the templates the page's template loads, the
static files (pages carry their version hashes), the language's catalog, and the
content the page shows: the fact file, and the sources and programmes it refers to.

Two levels keep a rebuild with nothing changed fast: :func:`raw_inputs` hashes the bytes
of every shared input file without parsing any of them, so an unchanged site is
recognised before YAML, Babel or Jinja are even imported; only when it differs are the
inputs parsed and the finer, per-page keys of :class:`Digests` computed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Libraries whose code shapes the output: a different version may give other bytes.
LIBRARIES = ("jinja2", "markupsafe", "babel", "markdown", "nh3", "yaml")
SHARED_FOLDERS = ("templates", "static", "locales")
SHARED_FILES = ("content/site.yaml", "content/sources.yaml", "content/programs.yaml")
RACY_NS = 100_000_000  # file times come from a coarse clock: see settled()


def settled(mtime_ns: int, read_ns: int) -> bool:
    """Whether a file last modified at ``mtime_ns`` was read whole at ``read_ns``. A
    change made just after the read can carry a time just before it (file times come
    from a coarse clock, and whole seconds on some file systems), so a file modified
    shortly before it was read is not trusted to be unchanged (git's "racy" entries)."""
    margin = 2_000_000_000 if mtime_ns % 1_000_000_000 == 0 else RACY_NS
    return mtime_ns < read_ns - margin


def digest(*parts: bytes | str) -> bytes:
    """A short, collision-safe digest of the parts (length-prefixed, so that ("ab", "c")
    and ("a", "bc") differ)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


def body_digest(body: bytes) -> bytes:
    """The digest of an output file's bytes (whole, so it can be computed as a stream)."""
    return hashlib.blake2b(body, digest_size=16).digest()


def body_hasher() -> hashlib._Hash:
    """An incremental :func:`body_digest`."""
    return hashlib.blake2b(digest_size=16)


def _files_under(folder: Path) -> Iterable[Path]:
    for base, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(base, name)


def engine() -> bytes:
    """sitegen's own code (every module, so a change during development counts too) and
    the identity of each library it renders with (where it is installed and the size
    and time of its main file: an upgrade rewrites it)."""
    package = Path(__file__).resolve().parent
    parts: list[bytes | str] = [sys.version]
    for path in sorted(package.glob("*.py")):
        parts += [path.name, path.read_bytes()]
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec and spec.origin else ""
        stat = os.stat(origin) if origin else None
        parts.append(f"{name}:{origin}:{stat.st_size if stat else 0}:"
                     f"{stat.st_mtime_ns if stat else 0}")
    return digest(*parts)


def raw_inputs(root: Path, options: str) -> bytes:
    """Every input but the fact files, as bytes, plus the build's options: if this and
    the fact files are as they were, the output is too."""
    parts: list[bytes | str] = [engine(), options]
    for name in SHARED_FILES:
        path = root / name
        parts += [name, path.read_bytes() if path.is_file() else b"\0missing"]
    for folder in SHARED_FOLDERS:
        for path in _files_under(root / folder):
            parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    return digest(*parts)


@dataclass(frozen=True)
class Digests:
    """The parsed shared inputs, digested for keys (computed once per build)."""

    engine: bytes
    settings: bytes
    assets: bytes
    sources: dict[str, bytes]
    programs: dict[str, bytes]
    program_sources: dict[str, tuple[str, ...]]  # the sources each programme cites
    catalogs: dict[str, bytes]
    templates: dict[str, bytes]  # per template: it and every template it loads
    shared: bytes  # every source and programme: for pages that show many communities

    def community_inputs(self, template: str) -> bytes:
        """Everything a community's outputs depend on besides its own fact file: while
        this and the fact file are as they were, so are their keys (a rebuild of ten
        thousand communities need not recompute forty thousand keys)."""
        parts: list[bytes | str] = [self.engine, self.settings, self.assets, self.shared,
                                    self.templates.get(template, b"missing")]
        for code in sorted(self.catalogs):
            parts += [code, self.catalogs[code]]
        return digest(*parts)

    def content(self, cited: Iterable[str], programs: Iterable[str]) -> bytes:
        """The shared content one community's outputs use: the sources it cites, the
        programmes it refers to and the sources those cite ("missing" for an id that is
        not defined, so that defining it later makes the outputs stale)."""
        program_ids = sorted(set(programs))
        source_ids = set(cited)
        for program_id in program_ids:
            source_ids.update(self.program_sources.get(program_id, ()))
        parts: list[bytes | str] = []
        for source_id in sorted(source_ids):
            parts += [source_id, self.sources.get(source_id, b"missing")]
        for program_id in program_ids:
            parts += [program_id, self.programs.get(program_id, b"missing")]
        return digest(*parts)

    def page(self, template: str, lang: str, *parts: bytes | str) -> bytes:
        """The key of an HTML page: its template (with what it loads), language and
        catalog, the settings and static files, and ``parts`` (what it shows)."""
        return digest(self.engine, self.settings, self.assets, template,
                      self.templates.get(template, b"missing"), lang,
                      self.catalogs.get(lang, b"none"), *parts)

    def data(self, *parts: bytes | str) -> bytes:
        """The key of a data file (no template, no language)."""
        return digest(self.engine, self.settings, *parts)
