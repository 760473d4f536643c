"""The only code that touches the output folder.

A build writes into a *staging* folder beside the output, then swaps it in with one
atomic ``renameat2(RENAME_EXCHANGE)`` on Linux (two renames elsewhere). A failed or
killed build therefore never leaves a half-written site: readers and deploy tools see
either the previous complete site or the new one. A lock file stops two builds of the
same output from interleaving.

An incremental build must not copy a 40,000-file site to change four files, so the
output has a *twin* (``.dist.cache/twin``): a copy made of hard links, sharing every
unchanged file with it. The next build renames the twin into the staging folder, brings
it level with the output (re-linking only the files the last build changed), writes the
files that change (a new file in place of the link: the output's own copy is never
written into) and swaps it in; the old output, which again shares all but those files,
becomes the twin. Files that did not change keep their inode, bytes and modification
time, so deploy tools upload only what changed.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath

from sitegen import manifest as manifest_file

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(Exception):
    """The output folder cannot be written; the message says why and what to do."""


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out`` for the whole build; refuse if another holds it."""
    lock = out.parent / f".{out.name}.lock"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock, "a+b")  # noqa: SIM115
    except OSError as exc:
        raise OutputError(f"cannot write beside {out} ({exc.filename or lock}): "
                          f"{exc.strerror}; check that the folder exists and may be "
                          "written") from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"another build is writing {out}; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def safe_parts(relative: str) -> tuple[str, ...]:
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or ".." in parts or "\\" in relative:
        raise OutputError(f"refusing to write outside the output folder: {relative!r}")
    return parts


class MemorySink:
    """Outputs kept in memory, in the order written (the preview server's site)."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {}

    def write(self, path: str, body: bytes) -> None:
        safe_parts(path)
        self.pages[path] = body


class NullSink:
    """Outputs rendered and dropped (``sitegen check``)."""

    def write(self, path: str, body: bytes) -> None:
        safe_parts(path)


class Staging:
    """The folder a build writes into; see the module docstring."""

    def __init__(self, path: Path, fresh: bool) -> None:
        self.path = path
        self.fresh = fresh  # empty at the start: nothing to replace
        self._folders: set[Path] = set()

    def target(self, relative: str) -> Path:
        return self.path.joinpath(*safe_parts(relative))

    def write(self, relative: str, body: bytes) -> None:
        """Write a new file, never into the file already there (it may be a link to the
        output's own copy)."""
        target = self.target(relative)
        parent = target.parent
        if parent not in self._folders:
            parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(parent)
        if not self.fresh:
            with suppress(FileNotFoundError):
                os.unlink(target)
        with open(target, "xb") as handle:
            handle.write(body)

    def remove(self, relative: str) -> None:
        """Remove a file the site no longer has, and the folders it leaves empty."""
        target = self.target(relative)
        try:
            os.unlink(target)
        except FileNotFoundError:
            return
        folder = target.parent
        while folder != self.path:
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EXDEV):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def remove_stale(out: Path) -> None:
    """Temporary folders left by a killed build (only ever removed under the lock)."""
    for stale in out.parent.glob(f".{out.name}.tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)


def twin_path(out: Path) -> Path:
    return manifest_file.folder(out) / "twin"


def link_copy(source: Path, target: Path) -> None:
    """``target`` as a copy of ``source`` made of hard links (folders are new)."""
    os.mkdir(target)
    with os.scandir(source) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                link_copy(Path(entry.path), target / entry.name)
            else:
                os.link(entry.path, target / entry.name, follow_symlinks=False)


def _new_staging(out: Path) -> Path:
    try:
        return Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"cannot create a folder beside {out}: {exc.strerror}") from exc


def prepare(out: Path, twin_inode: int | None, twin_stale: Iterable[str]) -> Staging:
    """A staging folder for a build: empty for a full build (``twin_inode`` None), else
    the output's copy, from its twin where it has one, brought level with it."""
    remove_stale(out)
    twin = twin_path(out)
    if twin_inode is None:
        if twin.exists():
            shutil.rmtree(twin, ignore_errors=True)
        return Staging(_new_staging(out), fresh=True)
    try:
        usable = twin.is_dir() and os.stat(twin).st_ino == twin_inode
        staging = _new_staging(out)
        if usable:
            os.rmdir(staging)
            os.rename(twin, staging)
            for relative in twin_stale:
                _level(out, staging, relative)
        else:
            shutil.rmtree(twin, ignore_errors=True)
            os.rmdir(staging)
            link_copy(out, staging)
    except OSError as exc:
        raise OutputError(f"cannot prepare the build beside {out}: {exc.strerror or exc}; "
                          "the previous site was left as it was") from exc
    return Staging(staging, fresh=False)


def _level(out: Path, staging: Path, relative: str) -> None:
    """Make one path of the staging folder the output's (a link to its file, or none)."""
    source = out.joinpath(*safe_parts(relative))
    target = staging.joinpath(*safe_parts(relative))
    if source.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        with suppress(FileNotFoundError):
            os.unlink(target)
        os.link(source, target)
    else:
        Staging(staging, fresh=False).remove(relative)


def publish(staging: Staging, out: Path, pending: manifest_file.Manifest,
            full: bool) -> None:
    """Swap the staging folder in as ``out``, and keep the old output as the twin (an
    incremental build) or make a new twin of links (a full build)."""
    twin = twin_path(out)
    manifest_file.folder(out).mkdir(exist_ok=True)
    try:
        staging.path.chmod(0o755)
        if out.exists() and not out.is_dir():
            raise OutputError(f"{out} exists and is not a folder; move it away")
        pending.out_inode = os.stat(staging.path).st_ino
        if full:
            building = twin.with_name("twin.tmp")
            shutil.rmtree(building, ignore_errors=True)
            link_copy(staging.path, building)
            pending.twin_inode = os.stat(building).st_ino
        elif out.exists():
            pending.twin_inode = os.stat(out).st_ino
        manifest_file.write_pending(out, pending)
        if out.exists():
            if not _exchange(staging.path, out):
                old = out.parent / f".{out.name}.tmp-old"
                os.rename(out, old)
                os.rename(staging.path, out)
                staging.path = old
        else:
            os.rename(staging.path, out)
            staging.path = out.parent / f".{out.name}.tmp-gone"
        if full:
            shutil.rmtree(twin, ignore_errors=True)
            os.rename(building, twin)
            shutil.rmtree(staging.path, ignore_errors=True)
        elif staging.path.exists():
            shutil.rmtree(twin, ignore_errors=True)
            os.rename(staging.path, twin)
        manifest_file.commit(out)
    except OSError as exc:
        raise OutputError(f"cannot write the site to {out}: {exc.strerror or exc}; "
                          "the previous site was left as it was") from exc


def abandon(staging: Staging, out: Path) -> None:
    """A build that will not be published: a full build's folder is removed, an
    incremental one's becomes the twin again (the caller records what it changed)."""
    if staging.fresh:
        shutil.rmtree(staging.path, ignore_errors=True)
        return
    twin = twin_path(out)
    shutil.rmtree(twin, ignore_errors=True)
    os.rename(staging.path, twin)
