"""Turn validated content into pages, one language at a time.

Rendering is pure: it reads frozen content, the templates and the catalogs and returns
``Page(path, bytes)`` objects; only :mod:`sitegen.write` touches the output folder. Each
language gets its own Jinja environment with its own gettext translations installed
(environments that share globals would overwrite each other's translations).

A fact sheet shows one community; the listings (index, compare, programme pages, 404)
show a page of community *summaries* (:mod:`sitegen.summary`) and a :class:`Pager`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from sitegen import hosting, i18n, markup, model, pagination, safe, snippets, template_code, urls
from sitegen.chart_labels import ChartLabels
from sitegen.errors import not_utf8
from sitegen.i18n import Formatter, autonym
from sitegen.model import Community, Initiative, Program, Recognition, Site, Text
from sitegen.page import ASSETS, Page
from sitegen.pagination import Pager
from sitegen.snippets import Citations, Snippets, escaping_gettexts, fast_gettext
from sitegen.summary import HEADLINE_FIGURES
from sitegen.urls import Route, Urls

TEMPLATES = "templates"
STATIC = "static"


@dataclass(frozen=True)
class Alternate:
    """The same page in one language, for the switcher and hreflang links."""

    lang: str
    name: str
    href: str
    absolute: str
    current: bool


ENVIRONMENT_OPTIONS = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates, kept in memory for the process and on disk for the next one.

    Compiling the templates takes a quarter of a small site's build, and it is the same
    work for every language and every build while the templates do not change. Entries
    are keyed by template file and checked against a hash of its source (Jinja's own
    bytecode cache); the folder's name carries the Python and Jinja versions, the
    environment's options and the version of sitegen's code generator, which the
    compiled code depends on. Every environment is made by :func:`make_environment`, so
    the code is the same for all of them. Without a writable cache folder
    (``SITEGEN_CACHE_DIR``, else the user's cache), templates are compiled once per
    process."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, Any]] = {}
        self.directory: str | None = None  # type: ignore[assignment]
        self._located = False
        self.pattern = "__jinja2_%s.cache"

    def _folder(self) -> str | None:
        if not self._located:
            self._located = True
            base = os.environ.get("SITEGEN_CACHE_DIR") or os.path.join(
                os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "sitegen")
            salt = hashlib.sha256(repr((sys.version, jinja2.__version__,
                                        sorted(ENVIRONMENT_OPTIONS.items()),
                                        template_code.CODE_VERSION)).encode())
            folder = os.path.join(base, "templates-" + salt.hexdigest()[:12])
            try:
                os.makedirs(folder, mode=0o700, exist_ok=True)
                if os.access(folder, os.W_OK):
                    self.directory = folder
            except OSError:
                self.directory = None
        return self.directory

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        checksum, code = self._code.get(bucket.key, ("", None))
        if code is not None and checksum == bucket.checksum:
            bucket.code = code
            return
        if self._folder() is not None:
            try:
                super().load_bytecode(bucket)
            except (OSError, ValueError, EOFError, TypeError, pickle.UnpicklingError):
                bucket.reset()  # a damaged entry: compile again
            if bucket.code is not None:
                self._code[bucket.key] = (bucket.checksum, bucket.code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = (bucket.checksum, bucket.code)
        if self._folder() is not None:
            with contextlib.suppress(OSError):  # a full or read-only disk: compile again
                super().dump_bytecode(bucket)


_COMPILED = _CompiledTemplates()
# Modules whose classes' methods templates call (community.figures[0].latest(), ...):
# compiled templates call those methods directly (see sitegen.template_code).
_HELPER_MODULES = (model, i18n, pagination, snippets, sys.modules[__name__])


class _Context(jinja2.runtime.Context):
    """Jinja's context with a shorter path for calls to plain functions and methods.

    The calls that compiled templates do not make directly (see
    :mod:`sitegen.template_code`) go through ``Context.call``, which inspects the
    callable four times for ``pass_context`` and friends. For a plain function or method
    without the mark (:func:`sitegen.template_code.is_plain`), this calls it directly,
    exactly as Jinja would; anything else goes to Jinja's own code."""

    @jinja2.utils.internalcode
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if template_code.is_plain(__obj):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration "
                    "exception")
        return super().call(__obj, *args, **kwargs)


class _Template(jinja2.Template):
    """A template whose compiled code escapes with :func:`sitegen.safe.escape`: the same
    output, without markupsafe's copies of markup and checks of text."""

    @classmethod
    def _from_namespace(cls, environment: jinja2.Environment, namespace: MutableMapping[str, Any],
                        globals: MutableMapping[str, Any]) -> jinja2.Template:
        if namespace.get("escape") is escape:
            namespace["escape"] = safe.escape
        namespace.update(template_code.namespace(environment.globals, _HELPER_MODULES))
        return super()._from_namespace(environment, namespace, globals)


class _Loader(jinja2.FileSystemLoader):
    """Jinja's file loader, with a template that is not UTF-8 reported as a template
    error at its line (Jinja lets the decoding error through, as from no file)."""

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            line, _, problem = not_utf8(exc.object, exc.start)
            filename = next((str(Path(folder) / template) for folder in self.searchpath
                             if (Path(folder) / template).is_file()), None)
            raise jinja2.TemplateSyntaxError(problem, line, template, filename) from None


def make_environment(root: Path, translations: Any = None) -> jinja2.Environment:
    """The site's Jinja environment; with ``translations`` installed, one language's."""
    env = jinja2.Environment(
        loader=_Loader(root / TEMPLATES),
        bytecode_cache=_COMPILED,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        # An environment lives for one build: every page of it is rendered from the
        # templates as they were when it first loaded them (the build's records say
        # so), and no page asks the disk whether they changed since.
        auto_reload=False,
        **ENVIRONMENT_OPTIONS,  # type: ignore[arg-type]
    )
    env.context_class = _Context
    env.code_generator_class = template_code.SiteCodeGenerator
    env.template_class = _Template
    if translations is None:  # still "newstyle": the compiled code depends on it
        env.install_null_translations(newstyle=True)
        return env
    env.install_gettext_translations(translations, newstyle=True)
    # The same translations, escaped (a catalog is untrusted input) and without Jinja's
    # per-call context lookups: see fast_gettext.
    env.globals["_"] = env.globals["gettext"] = fast_gettext(translations)
    env.globals.update(escaping_gettexts(translations))
    return env


def static_files(root: Path) -> dict[str, bytes]:
    """Every file under static/, keyed by its path inside assets/ (sorted: deterministic)."""
    folder = root / STATIC
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


