"""One fact file in; its pages, open data and summary out.

This is the unit of work of a build, run in worker processes: each fact file is read,
checked, rendered in every language and written where the build says, one at a time, so
memory holds one community's pages at most. What the main process gets back is small: the
problems, the summary for the listings (:mod:`sitegen.summary`), the community's parts
of site.json and facts.csv, and a :class:`Record` of what each output was built from.

Given the record of the previous build, outputs whose key (:mod:`sitegen.depends`) has
not changed are not rendered at all, and a rendered output whose bytes have not changed
is not written, so the previous file (its bytes and its modification time) stays.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import jinja2

from sitegen import export, summary
from sitegen.depends import body_digest, digest
from sitegen.errors import ErrorList, SiteError
from sitegen.i18n import translations
from sitegen.inputs import Inputs
from sitegen.manifest import Record
from sitegen.model import Community, Site
from sitegen.render import TEMPLATES, LanguageRenderer
from sitegen.site_warnings import SiteWarning
from sitegen.translation_status import content_texts, texts_status
from sitegen.urls import Urls, community
from sitegen.validate import SharedContent, display_path, load_community

COMMUNITY_TEMPLATE = "community.html"


class Sink(Protocol):
    """Where outputs go: the staging folder, memory (the preview) or nowhere (check)."""

    def write(self, path: str, body: bytes) -> None: ...


@dataclass
class Task:
    """One fact file to process, with its record from the previous build (if any)."""

    path: str
    previous: Record | None = None


@dataclass
class Result:
    slug: str
    errors: list[SiteError] = field(default_factory=list)  # in the fact file
    template_errors: list[SiteError] = field(default_factory=list)
    record: Record | None = None
    written: list[str] = field(default_factory=list)  # outputs whose bytes changed
    rendered: int = 0  # pages rendered (for progress)
    parts: tuple[bytes, bytes] | None = None  # its site.json and facts.csv parts, if new


class Workspace:
    """What one process renders with: the shared inputs, one renderer per language
    (made when first needed) and where outputs go."""

    def __init__(self, root: Path, shared: SharedContent, inputs: Inputs | None, sink: Sink,
                 force: bool = False) -> None:
        self.root = root
        self.shared = shared
        self.inputs = inputs
        self.sink = sink
        self.force = force  # render and write everything, whatever the records say
        self.validate_only = inputs is None
        self.broken: set[str] = set()  # templates that failed once: reported once
        # Set by any process that finds an invalid fact file: the build will fail, so
        # the other processes only check the files left and render nothing more.
        self.failed = multiprocessing.get_context("fork").Value("b", 0, lock=False) if (
            "fork" in multiprocessing.get_all_start_methods()) else _Flag()
        self._renderers: dict[str, LanguageRenderer] = {}
        if inputs is not None:
            self.site = Site(root, inputs.settings, inputs.sources, inputs.programs)

    def renderer(self, lang: str) -> LanguageRenderer:
        renderer = self._renderers.get(lang)
        if renderer is None:
            assert self.inputs is not None
            renderer = self._renderers[lang] = LanguageRenderer(
                self.site, lang, translations(self.inputs.catalogs[lang]), self.inputs.assets)
        return renderer

    def template_error(self, exc: Exception) -> SiteError:
        return SiteError(*template_location(self.root, exc), f"template error: {message(exc)}")

    def raised_by_template(self, exc: Exception) -> bool:
        """Whether ``exc``, raised while a page was rendered, is the template's doing: a
        Jinja error, or an error of a helper the template called (wrong values passed to
        ``range``, a filter, a helper) raised from a line of the template. Anything else
        is sitegen's own fault and is not disguised as a template error."""
        return isinstance(exc, jinja2.TemplateError) or (
            template_location(self.root, exc)[0] != TEMPLATES)


class _Flag:
    """A flag for one process (where processes are not forked)."""

    value = 0


def page_path(lang: str, slug: str) -> str:
    return Urls.output_file(community(slug).path(lang))


def data_paths(slug: str) -> tuple[str, str]:
    return (f"{export.COMMUNITIES}{slug}.json", f"{export.COMMUNITIES}{slug}.csv")


def keys(ws: Workspace, slug: str, fact: bytes, cited: tuple[str, ...],
         programs: tuple[str, ...]) -> tuple[dict[str, bytes], bytes]:
    """The key of each output of a community, and of its open data."""
    assert ws.inputs is not None
    digests = ws.inputs.digests
    content = digests.content(cited, programs)
    result = {page_path(lang, slug): digests.page(COMMUNITY_TEMPLATE, lang, fact, content)
              for lang in ws.inputs.settings.codes}
    data_key = digests.data("community data", fact, content)
    result.update(dict.fromkeys(data_paths(slug), data_key))
    return result, data_key


