"""sitemap.xml with hreflang alternates, and robots.txt pointing to it.

The sitemap protocol allows at most 50,000 URLs and 50 MB in one file. A larger site gets
``sitemap.xml`` as a *sitemap index* naming ``sitemap-1.xml``, ``sitemap-2.xml``, ...,
each within both limits; robots.txt names ``sitemap.xml`` either way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from html import escape

from sitegen import urls
from sitegen.model import Settings
from sitegen.page import Page
from sitegen.urls import Route, Urls

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
MAX_URLS = 50_000  # per sitemap file, as the protocol requires
MAX_BYTES = 50 * 1000 * 1000  # uncompressed, per file (the protocol's 50 MB, 52,428,800
# bytes, with room to spare)

_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
         'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n')
_TAIL = "</urlset>\n"


def routes(slugs: Sequence[str], programs: Sequence[str], index_pages: int,
           compare_pages: int, program_pages: dict[str, int]) -> list[Route]:
    """The pages search engines should know, in a stable order: the listings with all
    their pages, the fact sheets and the programme pages."""
    return [*(urls.paged(urls.HOME, n) for n in range(1, index_pages + 1)),
            *(urls.paged(urls.COMPARE_PAGE, n) for n in range(1, compare_pages + 1)),
            *(urls.community(slug) for slug in slugs),
            *(urls.paged(urls.program(program_id), n) for program_id in programs
              for n in range(1, program_pages.get(program_id, 1) + 1))]


def _attribute(value: str) -> str:
    """An XML attribute value in double quotes (xml.sax.saxutils would do the same, but
    importing it imports urllib.request: a tenth of a small build's start-up)."""
    return f'"{escape(value)}"'


def _entries(settings: Settings, all_routes: Sequence[Route]) -> Iterator[str]:
    """One ``<url>`` element per page and language, each listing every language."""
    link = Urls(settings.base_url)
    codes = settings.codes
    for route in all_routes:
        default = (link.absolute(urls.ROOT.path(None)) if route == urls.HOME
                   else link.absolute(route.path(settings.default_language)))
        alternates = "".join(
            f"    <xhtml:link rel=\"alternate\" hreflang={_attribute(code)} "
            f"href={_attribute(link.absolute(route.path(code)))}/>\n"
            for code in codes)
        alternates += (f"    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" "
                       f"href={_attribute(default)}/>\n")
        for code in codes:
            yield (f"  <url>\n    <loc>{escape(link.absolute(route.path(code)), False)}</loc>\n"
                   f"{alternates}  </url>\n")


def sitemaps(settings: Settings, all_routes: Sequence[Route], max_urls: int = MAX_URLS,
             max_bytes: int = MAX_BYTES) -> list[Page]:
    """sitemap.xml, or a sitemap index and as many sitemaps as the limits require."""
    files: list[list[str]] = [[]]
    size = len(_HEAD) + len(_TAIL)
    for entry in _entries(settings, all_routes):
        length = len(entry.encode("utf-8"))
        if files[-1] and (len(files[-1]) >= max_urls or size + length > max_bytes):
            files.append([])
            size = len(_HEAD) + len(_TAIL)
        files[-1].append(entry)
        size += length
    if len(files) == 1:
        return [Page(SITEMAP, (_HEAD + "".join(files[0]) + _TAIL).encode("utf-8"))]
    link = Urls(settings.base_url)
    names = [f"sitemap-{n}.xml" for n in range(1, len(files) + 1)]
    index = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
             + "".join(f"  <sitemap><loc>{escape(link.absolute(name), False)}</loc></sitemap>\n"
                       for name in names)
             + "</sitemapindex>\n")
    return [Page(SITEMAP, index.encode("utf-8")),
            *(Page(name, (_HEAD + "".join(entries) + _TAIL).encode("utf-8"))
              for name, entries in zip(names, files, strict=True))]


def robots(settings: Settings) -> Page:
    location = Urls(settings.base_url).absolute(SITEMAP)
    return Page(ROBOTS, f"User-agent: *\nAllow: /\n\nSitemap: {location}\n".encode())
