"""Read every content file and turn it into a validated, frozen :class:`Site`.

All files are checked before anything is rendered, and every problem of the run is
collected, so an editor sees the whole list at once. Cross-file references (a fact's
source, a recognition's program and stage) are resolved after all files are read.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sitegen import content_schema as cs
from sitegen.errors import BuildFailed, ErrorList
from sitegen.model import Community, Program, Settings, Site, Source
from sitegen.schema import ID_HINT, ID_PATTERN, INVALID, Context, Reference, check_document
from sitegen.urls import RESERVED_SLUGS
from sitegen.yamlio import LIMITS, load

CONTENT = "content"
SITE_FILE = "site.yaml"
SOURCES_FILE = "sources.yaml"
PROGRAMS_FILE = "programs.yaml"
COMMUNITIES_DIR = "communities"
_SLUG = re.compile(ID_PATTERN)


def display_path(root: Path, path: Path) -> str:
    """Paths in messages are relative to the site, as the editor sees them."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class SharedContent:
    """The files every page may use: settings, sources and programmes. A part whose file
    is invalid is ``None`` (its errors are recorded), and references to it are not
    checked, so that one broken file does not bury the real problems of the others."""

    settings: Settings | None
    sources: dict[str, Source] | None
    programs: dict[str, Program] | None


def load_shared(root: Path, errors: ErrorList) -> SharedContent:
    """Read and check content/site.yaml, sources.yaml and programs.yaml; problems go to
    ``errors`` (a missing site.yaml stops at once: this is not a site)."""
    content = root / CONTENT
    if not (content / SITE_FILE).is_file():
        errors.add(display_path(root, content / SITE_FILE), 0, 0,
                   "site settings file not found; is this a sitegen site? "
                   "(use --site to name the site's folder)")
        raise BuildFailed(errors)
    settings = _load_settings(root, content / SITE_FILE, errors)
    references: list[Reference] = []
    sources_data = _read(root, content / SOURCES_FILE, cs.SOURCES_FILE, "a 'sources:' list",
                         settings, errors, references)
    programs_data = _read(root, content / PROGRAMS_FILE, cs.PROGRAMS_FILE,
                          "a 'programs:' list", settings, errors, references)
    sources = ({s.id: s for s in sources_data["sources"]}
               if sources_data is not INVALID else None)
    programs = ({p.id: p for p in programs_data["programs"]}
                if programs_data is not INVALID else None)
    shared = SharedContent(settings, sources, programs)
    resolve(references, shared, errors)
    return shared


def load_community(root: Path, path: Path, shared: SharedContent, errors: ErrorList,
                   data: bytes | None = None) -> Community | None:
    """One fact file (``data``: its bytes, if read already), checked and with its ids
    resolved against ``shared``; None (and its problems in ``errors``) if invalid."""
    references: list[Reference] = []
    before = len(errors)
    community = _read(root, path, cs.community_spec(path.stem), "a community's facts",
                      shared.settings, errors, references, data)
    resolve(references, shared, errors)
    return None if community is INVALID or len(errors) > before else community


def load_site(root: Path) -> Site:
    """The whole site at ``root``, validated; raise :class:`BuildFailed` with all errors.

    For whole-site reports (``translate status``); builds read fact files one at a time
    (see :mod:`sitegen.build`) so that memory does not grow with the site."""
    errors = ErrorList()
    shared = load_shared(root, errors)
    communities = []
    for path in community_files(root, errors):
        community = load_community(root, path, shared, errors)
        if community is not None:
            communities.append(community)
    if errors or shared.settings is None:
        raise BuildFailed(errors)
    assert shared.sources is not None and shared.programs is not None
    return Site(root, shared.settings, shared.sources, shared.programs, tuple(communities))


