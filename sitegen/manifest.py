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

import contextlib
import gc
import io
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.site_warnings import SiteWarning

FORMAT = 2
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
    part_digests: tuple[bytes, bytes] = (b"", b"")  # of those parts' bytes


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
    """The manifest at ``path``, if it is one. Loading ten thousand records makes the
    cyclic garbage collector run again and again over objects that all stay alive, so it
    is paused meanwhile, and what is loaded is then left out of its later rounds."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        value = _Unpickler(io.BytesIO(path.read_bytes())).load()
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError,
            IndexError, KeyError, MemoryError):
        return None
    finally:
        if collecting:
            gc.enable()
    gc.freeze()
    if not isinstance(value, Manifest) or value.format != FORMAT:
        return None
    return value


def load(out: Path) -> Manifest | None:
    """The manifest of ``out`` as it is now, or None (no build, or one it cannot trust);
    with the twin's state as a failed build after it left it (see write_twin_state)."""
    try:
        inode = os.stat(out).st_ino
    except OSError:
        return None
    for name in ("manifest.new", "manifest"):
        found = _read(folder(out) / name)
        if found is not None and found.out_inode == inode:
            state = _twin_state(out)
            if state is not None and state[0] == inode:
                found.twin_inode, found.twin_stale = state[1], state[2]
            return found
    return None


def write_twin_state(out: Path, out_inode: int, twin_inode: int, stale: list[str]) -> None:
    """A build that did not publish left the twin changed (``stale``: where it now
    differs from the output). The manifest itself still describes the output, so only
    this small note is written; the next publish removes it."""
    target = folder(out) / "twin-state"
    temporary = target.with_name("twin-state.tmp")
    with open(temporary, "wb") as handle:
        pickle.dump((out_inode, twin_inode, stale), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, target)


def _twin_state(out: Path) -> tuple[int, int, list[str]] | None:
    try:
        with open(folder(out) / "twin-state", "rb") as handle:
            value = _Unpickler(io.BufferedReader(handle)).load()
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
        return None
    if (isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], int)
            and isinstance(value[1], int) and isinstance(value[2], list)):
        return value
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
    """The swap is done: the pending manifest is the manifest (and its twin state)."""
    os.replace(folder(out) / "manifest.new", folder(out) / "manifest")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(folder(out) / "twin-state")


def write(out: Path, manifest: Manifest) -> None:
    """Replace the manifest at once (when the output itself did not change)."""
    write_pending(out, manifest)
    commit(out)
