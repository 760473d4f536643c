"""Turn a validated :class:`Site` into pages, one language at a time.

Rendering is pure: it reads the frozen site, the templates and the catalogs and returns
``Page(path, bytes)`` objects; only :mod:`sitegen.write` touches the output folder. Each
language gets its own Jinja environment with its own gettext translations installed
(environments that share globals would overwrite each other's translations).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from sitegen import charts, hosting, markup, urls
from sitegen.i18n import Formatter, autonym
from sitegen.model import (
    Community,
    DatedValue,
    Figure,
    Initiative,
    Program,
    Recognition,
    Site,
    Source,
    Text,
)
from sitegen.page import ASSETS, Page
from sitegen.urls import Route, Urls

TEMPLATES = "templates"
STATIC = "static"
HEADLINE_FIGURES = 4  # the first figures of a fact file, shown at the top of its sheet


@dataclass(frozen=True)
class Alternate:
    """The same page in one language, for the switcher and hreflang links."""

    lang: str
    name: str
    href: str
    absolute: str
    current: bool


class Citations:
    """Numbers a page's citations in order of first use, for its source list."""

    def __init__(self, sources: dict[str, Source]) -> None:
        self._sources = sources
        self._order: list[str] = []

    def numbers(self, ids: tuple[str, ...]) -> list[int]:
        result = []
        for source_id in ids:
            if source_id not in self._order:
                self._order.append(source_id)
            result.append(self._order.index(source_id) + 1)
        return sorted(set(result))

    def used(self) -> list[tuple[int, Source]]:
        return [(n, self._sources[i]) for n, i in enumerate(self._order, start=1)]


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory, keyed by file and checked against a hash of the
    source, so a template is compiled once per process rather than once per language and
    build: compiling is most of a rebuild's time in ``sitegen serve``. Every environment is
    made by :func:`make_environment` with the same options, so the code is the same."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, Any]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        checksum, code = self._code.get(bucket.key, ("", None))
        if code is not None and checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = (bucket.checksum, bucket.code)


_COMPILED = _CompiledTemplates()


