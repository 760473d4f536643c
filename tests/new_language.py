"""Adding a language to a copy of the shipped site, step by step as README.md's
"Add a language" says, through the command line. Shared by tests/test_new_language.py
and tests/browser/test_rtl.py.

The translator's part is played by code: the catalog is filled with Babel's own reader
and writer (as Poedit would save it), with real Arabic for the strings every page shows
and a filler that keeps each placeholder for the rest; content fields get ``ar:`` text at
the ``file:line:column`` that ``sitegen translate status`` reports for them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from conftest import REPO, Result, run_cli

LANG = "ar"
# The strings on every page, and the site's title, in real Arabic.
ARABIC = {
    "Communities": "المجتمعات",
    "Compare": "مقارنة",
    "Skip to main content": "انتقل إلى المحتوى الرئيسي",
    "Choose language": "اختر اللغة",
    "Site": "الموقع",
    "Sources": "المصادر",
    "Key figures": "أرقام رئيسية",
    "Open data": "البيانات المفتوحة",
    "Every fact on this site cites the source that states it.":
        "كل معلومة في هذا الموقع تذكر المصدر الذي أوردها.",
}
TITLE = "صحائف وقائع المجتمعات الذكية"
FILLER = "نص عربي للاختبار"
STATUS_LINE = re.compile(rf"^(content/[^:]+):(\d+):(\d+): no '{LANG}' text", re.MULTILINE)


def copy_shipped_site(target: Path) -> Path:
    """The shipped site's own files, as a content repository holds them."""
    for name in ("content", "templates", "static", "locales", "schema"):
        shutil.copytree(REPO / name, target / name)
    shutil.copyfile(REPO / "babel.cfg", target / "babel.cfg")
    return target


def add_to_site_yaml(site: Path) -> None:
    """Step 1: ``ar: {}`` as the last entry under ``languages:``."""
    path = site / "content/site.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("languages:")
    end = start + 1
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    lines.insert(end, f"  {LANG}: {{}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def init_catalog(site: Path) -> Result:
    """Step 2."""
    return run_cli("translate", "init", LANG, cwd=site)


def arabic(msgid: str) -> str:
    """The translation of one interface string: real Arabic where known, else a filler
    around the English, which keeps every placeholder (a translation must keep them) and
    keeps headings distinct."""
    return ARABIC.get(msgid, f"{FILLER} ({msgid})")


def translate_catalog(site: Path) -> None:
    """Step 3: every msgstr, plural forms included, saved as a translation tool does."""
    path = site / f"locales/{LANG}/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=LANG)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(arabic(message.id[1]) for _ in range(catalog.num_plurals))
        else:
            message.string = arabic(message.id)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def status(site: Path) -> Result:
    """Step 4's report."""
    return run_cli("translate", "status", LANG, cwd=site)


def translate_content(site: Path, report: str) -> int:
    """Step 4: add ``ar:`` text at every place the status lists; returns how many.

    The position is that of the text's mapping: a block mapping's first key (the new
    key goes on a line of its own at the same column) or a flow mapping's ``{``."""
    places: dict[str, list[tuple[int, int]]] = {}
    for path, line, column in STATUS_LINE.findall(report):
        places.setdefault(path, []).append((int(line), int(column)))
    for path, positions in places.items():
        file = site / path
        lines = file.read_text(encoding="utf-8").split("\n")
        for line, column in sorted(positions, reverse=True):
            text = lines[line - 1]
            at = column - 1
            key = text if text[at] == "{" else lines[line - 2]
            title = path == "content/site.yaml" and key.lstrip().startswith("title:")
            value = TITLE if title else f"{FILLER} {path.split('/')[-1]} {line}"
            if text[at] == "{":
                lines[line - 1] = f"{text[:at + 1]}{LANG}: {value}, {text[at + 1:]}"
            else:
                lines[line - 1] = f"{text[:at]}{LANG}: {value}\n{' ' * at}{text[at:]}"
        file.write_text("\n".join(lines), encoding="utf-8")
    return sum(len(p) for p in places.values())


def build(site: Path, *args: str) -> Result:
    """Step 5."""
    return run_cli("build", *args, cwd=site)


def arabic_site(target: Path) -> Path:
    """A copy of the shipped site with Arabic added end to end and built into dist/."""
    site = copy_shipped_site(target)
    add_to_site_yaml(site)
    assert init_catalog(site).code == 0
    translate_catalog(site)
    translate_content(site, status(site).out)
    result = build(site, "--strict")
    assert result.code == 0, result.err
    return site
