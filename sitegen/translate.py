"""The interface-translation workflow: extract, update, init, done by Babel itself.

Each step runs Babel's own frontend commands (the code behind ``pybabel extract``,
``update`` and ``init``) with the options the project's catalogs were made with, so the
files stay the standard ``.po`` files Poedit and Weblate open, and small diffs: no
source locations, sorted entries. The one thing added is that a template whose messages
did not change is left as it is: ``pybabel extract`` would rewrite its
``POT-Creation-Date`` every time, and ``update`` would copy that date into every catalog,
turning each run into a diff of every file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.frontend import BaseError, ExtractMessages, InitCatalog, UpdateCatalog
from babel.messages.pofile import read_po

import sitegen
from sitegen.i18n import DOMAIN, LOCALES, catalog_path, template_path

MAPPING = "babel.cfg"  # which files hold interface strings, and how to read them
PROJECT = "sitegen"  # the name in the catalogs' headers
COMMENT_TAG = "Translators:"  # comments starting with it are shown to translators


class TranslateError(Exception):
    """A step could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class Updated:
    """One catalog after ``update``: where it is and whether its file changed."""

    lang: str
    path: Path
    changed: bool


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


@contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    """A temporary file in ``path``'s folder (so it can replace it by a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def _run(command: ExtractMessages | InitCatalog | UpdateCatalog,
         prepare: Callable[[], None] | None = None) -> None:
    try:
        command.ensure_finalized()
        if prepare is not None:
            prepare()
        command.run()
    except BaseError as exc:  # Babel's option and configuration errors
        raise TranslateError(str(exc)) from exc


def _same_messages(old: Catalog, new: Catalog) -> bool:
    """Equal but for the creation date (and the year in the header comment)."""
    new.creation_date = old.creation_date
    return new.is_identical(old)


def _engine_folder(root: Path) -> Path | None:
    """The folder holding the installed ``sitegen`` package, when the site is not
    sitegen's own repository: a content repository has no ``sitegen/`` folder, yet the
    strings of sitegen's code (``sitegen/**.py`` in babel.cfg) belong in its catalogs."""
    package = Path(sitegen.__file__).resolve().parent
    if (root / package.name).exists():
        return None
    return package.parent


def _only_engine(root: Path, engine: Path) -> Callable[[str], bool]:
    """A directory filter for extraction: everything in the site, and of the engine's
    folder (site-packages, usually) only the ``sitegen`` package. Folders starting with
    '.' or '_' are skipped everywhere, as Babel does by default."""
    site = root.resolve()
    package = Path(sitegen.__file__).resolve().parent

    def allowed(dirpath: str) -> bool:
        path = Path(dirpath).resolve()
        if path.name.startswith((".", "_")):
            return False
        inside = (site, package)
        return any(path == top or top in path.parents for top in inside) and not (
            path.parent == engine and path != package)

    return allowed


def extract(root: Path, *, write: bool = True) -> bool:
    """Collect the interface strings that babel.cfg points at into locales/messages.pot.

    Returns whether the template changed (or, with ``write=False``, would change)."""
    mapping = root / MAPPING
    if not mapping.is_file():
        raise TranslateError(f"{MAPPING} not found in {root}: it says which files hold "
                             "interface strings")
    target = template_path(root)
    with _temporary_beside(target) as fresh:
        command = ExtractMessages()
        command.mapping_file = str(mapping)
        engine = _engine_folder(root)
        command.input_paths = [str(root)] + ([str(engine)] if engine else [])
        command.output_file = str(fresh)
        command.project = PROJECT
        command.add_comments = [COMMENT_TAG]
        command.sort_output = True
        command.no_location = True

        def restrict() -> None:
            if engine is not None:
                command.directory_filter = _only_engine(root, engine)

        _run(command, restrict)
        if target.is_file() and _same_messages(_read(target), _read(fresh)):
            return False
        if write:
            fresh.replace(target)
        return True


def catalogs(root: Path) -> list[tuple[str, Path]]:
    """Every catalog under locales/, as (language code, path), sorted."""
    folder = root / LOCALES
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        found.append((path.parents[1].name.replace("_", "-"), path))
    return found


def update(root: Path) -> list[Updated]:
    """Bring every catalog in line with the template: new strings are added untranslated,
    strings no longer used become obsolete (``#~``), translations are kept. No fuzzy
    matching: a guessed translation would be published until someone noticed."""
    template = template_path(root)
    if not template.is_file():
        raise TranslateError(f"{template.relative_to(root)} not found; run "
                             "'sitegen translate extract' first")
    results = []
    for lang, path in catalogs(root):
        before = path.read_bytes()
        command = UpdateCatalog()
        command.input_file = str(template)
        command.output_file = str(path)
        command.locale = path.parents[1].name
        command.no_fuzzy_matching = True
        _run(command)
        results.append(Updated(lang, path, path.read_bytes() != before))
    return results


def init(root: Path, lang: str) -> Path:
    """Start the catalog of a new language from the template: every string untranslated,
    the language's plural rule (from CLDR) in the header, ready for a translation tool."""
    try:
        Locale.parse(lang, sep="-")
    except (ValueError, UnknownLocaleError) as exc:
        raise TranslateError(f"'{lang}' is not a language code known to CLDR") from exc
    template = template_path(root)
    if not template.is_file():
        raise TranslateError(f"{template.relative_to(root)} not found; run "
                             "'sitegen translate extract' first")
    target = catalog_path(root, lang)
    if target.exists():
        raise TranslateError(f"{target.relative_to(root)} exists already; "
                             "'sitegen translate update' brings it up to date")
    command = InitCatalog()
    command.input_file = str(template)
    command.output_file = str(target)
    command.locale = lang.replace("-", "_")
    _run(command)
    return target
