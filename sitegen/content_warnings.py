"""Content problems that do not stop a build but that an editor wants to know about.

A source that no fact cites is not wrong, yet it is usually a left-over (the fact that
cited it was deleted) or a citation that was forgotten; it appears in the open data but
on no page.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from sitegen.model import Site, Source
from sitegen.site_warnings import SiteWarning
from sitegen.validate import CONTENT, SOURCES_FILE


def cited_sources(value: Any) -> set[str]:
    """Every source id some fact lists in its ``sources``, found by walking the model."""
    found: set[str] = set()
    if is_dataclass(value) and not isinstance(value, type):
        for item in fields(value):
            child = getattr(value, item.name)
            if item.name == "sources" and isinstance(child, tuple):
                found.update(child)
            else:
                found |= cited_sources(child)
    elif isinstance(value, (tuple, list)):
        for child in value:
            found |= cited_sources(child)
    elif isinstance(value, dict):
        for child in value.values():
            found |= cited_sources(child)
    return found


def uncited_sources(site: Site) -> list[SiteWarning]:
    """Sources no fact cites, reported at their entry in content/sources.yaml."""
    return uncited(site.sources, cited_sources(site))


def uncited(sources: dict[str, Source], cited: set[str]) -> list[SiteWarning]:
    """Of ``sources``, those not in ``cited``, each located at its entry."""
    warnings = []
    for source in sources.values():
        if source.id in cited:
            continue
        where = source.title.where
        path, line, column = ((where.path, where.line, where.column) if where
                              else (f"{CONTENT}/{SOURCES_FILE}", 1, 1))
        warnings.append(SiteWarning(
            path, line, column, f"source '{source.id}' is not cited by any fact; cite it "
            "where it is used or remove it", is_translation=False))
    return warnings
