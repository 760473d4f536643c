"""What the last build of an output folder was made from: the memory of incremental builds.

It is kept beside the output (``.dist.cache/manifest`` for ``dist/``), never inside it,
so nothing private is published. It describes one output folder, identified by its inode
number: a manifest that does not match the folder (the folder was deleted, replaced or
built by something else) is ignored, and the next build is a full one. It is written
before the new output is swapped in, as ``manifest.new``, and renamed once the swap is
done; whichever of the two matches the folder afterwards is the true one, so a build
killed at any moment leaves a manifest that is right or none.

Deleting ``.dist.cache/`` is always safe: the next build is a full one.
"""

from __future__ import annotations

import io
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.site_warnings import SiteWarning

FORMAT = 1
_ALLOWED = {("sitegen.manifest", "Record"), ("sitegen.site_warnings", "SiteWarning"),
            ("sitegen.manifest", "Manifest")}


@dataclass
class Record:
    """What a build remembers of one community, to rebuild only what changed."""

    slug: str
    stat: tuple[int, int, int]  # size, modification time (ns), inode of the fact file
    read_ns: int  # when it was read (see settled())
    digest: bytes  # of the fact file's bytes
    cited: tuple[str, ...]  # the sources its facts cite
    programs: tuple[str, ...]  # the programmes it refers to
    recognised_in: tuple[str, ...]  # the programmes that recognised it
    summary: bytes  # packed (see sitegen.summary)
    summary_digest: bytes
    warnings: tuple[SiteWarning, ...]
    outputs: dict[str, tuple[bytes, bytes]]  # output path -> (key, digest of its bytes)
    data_key: bytes  # of its parts of site.json and facts.csv
    spans: tuple[int, int, int, int] = (0, 0, 0, 0)  # those parts in the previous build's
    # site.json and facts.csv: offset and length of each


@dataclass
class Manifest:
    raw: bytes  # digest of every input but the fact files, and of the options
    out_inode: int  # the output folder it describes
    twin_inode: int  # the twin (a hard-linked copy of the output, see sitegen.write)
    twin_stale: list[str]  # paths where the twin is not the output's copy
    records: list[Record]  # one per community, in page order
    outputs: dict[str, tuple[bytes, bytes]]  # other outputs: path -> (key, digest)
    pages_per_language: dict[str, int]
    files: int
    warnings: tuple[SiteWarning, ...]
    format: int = FORMAT
    extra: dict[str, Any] = field(default_factory=dict)

    def all_outputs(self) -> dict[str, tuple[bytes, bytes]]:
        found = dict(self.outputs)
        for record in self.records:
            found.update(record.outputs)
        return found


def folder(out: Path) -> Path:
    return out.parent / f".{out.name}.cache"


class _Unpickler(pickle.Unpickler):
    """Only the manifest's own classes: the file is data, never code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED or (module == "builtins" and name in {"set", "frozenset"}):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in a manifest")


def _read(path: Path) -> Manifest | None:
    try:
        with open(path, "rb") as handle:
            value = _Unpickler(io.BufferedReader(handle)).load()
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError,
            IndexError, KeyError, MemoryError):
        return None
    if not isinstance(value, Manifest) or value.format != FORMAT:
        return None
    return value


def load(out: Path) -> Manifest | None:
    """The manifest of ``out`` as it is now, or None (no build, or one it cannot trust)."""
    try:
        inode = os.stat(out).st_ino
    except OSError:
        return None
    for name in ("manifest.new", "manifest"):
        found = _read(folder(out) / name)
        if found is not None and found.out_inode == inode:
            return found
    return None


def write_pending(out: Path, manifest: Manifest) -> None:
    """Write the manifest of the build about to be swapped in (``manifest.new``)."""
    target = folder(out)
    target.mkdir(exist_ok=True)
    temporary = target / "manifest.tmp"
    with open(temporary, "wb") as handle:
        pickle.dump(manifest, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, target / "manifest.new")


def commit(out: Path) -> None:
    """The swap is done: the pending manifest is the manifest."""
    os.replace(folder(out) / "manifest.new", folder(out) / "manifest")


def write(out: Path, manifest: Manifest) -> None:
    """Replace the manifest at once (when the output itself did not change)."""
    write_pending(out, manifest)
    commit(out)