def process(task: Task, ws: Workspace) -> Result:
    """Check one fact file and bring its outputs up to date (see the module docstring)."""
    path = Path(task.path)
    slug = path.stem
    shown = display_path(ws.root, path)
    read_ns = time.time_ns()
    try:
        data = path.read_bytes()
        info = os.stat(path)
    except OSError as exc:
        return Result(slug, [SiteError(shown, 0, 0, f"cannot read file: {exc.strerror}")])
    stat = (info.st_size, info.st_mtime_ns, info.st_ino)
    fact = digest(data)
    previous = None if ws.force else task.previous
    if previous is not None and previous.digest == fact and not ws.validate_only:
        wanted, _data_key = keys(ws, slug, fact, previous.cited, previous.programs)
        if all(previous.outputs.get(p, (b"",))[0] == k for p, k in wanted.items()):
            return Result(slug, record=replace(previous, stat=stat, read_ns=read_ns))
    errors = ErrorList()
    found = load_community(ws.root, path, ws.shared, errors, data)
    if found is None:
        ws.failed.value = 1
    if found is None or ws.validate_only or ws.failed.value:
        return Result(slug, list(errors))
    return _render(ws, found, stat, read_ns, fact, previous)


def _render(ws: Workspace, found: Community, stat: tuple[int, int, int], read_ns: int,
            fact: bytes, previous: Record | None) -> Result:
    assert ws.inputs is not None
    slug = found.slug
    cited = tuple(sorted(set(export.community_sources(found))))
    programs = tuple(sorted({r.program for r in found.recognitions}
                            | {p for item in found.initiatives for p, _ in item.criteria}))
    wanted, data_key = keys(ws, slug, fact, cited, programs)
    old = previous.outputs if previous is not None else {}
    result = Result(slug)
    outputs: dict[str, tuple[bytes, bytes]] = {}

    def keep_or_write(path: str, body: bytes) -> None:
        bytes_digest = body_digest(body)
        if old.get(path, (b"", b""))[1] != bytes_digest:
            ws.sink.write(path, body)
            result.written.append(path)
        outputs[path] = (wanted[path], bytes_digest)

    for lang in ws.inputs.settings.codes:
        path = page_path(lang, slug)
        if path in old and old[path][0] == wanted[path]:
            outputs[path] = old[path]
            continue
        if COMMUNITY_TEMPLATE in ws.broken:
            continue
        try:
            page = ws.renderer(lang).community_page(found)
        except Exception as exc:
            if not ws.raised_by_template(exc):
                raise
            ws.broken.add(COMMUNITY_TEMPLATE)
            result.template_errors.append(ws.template_error(exc))
            continue
        result.rendered += 1
        keep_or_write(path, page.body)
    json_path, csv_path = data_paths(slug)
    if not (previous is not None and previous.data_key == data_key
            and json_path in old and csv_path in old):
        parts = export.CommunityData.of(ws.site, found)
        for page in parts.pages:
            keep_or_write(page.path, page.body)
        result.parts = (parts.site_part, parts.rows)
        part_digests = (digest(parts.site_part), digest(parts.rows))
    else:
        assert previous is not None
        part_digests = previous.part_digests
        outputs[json_path], outputs[csv_path] = old[json_path], old[csv_path]
    warnings: list[SiteWarning] = []
    texts = list(content_texts(found))
    for lang in ws.inputs.settings.codes:
        warnings.extend(texts_status(texts, lang, ws.inputs.settings.default_language)[1])
    packed = summary.pack(summary.summarise(found))
    recognised_in = tuple(dict.fromkeys(r.program for r in found.recognitions))
    result.record = Record(
        slug, stat, read_ns, fact, cited, programs, recognised_in, packed,
        summary.packed_digest(packed), tuple(warnings), outputs, data_key,
        previous.spans if previous is not None and result.parts is None else (0, 0, 0, 0),
        part_digests)
    return result


def message(exc: Exception) -> str:
    if not isinstance(exc, jinja2.TemplateError):
        return (f"{type(exc).__name__}: {exc} (raised by what this line calls; check the "
                "values given to it)")
    if isinstance(exc, jinja2.UndefinedError):
        return f"{exc.message}; check the variable's spelling or define it"
    if isinstance(exc, jinja2.TemplateNotFound):  # Jinja's message names absolute folders
        return (f"there is no template '{exc.name}' in {TEMPLATES}/; check the name, or "
                "add the file")
    return exc.message or type(exc).__name__


def template_location(root: Path, exc: Exception) -> tuple[str, int, int]:
    """Where in which template the error is: syntax errors say so, runtime errors are
    found in the traceback, which Jinja rewrites to point at template lines."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return display_path(root, Path(exc.filename)), exc.lineno, 1
    templates = (root / TEMPLATES).resolve()
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.suffix in (".html", ".xml", ".txt") and templates in path.resolve().parents:
            return display_path(root, path), frame.lineno or 0, 1
    return TEMPLATES, 0, 0
