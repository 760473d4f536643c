"""Every interface string is translated in every shipped catalog."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import REPO

TRANSLATED = ["vi", "ko", "th"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """What `pybabel extract -F babel.cfg` finds in templates/ and sitegen/ right now."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-o", str(pot), "."],
        cwd=REPO, check=True, capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_extraction_finds_the_interface(extracted: set[str]) -> None:
    assert {"Key figures", "Sources", "B.E.", "more than %(value)s"} <= extracted


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalog_is_complete(extracted: set[str], lang: str) -> None:
    with (REPO / f"locales/{lang}/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    by_id = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    missing = sorted(extracted - set(by_id))
    assert not missing, f"not in the {lang} catalog: {missing}"
    for msgid in extracted:
        message = by_id[msgid]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), f"{lang}: '{msgid}' is not translated"
        assert not message.fuzzy, f"{lang}: '{msgid}' is fuzzy"
    assert not list(catalog.check())


def test_no_compiled_catalogs_are_kept() -> None:
    assert not list((REPO / "locales").rglob("*.mo"))


def test_template_file_is_current(extracted: set[str]) -> None:
    with (REPO / "locales/messages.pot").open("rb") as handle:
        shipped = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert shipped == extracted, "run the extract command in the README"


def test_babel_cfg_is_where_the_readme_says() -> None:
    assert Path(REPO / "babel.cfg").is_file()
