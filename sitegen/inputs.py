"""Everything a build reads besides the fact files, loaded and checked once.

Settings, sources, programmes, catalogs, the catalog template and the static files are
small and every page may use them, so they are read before any fact file, by the main
process; worker processes inherit them. Fact files are many and each page uses one, so
they are read one at a time, where their pages are rendered (see
:mod:`sitegen.factsheet`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from sitegen import depends
from sitegen.depends import Digests, digest
from sitegen.errors import ErrorList
from sitegen.i18n import load_catalog, read_template
from sitegen.model import Program, Settings, Source
from sitegen.render import TEMPLATES, static_files
from sitegen.site_links import check_links
from sitegen.validate import SharedContent, load_shared


@dataclass(frozen=True)
class Inputs:
    """The shared inputs, validated: settings, sources, programmes, each language's
    catalog (None where a language has none), the catalog template (None where the site
    has none) and the static files; with their digests for incremental builds."""

    root: Path
    settings: Settings
    sources: dict[str, Source]
    programs: dict[str, Program]
    catalogs: dict[str, Catalog | None]
    template: Catalog | None
    assets: dict[str, bytes]
    digests: Digests


def load_inputs(root: Path, base_url: str | None,
                errors: ErrorList) -> tuple[SharedContent, Inputs | None]:
    """Load and check the shared inputs; problems go to ``errors``. The content part is
    returned even when something is invalid, so fact files can still be checked against
    what is valid; ``Inputs`` only when everything is.

    ``base_url`` replaces the one in content/site.yaml: a deployment (a GitHub Pages
    project site, a preview) may know its address only when it builds."""
    check_links(root, errors)
    if errors:  # nothing is read through a link that leads out of the site
        return SharedContent(None, None, None), None
    shared = load_shared(root, errors)
    if base_url is not None and shared.settings is not None:
        shared = replace(shared, settings=replace(shared.settings, base_url=base_url))
    codes = shared.settings.codes if shared.settings else ()
    catalogs = {code: load_catalog(root, code, errors) for code in codes}
    template = read_template(root, errors)
    if errors or shared.settings is None or shared.sources is None or shared.programs is None:
        return shared, None
    assets = static_files(root)
    digests = _digests(root, shared.settings, shared.sources, shared.programs, catalogs,
                       assets)
    return shared, Inputs(root, shared.settings, shared.sources, shared.programs, catalogs,
                          template, assets, digests)


def _digests(root: Path, settings: Settings, sources: dict[str, Source],
             programs: dict[str, Program], catalogs: dict[str, Catalog | None],
             assets: dict[str, bytes]) -> Digests:
    from sitegen.content_warnings import cited_sources

    catalog_digests = {}
    for code, catalog in catalogs.items():
        if catalog is None:
            catalog_digests[code] = b"none"
        else:
            buffer = io.BytesIO()
            write_mo(buffer, catalog)  # what the pages use: the compiled translations
            catalog_digests[code] = digest(buffer.getvalue())
    source_digests = {key: digest(repr(source)) for key, source in sources.items()}
    program_digests = {key: digest(repr(program)) for key, program in programs.items()}
    program_sources = {key: tuple(sorted(cited_sources(program)))
                       for key, program in programs.items()}
    templates = template_digests(root)
    engine, settings_digest = depends.engine(), digest(repr(settings))
    assets_digest = digest(*(name + ":" + digest(body).hex()
                             for name, body in sorted(assets.items())))
    parts: list[bytes | str] = []
    for table in (source_digests, program_digests):
        for key, value in table.items():  # in file order: listings show them so
            parts += [key, value]
    return Digests(
        engine=engine, settings=settings_digest, assets=assets_digest,
        sources=source_digests, programs=program_digests, program_sources=program_sources,
        catalogs=catalog_digests, templates=templates, shared=digest(*parts))


# A tag that loads another template, and its argument when that is a plain string.
_LOADS = re.compile(r"\{%-?\+?\s*(?:extends|include|import|from)\s+(?:(['\"])(.*?)\1)?")


def template_digests(root: Path) -> dict[str, bytes]:
    """Per template: a digest of its source and of every template it extends, imports or
    includes, directly or not. The names are found without parsing (that is left to
    the render, which reports any error): every tag that loads a template by a plain
    name counts, even inside a comment, and a template that names one only at run time
    depends on all of them; either way no dependency can be missed."""
    folder = root / TEMPLATES
    sources: dict[str, str] = {}
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        if path.is_file():
            sources[path.relative_to(folder).as_posix()] = path.read_text(
                encoding="utf-8", errors="replace")
    direct: dict[str, set[str] | None] = {}
    for name, source in sources.items():
        found = [match.group(2) for match in _LOADS.finditer(source)]
        direct[name] = None if None in found else set(found)
    result = {}
    for name in sources:
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            uses = direct.get(current, set())
            if uses is None:
                seen = set(sources)
                break
            todo.extend(uses)
        result[name] = digest(*(part for used in sorted(seen)
                                for part in (used, sources.get(used, "\0missing"))))
    return result
