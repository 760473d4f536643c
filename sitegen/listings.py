"""The pages that show many communities: index, compare, programme and 404 pages.

They are made from the communities' summaries (:mod:`sitegen.summary`), page by page
(:mod:`sitegen.pagination`). Each page's key covers its template, language and catalog,
its place among the pages and the summaries it shows, so an edit re-renders only the
listings whose content it changes (a figure that is not a headline figure changes none).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sitegen import summary, urls
from sitegen.depends import Digests, body_digest
from sitegen.errors import SiteError
from sitegen.factsheet import Workspace
from sitegen.manifest import Record
from sitegen.pagination import Pager, pages
from sitegen.urls import Urls

WHOLE = Pager(1, 1, 0)
TEMPLATES = {"index": "index.html", "compare": "compare.html", "program": "program.html",
             "notfound": "404.html", "root": "root.html"}


@dataclass(frozen=True)
class Listing:
    """One listing page to bring up to date."""

    kind: str  # a key of TEMPLATES
    lang: str
    path: str  # output file
    key: bytes
    previous: tuple[bytes, bytes] | None  # (key, digest of bytes) in the previous build
    pager: Pager = WHOLE
    program: str = ""
    root: bool = False  # the 404 page at the site's root


@dataclass
class Task:
    """Listing pages that show the same communities (their summaries, packed)."""

    summaries: list[bytes]
    listings: list[Listing] = field(default_factory=list)


@dataclass
class Result:
    outputs: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    errors: list[SiteError] = field(default_factory=list)
    rendered: int = 0


def _path(route: urls.Route, lang: str | None) -> str:
    return Urls.output_file(route.path(lang))


def plan(records: Sequence[Record], codes: Sequence[str], default: str, page_size: int,
         programs: Sequence[str], digests: Digests,
         previous: dict[str, tuple[bytes, bytes]],
         force: bool) -> tuple[list[Task], dict[str, tuple[bytes, bytes]], dict[str, int]]:
    """Every listing page: the tasks for those whose key changed, the outputs of those
    that did not (kept as they are), and the number of listing pages per language."""
    tasks: list[Task] = []
    kept: dict[str, tuple[bytes, bytes]] = {}
    counts = dict.fromkeys(codes, 0)

    def add(chunk: Sequence[Record], wanted: list[Listing]) -> None:
        stale = []
        for listing in wanted:
            counts[listing.lang] += 0 if listing.root or listing.kind == "root" else 1
            if (not force and listing.previous is not None
                    and listing.previous[0] == listing.key):
                kept[listing.path] = listing.previous
            else:
                stale.append(listing)
        if stale:
            tasks.append(Task([record.summary for record in chunk], stale))

    def listing(kind: str, lang: str, route: urls.Route, pager: Pager,
                chunk: Sequence[Record], program: str = "", root: bool = False) -> Listing:
        path = _path(route, None if root or kind == "root" else lang)
        key = digests.page(TEMPLATES[kind], lang, kind, path, str(pager.number),
                           str(pager.count), str(pager.total), digests.shared,
                           *(record.summary_digest for record in chunk))
        return Listing(kind, lang, path, key, previous.get(path), pager, program, root)

    for pager, chunk in pages(records, page_size):
        add(chunk, [listing(kind, lang, urls.paged(route, pager.number), pager, chunk)
                    for kind, route in (("index", urls.HOME), ("compare", urls.COMPARE_PAGE))
                    for lang in codes])
    for program_id in programs:
        recognised = [r for r in records if program_id in r.recognised_in]
        for pager, chunk in pages(recognised, page_size):
            route = urls.paged(urls.program(program_id), pager.number)
            add(chunk, [listing("program", lang, route, pager, chunk, program_id)
                        for lang in codes])
    # A 404 page lists the communities when they fit on one page.
    shown = records if len(records) <= page_size else []
    whole = Pager(1, 1, len(records))
    add(shown, [*(listing("notfound", lang, urls.NOT_FOUND, whole, shown) for lang in codes),
                listing("notfound", default, urls.NOT_FOUND, whole, shown, root=True),
                listing("root", default, urls.ROOT, whole, [])])
    return tasks, kept, counts


def by_language(tasks: list[Task]) -> list[Task]:
    """The same listings, one task per language of each task: on a small site the
    listings are a few tasks of very different sizes (the index and compare pages of
    every language in one), which would leave a core idle while another renders them."""
    return [Task(task.summaries, [item for item in task.listings if item.lang == lang])
            for task in tasks for lang in dict.fromkeys(item.lang for item in task.listings)]


def render(task: Task, ws: Workspace) -> Result:
    """Render a task's pages and write those whose bytes changed."""
    communities = [summary.unpack(blob) for blob in task.summaries]
    result = Result()
    for listing in task.listings:
        template = TEMPLATES[listing.kind]
        if template in ws.broken:
            continue
        renderer = ws.renderer(listing.lang)
        try:
            if listing.kind == "index":
                page = renderer.index_page(listing.pager, communities)
            elif listing.kind == "compare":
                page = renderer.compare_page(listing.pager, communities)
            elif listing.kind == "program":
                program = ws.site.programs[listing.program]
                page = renderer.program_page(program, listing.pager, [
                    (c, renderer.recognised(program.id, c)) for c in communities])
            elif listing.kind == "notfound":
                page = renderer.not_found_page(communities, root=listing.root)
            else:
                page = renderer.root_page()
        except Exception as exc:
            if not ws.raised_by_template(exc):
                raise
            ws.broken.add(template)
            result.errors.append(ws.template_error(exc))
            continue
        result.rendered += 1
        bytes_digest = body_digest(page.body)
        if listing.previous is None or listing.previous[1] != bytes_digest or ws.force:
            ws.sink.write(page.path, page.body)
            result.written.append(page.path)
        result.outputs[page.path] = (listing.key, bytes_digest)
    return result