def _read(root: Path, path: Path, spec: Any, what: str, settings: Settings | None,
          errors: ErrorList, references: list[Reference], data: bytes | None = None) -> Any:
    languages = settings.codes if settings else ()
    default = settings.default_language if settings else "en"
    ctx = Context(display_path(root, path), errors, languages, default, references)
    if data is None and not path.is_file():
        errors.add(ctx.path, 0, 0, f"file not found; it must contain {what}")
        return INVALID
    document = load(path, ctx.path, errors, data, settings.limits if settings else LIMITS)
    if document is None:
        return INVALID
    return check_document(document.root, spec, ctx, what)


def _load_settings(root: Path, path: Path, errors: ErrorList) -> Settings | None:
    """site.yaml declares the languages its own texts are checked against: read them first."""
    ctx = Context(display_path(root, path), errors)
    document = load(path, ctx.path, errors)
    if document is None:
        return None
    root_node = document.root
    if isinstance(root_node, yaml.MappingNode):
        for key, value in root_node.value:
            if key.value == "languages":
                languages = cs.Languages().check(value, Context(ctx.path, ErrorList()))
                if languages is not INVALID:
                    ctx.languages = tuple(language.code for language in languages)
                    ctx.default_language = ctx.languages[0]
    if isinstance(root_node, yaml.MappingNode):  # once the languages are known:
        for key, value in root_node.value:  # a default that is not one of them is
            if (key.value == "default_language" and isinstance(value, yaml.ScalarNode)
                    and value.value in ctx.languages):  # reported as such, below
                ctx.default_language = value.value
    settings = check_document(root_node, cs.SITE, ctx, "the site's settings")
    return None if settings is INVALID else settings


def community_files(root: Path, errors: ErrorList) -> list[Path]:
    """The fact files of the site, sorted; misnamed files are errors."""
    folder = root / CONTENT / COMMUNITIES_DIR
    if not folder.is_dir():
        errors.add(display_path(root, folder), 0, 0,
                   "folder of fact files not found; create it and add <slug>.yaml files")
        return []
    files = []
    with os.scandir(folder) as scan:  # entries know whether they are links or folders
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        name = entry.name
        if name.startswith(".") or entry.is_dir():
            continue
        stem, dot, suffix = name.rpartition(".")
        if not dot or suffix not in ("yaml", "yml"):
            continue
        path = folder / name
        shown = display_path(root, path)
        if suffix == "yml":
            errors.add(shown, 0, 0, f"fact files end in .yaml; rename it to {stem}.yaml")
        elif entry.is_symlink():
            errors.add(shown, 0, 0, "fact files must be real files, not links")
        elif stem in RESERVED_SLUGS:
            errors.add(shown, 0, 0, f"'{stem}' is the address of another part of the "
                       "site; rename the file")
        elif not _SLUG.fullmatch(stem):
            errors.add(shown, 0, 0,
                       f"'{stem}' cannot be a page address (slug): {ID_HINT}; "
                       "rename the file")
        else:
            files.append(path)
    if not files and not errors:
        errors.add(display_path(root, folder), 0, 0,
                   "no fact files found; add at least one <slug>.yaml")
    return files


def resolve(references: list[Reference], shared: SharedContent, errors: ErrorList) -> None:
    """Check ids against their definitions; skipped where the defining file was invalid."""
    sources, programs = shared.sources, shared.programs
    for ref in references:
        if ref.kind == "source":
            if sources is None:
                continue
            known, where = list(sources), "content/sources.yaml"
        elif programs is None:
            continue
        elif ref.kind == "program":
            known, where = list(programs), "content/programs.yaml"
        else:  # "stage of <program>" or "criterion of <program>"
            part, program_id = ref.kind.split(" of ")
            program = programs.get(program_id)
            if program is None:
                continue  # the unknown program is reported already
            defined = program.stages if part == "stage" else program.criteria
            known = [item.id for item in defined]
            where = f"the {'stages' if part == 'stage' else 'criteria'} of program '{program.id}'"
        if ref.id not in known:
            errors.add(ref.path, ref.line, ref.column,
                       f"unknown {ref.kind.split(' ')[0]} '{ref.id}'; it is not defined in "
                       f"{where}" + cs.did_you_mean(ref.id, known))
