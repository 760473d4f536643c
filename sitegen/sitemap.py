"""sitemap.xml with hreflang alternates, and robots.txt pointing to it."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from sitegen import urls
from sitegen.model import Site
from sitegen.page import Page
from sitegen.urls import Route, Urls

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"


def routes(site: Site) -> list[Route]:
    """The pages search engines should know, in a stable order."""
    return [urls.HOME, urls.COMPARE_PAGE, *(urls.community(c.slug) for c in site.communities),
            *(urls.program(program_id) for program_id in site.programs)]


def sitemap(site: Site) -> Page:
    link = Urls(site.settings.base_url)
    codes = site.settings.codes
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for route in routes(site):
        default = (link.absolute(urls.ROOT.path(None)) if route == urls.HOME
                   else link.absolute(route.path(site.settings.default_language)))
        alternates = [
            f"    <xhtml:link rel=\"alternate\" hreflang={quoteattr(code)} "
            f"href={quoteattr(link.absolute(route.path(code)))}/>"
            for code in codes
        ]
        alternates.append(
            f"    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href={quoteattr(default)}/>"
        )
        for code in codes:
            lines.append("  <url>")
            lines.append(f"    <loc>{link.absolute(route.path(code))}</loc>")
            lines.extend(alternates)
            lines.append("  </url>")
    lines.append("</urlset>")
    return Page(SITEMAP, ("\n".join(lines) + "\n").encode("utf-8"))


def robots(site: Site) -> Page:
    location = Urls(site.settings.base_url).absolute(SITEMAP)
    return Page(ROBOTS, f"User-agent: *\nAllow: /\n\nSitemap: {location}\n".encode())
