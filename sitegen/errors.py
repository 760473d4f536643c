"""Located, user-facing errors.

Editors are not programmers: every problem must say where it is (file, 1-based line and
column), what is wrong and how to fix it. Errors are collected during a whole run so the
editor sees all of them at once instead of fixing one per build.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class SiteError:
    """One problem in one input file. ``line``/``column`` are 1-based; a problem with the
    file as a whole (its name, its absence) is reported at 1:1 so every message has the
    ``path:line:column`` form that editors and IDEs turn into links."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line or 1}:{self.column or 1}: {visible(self.message)}"


# Line breaks, other control characters and the bidirectional controls: a message quoting
# a value that holds one would otherwise run onto a second line (which editors and CI
# logs read as another message) or be shown reordered.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                        "\u202a-\u202e\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(message: str) -> str:
    """``message`` on one line, each invisible character written as its escape."""
    return _INVISIBLE.sub(lambda m: _NAMED.get(m[0]) or f"\\u{ord(m[0]):04x}", message)


def place(text: str | bytes, index: int) -> tuple[int, int]:
    """1-based line and column of the character (or byte) at ``index``."""
    if isinstance(text, str):
        lines, line_start = text.count("\n", 0, index), text.rfind("\n", 0, index) + 1
    else:
        lines, line_start = text.count(b"\n", 0, index), text.rfind(b"\n", 0, index) + 1
    return lines + 1, index - line_start + 1


def not_utf8(data: bytes, index: int) -> tuple[int, int, str]:
    """Where a file stops being UTF-8 (line, byte column) and what to do about it."""
    return (*place(data, index),
            f"byte 0x{data[index]:02x} is not valid UTF-8; save the file as UTF-8")


@dataclass
class ErrorList:
    """Collects every error of a run; callers abort once at the end if any were found."""

    errors: list[SiteError] = field(default_factory=list)

    def add(self, path: str | Path, line: int, column: int, message: str) -> None:
        self.errors.append(SiteError(str(path), line, column, message))

    def extend(self, other: ErrorList) -> None:
        self.errors.extend(other.errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    def __iter__(self) -> Iterator[SiteError]:
        """Errors sorted by file and position, without duplicates, for stable output."""
        return iter(sorted(set(self.errors)))


class BuildFailed(Exception):
    """Raised once a run has collected errors; carries them all to the CLI."""

    def __init__(self, errors: ErrorList) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors
