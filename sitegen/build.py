"""``build()`` reads as the list of steps: load, validate, render, write.

Everything is gathered and checked before the output folder is touched, and every
problem of the run (content, catalogs, templates) is reported together.
"""

from __future__ import annotations

import time
import traceback
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from sitegen import export, hosting, sitemap
from sitegen.errors import BuildFailed, ErrorList
from sitegen.i18n import load_translations
from sitegen.page import ASSETS, Page
from sitegen.render import TEMPLATES, LanguageRenderer, static_files
from sitegen.validate import display_path, load_site
from sitegen.write import write_site


@dataclass(frozen=True)
class BuildResult:
    pages_per_language: dict[str, int]
    files: int
    seconds: float


def render_all(root: Path, base_url: str | None = None) -> tuple[list[Page], dict[str, int]]:
    """Load, validate and render the whole site in memory; raise BuildFailed on any error.

    ``base_url`` replaces the one in content/site.yaml: a deployment (a GitHub Pages
    project site, a preview) may know its address only when it builds."""
    site = load_site(root)
    if base_url is not None:
        site = replace(site, settings=replace(site.settings, base_url=base_url))
    errors = ErrorList()
    catalogs = {code: load_translations(root, code, errors) for code in site.settings.codes}
    if errors:
        raise BuildFailed(errors)
    assets = static_files(root)
    pages: list[Page] = []
    counts: Counter[str] = Counter()
    for code in site.settings.codes:
        renderer = LanguageRenderer(site, code, catalogs[code], assets)
        try:
            for page in renderer.pages():
                pages.append(page)
                counts[code] += 1
            if code == site.settings.default_language:
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
    return pages, dict(counts)


def build(root: Path, out: Path, base_url: str | None = None) -> BuildResult:
    started = time.perf_counter()
    pages, counts = render_all(root, base_url)
    files = write_site(pages, out)
    return BuildResult(counts, files, time.perf_counter() - started)


def check(root: Path, base_url: str | None = None) -> dict[str, int]:
    """Everything a build does except writing."""
    return render_all(root, base_url)[1]


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
