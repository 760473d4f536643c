"""``build()`` reads as the list of steps: load, validate, render, write.

Everything is gathered and checked before the output folder is touched, and every
problem of the run (content, catalogs, templates) is reported together. Problems that
still leave readers a usable page (a missing translation) are warnings: they are
reported, and only ``strict`` builds refuse them.
"""

from __future__ import annotations

import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
from babel.messages.catalog import Catalog

from sitegen import export, hosting, sitemap
from sitegen.content_warnings import uncited_sources
from sitegen.errors import BuildFailed, ErrorList
from sitegen.i18n import load_catalog, read_template, translations
from sitegen.model import Site
from sitegen.page import ASSETS, Page
from sitegen.render import TEMPLATES, LanguageRenderer, static_files
from sitegen.site_warnings import SiteWarning, StrictFailed
from sitegen.translation_status import LanguageStatus, site_status
from sitegen.validate import display_path, load_site
from sitegen.write import write_site

ProgressCallback = Callable[[int, int, str], None]  # (pages done, total, language)


@dataclass(frozen=True)
class BuildResult:
    pages_per_language: dict[str, int]
    files: int
    seconds: float
    warnings: tuple[SiteWarning, ...] = ()


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads, validated: the site, each language's catalog (None where
    a language has none) and the catalog template (None where the site has none)."""

    site: Site
    catalogs: dict[str, Catalog | None]
    template: Catalog | None

    def status(self) -> list[LanguageStatus]:
        return site_status(self.site, self.catalogs, self.template)


@dataclass(frozen=True)
class RenderedSite:
    pages: list[Page]
    pages_per_language: dict[str, int]
    warnings: tuple[SiteWarning, ...]


def load_inputs(root: Path, base_url: str | None = None) -> Inputs:
    """Load and validate content and catalogs; raise BuildFailed on any error.

    ``base_url`` replaces the one in content/site.yaml: a deployment (a GitHub Pages
    project site, a preview) may know its address only when it builds."""
    site = load_site(root)
    if base_url is not None:
        site = replace(site, settings=replace(site.settings, base_url=base_url))
    errors = ErrorList()
    catalogs = {code: load_catalog(root, code, errors) for code in site.settings.codes}
    template = read_template(root, errors)
    if errors:
        raise BuildFailed(errors)
    return Inputs(site, catalogs, template)


def find_warnings(inputs: Inputs) -> tuple[SiteWarning, ...]:
    """Every missing translation of every language, then other non-fatal problems."""
    found = [warning for status in inputs.status() for warning in status.missing]
    found.extend(uncited_sources(inputs.site))
    return tuple(sorted(set(found), key=lambda w: (w.path, w.line, w.column, w.message)))


def render_site(root: Path, base_url: str | None = None, *,
                progress: ProgressCallback | None = None) -> RenderedSite:
    """Load, validate and render the whole site in memory; raise BuildFailed on any error.

    ``progress`` is called after each page of a language with (done, total, language)."""
    inputs = load_inputs(root, base_url)
    site = inputs.site
    errors = ErrorList()
    assets = static_files(root)
    renderers = [LanguageRenderer(site, code, translations(inputs.catalogs[code]), assets)
                 for code in site.settings.codes]
    total = sum(len(renderer.routes()) for renderer in renderers)
    pages: list[Page] = []
    counts: Counter[str] = Counter()
    for renderer in renderers:
        try:
            for page in renderer.pages():
                pages.append(page)
                counts[renderer.lang] += 1
                if progress is not None:
                    progress(sum(counts.values()), total, renderer.lang)
            if renderer.lang == site.settings.default_language:
                pages.extend(renderer.root_pages())
        except jinja2.TemplateError as exc:
            errors.add(*_template_location(root, exc), f"template error: {_message(exc)}")
            break
    if errors:
        raise BuildFailed(errors)
    pages.append(sitemap.sitemap(site))
    pages.append(sitemap.robots(site))
    pages.extend(hosting.hosting_pages(site))
    pages.extend(export.data_pages(site))
    pages.extend(Page(ASSETS + name, body) for name, body in assets.items())
    return RenderedSite(pages, dict(counts), find_warnings(inputs))


def render_all(root: Path, base_url: str | None = None) -> tuple[list[Page], dict[str, int]]:
    """The pages and the page count per language (see :func:`render_site`)."""
    rendered = render_site(root, base_url)
    return rendered.pages, rendered.pages_per_language


def build(root: Path, out: Path, base_url: str | None = None, *, strict: bool = False,
          progress: ProgressCallback | None = None) -> BuildResult:
    """Render everything, then replace ``out``; a ``strict`` build with warnings raises
    :class:`StrictFailed` before anything is written."""
    started = time.perf_counter()
    rendered = render_site(root, base_url, progress=progress)
    if strict and rendered.warnings:
        raise StrictFailed(rendered.warnings)
    files = write_site(rendered.pages, out)
    return BuildResult(rendered.pages_per_language, files, time.perf_counter() - started,
                       rendered.warnings)


def check(root: Path, base_url: str | None = None, *, strict: bool = False,
          progress: ProgressCallback | None = None) -> BuildResult:
    """Everything a build does except writing; ``files`` is what a build would write."""
    started = time.perf_counter()
    rendered = render_site(root, base_url, progress=progress)
    if strict and rendered.warnings:
        raise StrictFailed(rendered.warnings)
    return BuildResult(rendered.pages_per_language, len(rendered.pages),
                       time.perf_counter() - started, rendered.warnings)


def _message(exc: jinja2.TemplateError) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"{exc.message}; check the variable's spelling or define it"
    return exc.message or type(exc).__name__


def _template_location(root: Path, exc: jinja2.TemplateError) -> tuple[str, int, int]:
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
