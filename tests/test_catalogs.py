"""Every interface string is translated in every shipped catalog."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import REPO, run_cli, tree_digest

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


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """What extraction reads and writes: templates, sitegen/, babel.cfg and locales/."""
    copy = tmp_path / "repo"
    for name in ("templates", "sitegen", "locales", "content", "static"):
        shutil.copytree(REPO / name, copy / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(REPO / "babel.cfg", copy / "babel.cfg")
    return copy


def test_extract_and_update_leave_the_shipped_catalogs_unchanged(repo_copy: Path) -> None:
    """Re-running the workflow on unchanged strings is not a diff: not even the date."""
    for command, lines in (("extract", ["locales/messages.pot: unchanged"]),
                           ("update", [f"locales/{lang}/LC_MESSAGES/messages.po: unchanged"
                                       for lang in sorted(TRANSLATED)])):
        result = run_cli("translate", command, cwd=repo_copy)
        assert result.code == 0, result.err
        assert result.out.splitlines() == lines
    assert tree_digest(repo_copy / "locales") == tree_digest(REPO / "locales")
    assert run_cli("translate", "extract", "--check", cwd=repo_copy).code == 0


def test_extract_writes_what_pybabel_writes(repo_copy: Path, tmp_path: Path) -> None:
    """The same template as `pybabel extract` with the project's options, date aside."""
    (repo_copy / "templates/404.html").write_text(
        (repo_copy / "templates/404.html").read_text(encoding="utf-8")
        + '{{ _("A string added for this test") }}\n', encoding="utf-8")
    assert run_cli("translate", "extract", "--check", cwd=repo_copy).code == 1
    result = run_cli("translate", "extract", cwd=repo_copy)
    assert result.out == "locales/messages.pot: updated\n"
    pybabel = tmp_path / "pybabel.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-c", "Translators:", "--sort-output", "--no-location", "--project", "sitegen",
         "-o", str(pybabel), "."], cwd=repo_copy, check=True, capture_output=True)

    def dateless(path: Path) -> str:
        return re.sub(r'"POT-Creation-Date: [^"]*"', "", path.read_text(encoding="utf-8"))

    assert dateless(repo_copy / "locales/messages.pot") == dateless(pybabel)
    assert 'msgid "A string added for this test"' in dateless(pybabel)


def test_update_adds_new_strings_untranslated_and_status_lists_them(repo_copy: Path) -> None:
    (repo_copy / "templates/404.html").write_text(
        (repo_copy / "templates/404.html").read_text(encoding="utf-8")
        + '{{ _("A string added for this test") }}\n', encoding="utf-8")
    assert run_cli("translate", "extract", cwd=repo_copy).code == 0
    status = run_cli("translate", "status", "--summary", cwd=repo_copy)
    assert "Note: locales/messages.pot" not in status.out
    assert "vi: interface 104/105 (99%)" in status.out, status.out
    result = run_cli("translate", "update", cwd=repo_copy)
    assert result.out.count(": updated") == len(TRANSLATED)
    path = repo_copy / "locales/vi/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        message = read_po(handle, locale="vi").get("A string added for this test")
    assert message is not None and message.string == "" and not message.fuzzy
    status = run_cli("translate", "status", "vi", cwd=repo_copy)
    assert (f"locales/vi/LC_MESSAGES/messages.po:{message.lineno}:1: 'A string added for "
            "this test' is not translated") in status.out.splitlines()
    strict = run_cli("check", "--strict", cwd=repo_copy)
    assert strict.code == 1 and "'A string added for this test' is not translated" in strict.err


def test_fuzzy_entries_count_as_untranslated(repo_copy: Path) -> None:
    path = repo_copy / "locales/ko/LC_MESSAGES/messages.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('msgid "Key figures"', '#, fuzzy\nmsgid "Key figures"', 1),
                    encoding="utf-8")
    status = run_cli("translate", "status", "--summary", cwd=repo_copy)
    assert "ko: interface 103/104 (99%)" in status.out
    result = run_cli("build", cwd=repo_copy)
    assert result.code == 0
    assert "'Key figures' is marked fuzzy" in result.err


def test_init_refuses_an_unknown_language(repo_copy: Path) -> None:
    result = run_cli("translate", "init", "xx-nonsense", cwd=repo_copy)
    assert result.code == 1
    assert "error: 'xx-nonsense' is not a language code known to CLDR" in result.err
    assert not (repo_copy / "locales/xx-nonsense").exists()
