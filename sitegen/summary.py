"""What the listings need of a community, kept small enough for ten thousand of them.

The index, compare, programme and 404 pages show many communities, but little of each:
name, country, kind, recognitions, headline figures and the names and criteria of
initiatives. A build keeps only this *summary* of each community, packed as bytes (a
few KB), so memory does not grow with every fact of every file; the summaries are also
what an incremental build remembers, so a listing can be re-rendered without reading
the fact files of the communities on it.

Templates of listings see summaries in place of communities: a ``Community`` whose
summary paragraph, partners, milestones, plans, goals and people are left out, whose
figures are the headline ones and whose initiatives have no description or note.
"""

from __future__ import annotations

import io
import pickle
from dataclasses import replace
from typing import Any

from sitegen import model
from sitegen.depends import digest
from sitegen.model import Community

HEADLINE_FIGURES = 4  # the first figures of a fact file, shown at the top of its sheet
_MODEL_CLASSES = {name for name in dir(model) if isinstance(getattr(model, name), type)}


def summarise(community: Community) -> Community:
    """The parts of ``community`` that listings show (see the module's docstring)."""
    return replace(
        community, summary=None, partners=(), milestones=(), plans=(), goals=(), people=(),
        figures=community.figures[:HEADLINE_FIGURES],
        initiatives=tuple(replace(item, description=None, note=None)
                          for item in community.initiatives))


def pack(summary: Community) -> bytes:
    return pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL)


def packed_digest(blob: bytes) -> bytes:
    return digest(blob)


class _ModelUnpickler(pickle.Unpickler):
    """Loads only sitegen's own model classes: a summary is data, never code."""

    def find_class(self, module: str, name: str) -> Any:
        if module == model.__name__ and name in _MODEL_CLASSES:
            return getattr(model, name)
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in a summary")


def unpack(blob: bytes) -> Community:
    value = _ModelUnpickler(io.BytesIO(blob)).load()
    if not isinstance(value, Community):
        raise pickle.UnpicklingError("not a community summary")
    return value
