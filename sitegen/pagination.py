"""Long listings split into pages, and the links between them.

The index, the compare page and each programme's list of recognised communities grow
with the site; with ten thousand communities one page would weigh megabytes. They are
cut into pages of ``page_size`` (content/site.yaml), in the order of the fact files, so
a community stays on the same page until communities are added or removed before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
AROUND = 2  # page links shown on each side of the current page


@dataclass(frozen=True)
class Pager:
    """Page ``number`` (1-based) of ``count`` pages holding ``total`` items."""

    number: int
    count: int
    total: int

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None

    def links(self) -> list[int | None]:
        """The page numbers to link: the first, the last and those around the current
        one, with None where numbers are left out (shown as an ellipsis)."""
        shown = sorted({1, self.count, *range(max(1, self.number - AROUND),
                                                 min(self.count, self.number + AROUND) + 1)})
        links: list[int | None] = []
        for number in shown:
            if links and number - (links[-1] or 0) > 1:
                links.append(None)
            links.append(number)
        return links


def page_count(total: int, size: int) -> int:
    """At least one page, even for an empty list."""
    return max(1, -(-total // size))


def pages(items: Sequence[T], size: int) -> list[tuple[Pager, Sequence[T]]]:
    """``items`` cut into pages of ``size``."""
    count = page_count(len(items), size)
    return [(Pager(n, count, len(items)), items[(n - 1) * size:n * size])
            for n in range(1, count + 1)]
