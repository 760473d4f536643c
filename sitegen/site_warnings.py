"""Warnings: located problems that do not stop a build.

A missing translation still gives readers a page (the text falls back to the default
language, the interface to English), so it must not block an editor's build; but a
content repository's CI wants to refuse it (``--strict``). Warnings have the same
``path:line:column: message`` form as errors so editors and IDEs link to them, plus a
``group`` that names their kind, so a new language's three hundred untranslated fields
print as one line per file rather than three hundred.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from sitegen.errors import SiteError, visible


@dataclass(frozen=True, order=True)
class SiteWarning(SiteError):
    """A problem worth fixing that still lets the site be built.

    ``group`` is a short plural description shared by warnings of the same kind and
    language ("text fields without 'ar'"); empty for warnings that always print alone."""

    group: str = ""
    is_translation: bool = True

    def __str__(self) -> str:
        return (f"{self.path}:{self.line or 1}:{self.column or 1}: warning: "
                f"{visible(self.message)}")


def _order(warning: SiteError) -> tuple[str, int, int, str]:
    return (warning.path, warning.line, warning.column, warning.message)


def compact_lines(warnings: Iterable[SiteError]) -> list[str]:
    """One line per file and kind: the first warning of a group, located, with how many
    more of its kind that file has; ungrouped warnings print one by one."""
    lines: list[str] = []
    ordered = sorted(set(warnings), key=_order)
    for _path, in_file in groupby(ordered, key=lambda w: w.path):
        seen: dict[str, list[SiteError]] = {}
        for warning in in_file:
            group = getattr(warning, "group", "")
            seen.setdefault(group or f"\0{len(seen)}", []).append(warning)
        for group, members in seen.items():
            first = members[0]
            line = str(first)
            if len(members) > 1 and not group.startswith("\0"):
                line += f" (and {len(members) - 1} more like this in this file)"
            lines.append(line)
    return lines


def count_warnings(warnings: Iterable[SiteError]) -> str:
    """'no warnings', '1 warning', '12 warnings', for summary lines."""
    count = len(set(warnings))
    if not count:
        return "no warnings"
    return f"{count} warning" + ("s" if count > 1 else "")


class StrictFailed(Exception):
    """A ``--strict`` run found warnings; carries them to the CLI. Nothing was written."""

    def __init__(self, warnings: tuple[SiteWarning, ...]) -> None:
        super().__init__(f"{len(warnings)} warning(s)")
        self.warnings = warnings
