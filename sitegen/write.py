"""The only code that touches the output folder.

A build is written in full to a temporary folder beside the output, then swapped in with
one atomic ``renameat2(RENAME_EXCHANGE)`` on Linux (two renames elsewhere). A failed or
killed build therefore never leaves a half-written site: readers and deploy tools see
either the previous complete site or the new one. A lock file stops two builds of the
same output from interleaving.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from sitegen.page import Page

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(Exception):
    """The output folder cannot be written; the message says why and what to do."""


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out`` for the whole build; refuse if another holds it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    with open(lock_path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"another build is writing {out}; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _safe_target(folder: Path, relative: str) -> Path:
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or ".." in parts or "\\" in relative:
        raise OutputError(f"refusing to write outside the output folder: {relative!r}")
    return folder.joinpath(*parts)


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


def _remove_stale(out: Path) -> None:
    """Temporary folders left by a killed build (only ever removed under the lock)."""
    for stale in out.parent.glob(f".{out.name}.tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)


def write_site(pages: Iterable[Page], out: Path) -> int:
    """Write all pages to ``out`` atomically; return the number of files written."""
    with locked(out):
        _remove_stale(out)
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        except OSError as exc:
            raise OutputError(f"cannot create a folder beside {out}: {exc.strerror}") from exc
        try:
            count = 0
            for page in pages:
                target = _safe_target(staging, page.path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(page.body)
                count += 1
            staging.chmod(0o755)
            if out.exists() and not out.is_dir():
                raise OutputError(f"{out} exists and is not a folder; move it away")
            if out.exists():
                if not _exchange(staging, out):
                    old = out.parent / f".{out.name}.tmp-old"
                    os.rename(out, old)
                    os.rename(staging, out)
                    staging = old
            else:
                os.rename(staging, out)
                return count
        except OSError as exc:
            raise OutputError(
                f"cannot write the site to {out}: {exc.strerror or exc}; "
                "the previous site was left as it was"
            ) from exc
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        return count
