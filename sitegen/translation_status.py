"""How far each language is translated: interface strings and content text fields.

One computation serves both ``sitegen translate status`` (a report for translators) and
the build's warnings (so ``build --strict`` refuses exactly what the status lists). Its
inputs are the validated site and the parsed catalogs, never a second reading of the
files: the content schema decides which fields are translatable text (``model.Text``,
which remembers where it was written), and the catalog template decides which interface
strings exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message

from sitegen.i18n import SOURCE_LANGUAGE, catalog_path
from sitegen.model import Site, Text
from sitegen.site_warnings import SiteWarning
from sitegen.validate import CONTENT

MSGID_SHOWN = 60  # characters of a long interface string quoted in a message


@dataclass(frozen=True)
class Share:
    """``done`` of ``total`` items translated."""

    done: int
    total: int

    @property
    def percent(self) -> int:
        """Rounded down, so an almost finished language never shows 100 %."""
        return 100 if not self.total else self.done * 100 // self.total


@dataclass(frozen=True)
class LanguageStatus:
    """One language: its shares and every missing item, located, in file order."""

    lang: str
    interface: Share
    content: Share
    missing: tuple[SiteWarning, ...]
    source: bool = False  # the language interface strings are written in
    default: bool = False  # the language content falls back to


def content_texts(value: Any) -> Iterator[Text]:
    """Every translatable text of the site, found by walking the model: a field is
    translatable exactly when the content schema made it a ``Text``. Every fact file is
    walked on every build, so the walk collects into one list rather than nesting a
    generator per value, and asks each class for its fields once."""
    found: list[Text] = []
    _collect(value, found)
    return iter(found)


_LEAVES = frozenset({str, int, float, bool, type(None), bytes})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _collect(value: Any, found: list[Text]) -> None:
    kind = type(value)
    if kind in _LEAVES:
        return
    if isinstance(value, Text):
        found.append(value)
        return
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = (tuple(item.name for item in fields(value))
                                 if is_dataclass(kind) else ())
    if names:
        for name in names:
            _collect(getattr(value, name), found)
    elif isinstance(value, (tuple, list)):
        for item in value:
            _collect(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, found)


def _shown(message: Message) -> str:
    msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
    text = " ".join(str(msgid).split())
    return text if len(text) <= MSGID_SHOWN else text[:MSGID_SHOWN - 3] + "..."


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return all(isinstance(s, str) and s.strip() for s in strings)


def interface_status(root: Path, lang: str, catalog: Catalog | None,
                     template: Catalog | None) -> tuple[Share, list[SiteWarning]]:
    """The interface strings of the template that ``lang``'s catalog translates.

    Fuzzy entries count as untranslated: gettext (and the build) ignores them. Without a
    template, the catalog's own entries are the list."""
    wanted = [m for m in (template if template is not None else catalog or ()) if m.id]
    if lang == SOURCE_LANGUAGE:
        return Share(len(wanted), len(wanted)), []
    path = catalog_path(root, lang).relative_to(root).as_posix()
    if catalog is None:
        return Share(0, len(wanted)), [SiteWarning(
            path, 1, 1, f"no interface catalog for '{lang}': its pages show the interface "
            f"in English; create it with 'sitegen translate init {lang}'")]
    missing = []
    for wanted_message in wanted:
        message = catalog.get(wanted_message.id, wanted_message.context)
        shown = _shown(wanted_message)
        if message is None:
            missing.append(SiteWarning(
                path, 1, 1, f"'{shown}' is not in the catalog; run 'sitegen translate update'",
                f"interface strings missing from the catalog for '{lang}'"))
        elif message.fuzzy:
            missing.append(SiteWarning(
                path, message.lineno or 1, 1,
                f"'{shown}' is marked fuzzy: check the translation, then remove the mark",
                f"fuzzy interface strings for '{lang}'"))
        elif not _translated(message):
            missing.append(SiteWarning(path, message.lineno or 1, 1,
                                       f"'{shown}' is not translated",
                                       f"untranslated interface strings for '{lang}'"))
    return Share(len(wanted) - len(missing), len(wanted)), missing


def content_status(site: Site, lang: str) -> tuple[Share, list[SiteWarning]]:
    """The content text fields that have text in ``lang``; the others fall back."""
    return texts_status(content_texts(site), lang, site.settings.default_language)


def texts_status(found: Iterable[Text], lang: str,
                 default: str) -> tuple[Share, list[SiteWarning]]:
    """Of ``found`` texts, how many have ``lang``, and a located warning for each other."""
    texts = list(found)
    missing = []
    for text in texts:
        if text.get(lang) is not None:
            continue
        used = text.resolve(lang, default)[1]
        where = text.where
        path, line, column = (where.path, where.line, where.column) if where else (CONTENT, 1, 1)
        missing.append(SiteWarning(
            path, line, column, f"no '{lang}' text; the '{lang}' pages show the '{used}' text",
            f"text fields without '{lang}'"))
    return Share(len(texts) - len(missing), len(texts)), missing


def language_status(site: Site, lang: str, catalog: Catalog | None,
                    template: Catalog | None) -> LanguageStatus:
    interface, interface_missing = interface_status(site.root, lang, catalog, template)
    content, content_missing = content_status(site, lang)
    missing = sorted(set(interface_missing + content_missing),
                     key=lambda w: (w.path, w.line, w.column, w.message))
    return LanguageStatus(lang, interface, content, tuple(missing),
                          source=lang == SOURCE_LANGUAGE,
                          default=lang == site.settings.default_language)


def site_status(site: Site, catalogs: dict[str, Catalog | None],
                template: Catalog | None) -> list[LanguageStatus]:
    """Every language of the site, in the order content/site.yaml lists them."""
    return [language_status(site, code, catalogs.get(code), template)
            for code in site.settings.codes]


def load_status(root: Path) -> list[LanguageStatus]:
    """Read the whole site and its catalogs and give every language's status; raise
    BuildFailed with every problem found."""
    from sitegen.errors import BuildFailed, ErrorList
    from sitegen.i18n import load_catalog, read_template
    from sitegen.validate import load_site

    site = load_site(root)
    errors = ErrorList()
    catalogs = {code: load_catalog(root, code, errors) for code in site.settings.codes}
    template = read_template(root, errors)
    if errors:
        raise BuildFailed(errors)
    return site_status(site, catalogs, template)
