"""Located, user-facing errors.

Editors are not programmers: every problem must say where it is (file, 1-based line and
column), what is wrong and how to fix it. Errors are collected during a whole run so the
editor sees all of them at once instead of fixing one per build.
"""

from __future__ import annotations

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
        return f"{self.path}:{self.line or 1}:{self.column or 1}: {self.message}"


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
