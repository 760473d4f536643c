"""The shipped content is complete: four languages everywhere, dated and cited facts."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import REPO

from sitegen.model import DatedValue, Figure, PartialDate, Site, Text
from sitegen.validate import load_site

LANGUAGES = {"en", "vi", "ko", "th"}


@pytest.fixture(scope="module")
def site() -> Site:
    return load_site(REPO)


def walk(value: Any, where: str) -> Iterator[tuple[str, Any]]:
    """Every value inside the model, with a readable path to it."""
    yield where, value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from walk(getattr(value, item.name), f"{where}.{item.name}")
    elif isinstance(value, tuple) and not isinstance(value, Text):
        for index, item in enumerate(value):
            yield from walk(item, f"{where}[{index}]")


def everything(site: Site) -> Iterator[tuple[str, Any]]:
    for source in site.sources.values():
        yield from walk(source, f"sources.{source.id}")
    for program in site.programs.values():
        yield from walk(program, f"programs.{program.id}")
    for community in site.communities:
        yield from walk(community, community.slug)
    yield from walk(site.settings, "site")


def test_every_text_field_has_all_four_languages(site: Site) -> None:
    texts = [(where, value) for where, value in everything(site) if isinstance(value, Text)]
    assert len(texts) > 150  # the walk reaches the whole model
    missing = [f"{where}: {sorted(LANGUAGES - {c for c, _ in text.items})}"
               for where, text in texts if not {c for c, _ in text.items} >= LANGUAGES]
    assert not missing, "\n".join(missing)


def test_every_fact_cites_a_defined_source(site: Site) -> None:
    facts = [(where, value) for where, value in everything(site)
             if dataclasses.is_dataclass(value) and hasattr(value, "sources")]
    assert len(facts) > 80
    for where, fact in facts:
        assert fact.sources, where
        assert set(fact.sources) <= set(site.sources), where


def test_every_figure_value_is_dated(site: Site) -> None:
    values = [v for _, v in everything(site) if isinstance(v, DatedValue)]
    figures = [v for _, v in everything(site) if isinstance(v, Figure)]
    assert figures and len(values) >= len(figures)
    assert all(v.as_of is not None and v.as_of.year >= 2000 for v in values)


def test_every_source_article_is_a_source(site: Site) -> None:
    languages = sorted(source.language for source in site.sources.values())
    assert languages == ["en", "ko", "ko", "th", "vi"]  # the five articles


def test_proper_names_follow_each_language(site: Site) -> None:
    names = {c.slug: dict(c.name.items) for c in site.communities}
    assert names["binh-duong"] == {"en": "Binh Duong", "vi": "Bình Dương", "ko": "빈즈엉",
                                   "th": "บิ่ญเซือง"}
    assert names["hue"] == {"en": "Hue", "vi": "Huế", "ko": "후에", "th": "เว้"}


def test_the_translation_status_sees_every_text(site: Site) -> None:
    """content_texts (what the translation status and the build's warnings count) finds
    each text of the model once, the same ones a full walk of the model finds."""
    from sitegen.translation_status import content_texts

    found = [id(text) for text in content_texts(site)]
    walked = [id(value) for _, value in everything(site) if isinstance(value, Text)]
    assert len(found) == len(set(found)) > 100
    assert sorted(found) == sorted(walked)


def test_equal_dates_are_one_object(site: Site) -> None:
    """A date written in several places is read once: every copy is the same object
    (caches keyed by dates then find it at once), and different dates stay apart."""
    by_value: dict[PartialDate, set[int]] = {}
    for _, value in everything(site):
        if isinstance(value, PartialDate):
            by_value.setdefault(value, set()).add(id(value))
    assert len(by_value) > 10
    assert all(len(ids) == 1 for ids in by_value.values())
    assert sum(1 for _, v in everything(site) if isinstance(v, PartialDate)) > len(by_value)