class LanguageRenderer:
    """Renders the pages of one language; holds that language's environment and helpers.

    ``site`` gives the settings, sources and programmes (its ``communities`` are not
    used: each page is given the communities it shows)."""

    def __init__(self, site: Site, lang: str, translations: Any,
                 assets: dict[str, bytes]) -> None:
        self.site = site
        self.lang = lang
        self.env = make_environment(site.root, translations)
        self.urls = Urls(site.settings.base_url)
        calendar = site.settings.language(lang).calendar
        # Translators: abbreviation of the Buddhist Era, written before a year (Thai: พ.ศ.)
        self.fmt = Formatter(lang, calendar, translations.gettext("B.E."))
        self.gettext = translations.gettext
        self.snippets = Snippets(lang, site.settings.default_language, self.fmt,
                                 self.env.globals["gettext"], site.programs,
                                 lambda program_id: self.page_url(urls.program(program_id)))
        self.charts = ChartLabels(self.snippets, self.gettext, site.programs,
                                  self.recognitions, self.plain)
        self.asset_versions = {
            name: hashlib.sha256(body).hexdigest()[:10] for name, body in assets.items()
        }
        self._stage_ids = {program.id: [stage.id for stage in program.stages]
                           for program in site.programs.values()}
        self._hrefs: dict[Route, str] = {}
        self.env.globals.update(self._helpers())

    # Helpers exposed to templates -------------------------------------------------
    def plain(self, text: Text | None) -> str:
        if text is None:
            return ""
        return text.resolve(self.lang, self.site.settings.default_language)[0]

    def asset(self, name: str) -> str:
        version = self.asset_versions.get(name)
        if version is None:
            raise jinja2.TemplateRuntimeError(f"asset '{name}' is not in static/")
        return self.urls.href(ASSETS + name) + "?v=" + version

    def alternates(self, route: Route) -> list[Alternate]:
        """The page in every language; the root chooser's alternates are the home pages."""
        target = urls.HOME if route == urls.ROOT else route
        return [
            Alternate(code, autonym(code), self.urls.href(target.path(code)),
                      self.urls.absolute(target.path(code)),
                      code == self.lang and route != urls.ROOT)
            for code in self.site.settings.codes
        ]

    def x_default(self, route: Route) -> str:
        """The page for readers whose language the site lacks: the chooser for home pages."""
        if route in (urls.HOME, urls.ROOT):
            return self.urls.absolute(urls.ROOT.path(None))
        return self.urls.absolute(route.path(self.site.settings.default_language))

    def page_url(self, route: Route) -> str:
        """The link to a page of this language (pages link to the same few many times)."""
        href = self._hrefs.get(route)
        if href is None:
            href = self._hrefs[route] = self.urls.href(route.path(self.lang))
        return href

    def stage_rank(self, recognition: Recognition) -> tuple[int, int]:
        return (recognition.year,
                self._stage_ids[recognition.program].index(recognition.stage))

    def latest_recognition(self, community: Community) -> Recognition | None:
        return max(community.recognitions, key=self.stage_rank, default=None)

    def recognitions(self, community: Community) -> list[Recognition]:
        """Oldest first; within a year from the widest stage to the highest."""
        return sorted(community.recognitions, key=self.stage_rank)

    @staticmethod
    def recognition_years(communities: Sequence[Community]) -> list[int]:
        """Every year from the first recognition of ``communities`` to the last."""
        years = [r.year for c in communities for r in c.recognitions]
        return list(range(min(years), max(years) + 1)) if years else []

    def best_in_year(self, community: Community, year: int) -> Recognition | None:
        """The highest stage a community reached in a year (Top 7 over Smart21)."""
        return max((r for r in community.recognitions if r.year == year),
                   key=self.stage_rank, default=None)

    def year_cells(self, community: Community, years: Sequence[int],
                   cite: Callable[[tuple[str, ...]], Markup]) -> Markup:
        """The compare page's row of a community, one ``<td>`` line per year: the
        highest stage it reached that year, linked to the stage and cited, or none. A
        listing has fifteen of them per community, so they are made here, not in the
        template, and each stage's part of the cell once per language."""
        best: dict[int, Recognition] = {}
        for recognition in community.recognitions:
            known = best.get(recognition.year)
            if known is None or self.stage_rank(recognition) > self.stage_rank(known):
                best[recognition.year] = recognition
        cells = []
        for year in years:
            recognition = best.get(year)
            if recognition is None:
                cells.append(self._no_stage())
                continue
            cells.append(f"{self._stage_cell(recognition.program, recognition.stage)}"
                         f"{cite(recognition.sources)}</td>\n")
        return safe.trusted("".join(cells))

    @functools.cache  # noqa: B019 (a renderer lives as long as its build)
    def _stage_cell(self, program_id: str, stage_id: str) -> str:
        program = self.site.programs[program_id]
        stage = program.stage(stage_id)
        assert stage is not None  # checked when the content was loaded
        rank = self._stage_ids[program_id].index(stage_id)
        href = escape(self.page_url(urls.program(program_id)))
        return (f'      <td class="reached stage-{rank}"><a href="{href}#stage-'
                f'{escape(stage_id)}">{self.snippets.text(stage.name)}</a>')

    @functools.cache  # noqa: B019
    def _no_stage(self) -> str:
        none = self.snippets.gettext("none")
        return ('      <td class="none"><span aria-hidden="true">\u2013</span>'
                f'<span class="visually-hidden">{none}</span></td>\n')

    @staticmethod
    def serving(community: Community, program_id: str,
                criterion_id: str) -> list[tuple[int, Initiative]]:
        """The initiatives filed under a criterion, with their 1-based position on the
        fact sheet (their anchor there is ``#initiative-<n>``)."""
        return [(n, item) for n, item in enumerate(community.initiatives, start=1)
                if (program_id, criterion_id) in item.criteria]

    def _helpers(self) -> dict[str, Any]:
        """What every page of the language may use, installed once as globals."""
        return {
            "site": self.site,
            "settings": self.site.settings,
            "lang": self.lang,
            "dir": self.fmt.direction,
            "fmt": self.fmt,
            "url": self.urls.href,
            "page_url": self.page_url,
            "community_route": urls.community,
            "program_route": urls.program,
            "home_route": urls.HOME,
            "compare_route": urls.COMPARE_PAGE,
            "content_security_policy": hosting.meta_policy(),
            "recognition_years": self.recognition_years,
            "best_in_year": self.best_in_year,
            "year_cells": self.year_cells,
            "serving": self.serving,
            "headline_count": HEADLINE_FIGURES,
            "asset": self.asset,
            "plain": self.plain,
            "md": partial(self.snippets.wrap, "div", render=markup.render),
            "md_inline": partial(self.snippets.wrap, "span", render=markup.render_inline),
            "stage_rank": self.stage_rank,
            "latest_recognition": self.latest_recognition,
            "recognitions": self.recognitions,
            **self.snippets.helpers(),
            **self.charts.helpers(),
        }

    def citations(self) -> Citations:
        """A page's own numbering of the sources it cites."""
        return Citations(self.site.sources, self.snippets)

    def page(self, template: str, route: Route, path: str | None = None,
             pager: Pager | None = None, cited: bool = False, **extra: Any) -> Page:
        """Render ``template`` as the page at ``route``; a listing's further pages are
        ``route`` with their page number (``pager``), and ``cited`` pages number their
        citations for a source list."""
        if pager is not None:
            route = urls.paged(route, pager.number)
            extra["pager"] = pager
            extra["page_href"] = lambda n: self.urls.href(
                urls.paged(route, n).path(self.lang))
        if cited:
            citations = self.citations()
            extra["citations"], extra["cite"] = citations, citations.cite
        html = self.env.get_template(template).render(
            route=route,
            alternates=self.alternates(route),
            x_default=self.x_default(route),
            canonical=self.urls.absolute(route.path(None if route == urls.ROOT else self.lang)),
            **extra)
        target = Urls.output_file(path if path is not None else route.path(self.lang))
        return Page(target, html.encode("utf-8"))

    # The pages ------------------------------------------------------------------
    def community_page(self, community: Community) -> Page:
        return self.page("community.html", urls.community(community.slug), cited=True,
                         community=community)

    def index_page(self, pager: Pager, communities: Sequence[Community]) -> Page:
        return self.page("index.html", urls.HOME, pager=pager, communities=communities)

    def compare_page(self, pager: Pager, communities: Sequence[Community]) -> Page:
        return self.page("compare.html", urls.COMPARE_PAGE, pager=pager, cited=True,
                         communities=communities)

    def program_page(self, program: Program, pager: Pager,
                     recognised: Sequence[tuple[Community, list[Recognition]]]) -> Page:
        """A programme, with one page of the communities it recognised (each with its
        recognitions in order)."""
        return self.page("program.html", urls.program(program.id), pager=pager, cited=True,
                         program=program, recognised=recognised)

    def not_found_page(self, communities: Sequence[Community], root: bool = False) -> Page:
        """The 404 page; ``communities`` are listed on it (all of them, or none on a large
        site, where the index is the place to look)."""
        path = urls.NOT_FOUND.path(None) if root else None
        return self.page("404.html", urls.NOT_FOUND, path=path, communities=communities)

    def root_page(self) -> Page:
        """The language chooser at the site's root, rendered in the default language."""
        return self.page("root.html", urls.ROOT, path="")

    def recognised(self, program_id: str, community: Community) -> list[Recognition]:
        """A community's recognitions in a programme, in order."""
        return [r for r in self.recognitions(community) if r.program == program_id]