def make_environment(root: Path, translations: Any) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / TEMPLATES),
        bytecode_cache=_COMPILED,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations, newstyle=True)
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
    """Renders every page of one language; holds that language's environment and helpers."""

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
        self.asset_versions = {
            name: hashlib.sha256(body).hexdigest()[:10] for name, body in assets.items()
        }

    # Helpers exposed to templates -------------------------------------------------
    def _wrap(self, tag: str, text: Text | None, render: Callable[[str], Markup],
              after: Markup | str = "") -> Markup:
        """Rendered text, marked with its language if it fell back to another one.

        ``after`` (citation marks) goes at the end of the last paragraph rather than
        below it; after fallback text it stays outside the element marked with the other
        language, since it is in the page's language."""
        if text is None:
            return Markup("")
        value, used = text.resolve(self.lang, self.site.settings.default_language)
        html = render(value)
        if used == self.lang:
            if after and html.endswith("</p>"):
                return Markup(html[:-4]) + after + Markup("</p>")
            return html + after
        direction = Formatter(used, "gregorian", "").direction
        dir_attr = f' dir="{direction}"' if direction != self.fmt.direction else ""
        return Markup(f'<{tag} lang="{escape(used)}"{dir_attr}>{html}</{tag}>') + after

    def text(self, text: Text | None) -> Markup:
        """Escaped text; a fallback to another language is marked with its ``lang``."""
        return self._wrap("span", text, escape)

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

    def stage_rank(self, recognition: Recognition) -> tuple[int, int]:
        program = self.site.programs[recognition.program]
        ids = [stage.id for stage in program.stages]
        return (recognition.year, ids.index(recognition.stage))

    def latest_recognition(self, community: Community) -> Recognition | None:
        return max(community.recognitions, key=self.stage_rank, default=None)

    def recognitions(self, community: Community) -> list[Recognition]:
        """Oldest first; within a year from the widest stage to the highest."""
        return sorted(community.recognitions, key=self.stage_rank)

    def recognition_years(self) -> list[int]:
        """Every year from the first recognition on the site to the last, for columns."""
        years = [r.year for c in self.site.communities for r in c.recognitions]
        return list(range(min(years), max(years) + 1)) if years else []

    def best_in_year(self, community: Community, year: int) -> Recognition | None:
        """The highest stage a community reached in a year (Top 7 over Smart21)."""
        return max((r for r in community.recognitions if r.year == year),
                   key=self.stage_rank, default=None)

    @staticmethod
    def serving(community: Community, program_id: str,
                criterion_id: str) -> list[tuple[int, Initiative]]:
        """The initiatives filed under a criterion, with their 1-based position on the
        fact sheet (their anchor there is ``#initiative-<n>``)."""
        return [(n, item) for n, item in enumerate(community.initiatives, start=1)
                if (program_id, criterion_id) in item.criteria]

    # Charts ---------------------------------------------------------------------
    def timeline_chart(self, community: Community) -> Markup:
        """Every stage of each programme the community was recognised by, one row each,
        with a mark for each year it reached that stage."""
        rows = []
        for program_id in dict.fromkeys(r.program for r in self.recognitions(community)):
            program = self.site.programs[program_id]
            for stage in program.stages:
                years = frozenset(r.year for r in community.recognitions
                                  if r.program == program_id and r.stage == stage.id)
                rows.append(charts.TimelineRow(self.plain(stage.name), years))
        # Translators: one line of a chart's text alternative: a stage and the years it
        # was reached, e.g. "Top 7: 2021, 2022 and 2023"
        described = [self.gettext("%(stage)s: %(years)s") % {
            "stage": row.label, "years": self.fmt.list([self.fmt.year(y)
                                                         for y in sorted(row.years)])}
            for row in rows if row.years]
        return charts.timeline("chart-recognitions", rows, self.fmt.year,
                               self.gettext("Recognitions by year"), "; ".join(described),
                               rtl=self.fmt.direction == "rtl")

    def values_chart(self, chart_id: str, title: str, values: tuple[DatedValue, ...],
                     number: Callable[[DatedValue], Markup]) -> Markup:
        """Bars for a series of dated values; ``number`` is the template's macro that
        words a value with its qualifier and unit ("more than 200"), so the chart says
        exactly what the table says."""
        items, described = [], []
        for value in sorted(values, key=lambda v: v.as_of):
            text = Markup(number(value)).striptags()
            target = value.status == "target"
            if target:
                # Translators: a target value in a chart, e.g. "15% (target)"
                text = self.gettext("%(value)s (target)") % {"value": text}
            items.append(charts.Bar(self.fmt.date(value.as_of, short=True), value.value,
                                    text, target))
            # Translators: a chart's text alternative, one dated value: "13% in 2025"
            described.append(self.gettext("%(value)s in %(date)s") % {
                "value": text, "date": self.fmt.date(value.as_of)})
        return charts.bars(chart_id, items, title, "; ".join(described),
                           rtl=self.fmt.direction == "rtl")

    def figure_chart(self, figure: Figure, number: Callable[..., Markup]) -> Markup:
        return self.values_chart(f"chart-{figure.id}", self.plain(figure.label),
                                 figure.values,
                                 lambda value: number(value, figure.format, figure.unit))

    def members_chart(self, program: Program, number: Callable[..., Markup]) -> Markup:
        return self.values_chart("chart-members", self.gettext("Members over time"),
                                 program.members, lambda value: number(value))

    def context(self, route: Route, **extra: Any) -> dict[str, Any]:
        return {
            "site": self.site,
            "settings": self.site.settings,
            "lang": self.lang,
            "dir": self.fmt.direction,
            "fmt": self.fmt,
            "route": route,
            "alternates": self.alternates(route),
            "x_default": self.x_default(route),
            "canonical": self.urls.absolute(
                route.path(None if route == urls.ROOT else self.lang)),
            "url": self.urls.href,
            "page_url": lambda r: self.urls.href(r.path(self.lang)),
            "community_route": urls.community,
            "program_route": urls.program,
            "recognised": self.recognised,
            "home_route": urls.HOME,
            "compare_route": urls.COMPARE_PAGE,
            "content_security_policy": hosting.meta_policy(),
            "recognition_years": self.recognition_years,
            "best_in_year": self.best_in_year,
            "serving": self.serving,
            "headline_count": HEADLINE_FIGURES,
            "asset": self.asset,
            "t": self.text,
            "plain": self.plain,
            "md": partial(self._wrap, "div", render=markup.render),
            "md_inline": partial(self._wrap, "span", render=markup.render_inline),
            "stage_rank": self.stage_rank,
            "latest_recognition": self.latest_recognition,
            "recognitions": self.recognitions,
            "timeline_chart": self.timeline_chart,
            "figure_chart": self.figure_chart,
            "members_chart": self.members_chart,
            **extra,
        }

    def page(self, template: str, route: Route, path: str | None = None,
             **extra: Any) -> Page:
        html = self.env.get_template(template).render(self.context(route, **extra))
        target = Urls.output_file(path if path is not None else route.path(self.lang))
        return Page(target, html.encode("utf-8"))

    def recognised(self, program_id: str) -> list[tuple[Community, list[Recognition]]]:
        """Communities with recognitions in a programme, each with them in order."""
        found = []
        for community in self.site.communities:
            own = [r for r in self.recognitions(community) if r.program == program_id]
            if own:
                found.append((community, own))
        return found

    def routes(self) -> list[tuple[str, Route, dict[str, Any]]]:
        """Every page of the language as (template, route, extra context), listed before
        rendering so a build can show its progress against the total."""
        found: list[tuple[str, Route, dict[str, Any]]] = [("index.html", urls.HOME, {})]
        for community in self.site.communities:
            found.append(("community.html", urls.community(community.slug),
                          {"community": community, "citations": Citations(self.site.sources)}))
        for program in self.site.programs.values():
            found.append(("program.html", urls.program(program.id),
                          {"program": program, "citations": Citations(self.site.sources)}))
        found.append(("compare.html", urls.COMPARE_PAGE,
                      {"citations": Citations(self.site.sources)}))
        found.append(("404.html", urls.NOT_FOUND, {}))
        return found

    def pages(self) -> Iterator[Page]:
        for template, route, extra in self.routes():
            yield self.page(template, route, **extra)

    def root_pages(self) -> Iterator[Page]:
        """Language-neutral pages, rendered in the default language."""
        yield self.page("root.html", urls.ROOT, path="")
        yield self.page("404.html", urls.NOT_FOUND, path=urls.NOT_FOUND.path(None))
