"""The one place that knows the URL layout and the base URL.

Pages are addressed by a *route* (what the page is) and a language. Links inside pages are
root-relative and carry the base URL's path, so a site works at a domain root and under a
subpath such as a GitHub Pages project site; alternates, canonical links and the sitemap
use absolute URLs, as search engines require.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit


@dataclass(frozen=True, order=True)
class Route:
    """What a page shows, independent of its language: ``("home",)``, ``("community", slug)``."""

    kind: str
    slug: str = ""
    page: int = 1  # of a listing split into pages: /<lang>/page/2/, /<lang>/compare/page/2/

    def path(self, lang: str | None) -> str:
        """Site-relative path of the page ('' is the root), ending in '/' for directories."""
        if self.page > 1:
            return f"{Route(self.kind, self.slug).path(lang)}{PAGE}/{self.page}/"
        if self.kind == "root":
            return ""
        if self.kind == "notfound":
            return f"{lang}/404.html" if lang else "404.html"
        if self.kind == "home":
            return f"{lang}/"
        if self.kind == "program":
            return f"{lang}/{PROGRAMS}/{self.slug}/"
        if self.kind == "compare":
            return f"{lang}/{COMPARE}/"
        return f"{lang}/{self.slug}/"


PROGRAMS = "programs"  # folder of programme pages; no community may take this slug
COMPARE = "compare"  # the page that sets communities side by side; reserved too
PAGE = "page"  # folder of a listing's further pages; reserved too
RESERVED_SLUGS = frozenset({PROGRAMS, COMPARE, PAGE})

ROOT = Route("root")
HOME = Route("home")
NOT_FOUND = Route("notfound")
COMPARE_PAGE = Route("compare")


def paged(route: Route, page: int) -> Route:
    """Page ``page`` (1-based) of a listing."""
    return Route(route.kind, route.slug, page)


def community(slug: str) -> Route:
    return Route("community", slug)


def program(program_id: str) -> Route:
    return Route("program", program_id)


@dataclass(frozen=True)
class Urls:
    base_url: str

    def __post_init__(self) -> None:
        if not self.base_url.endswith("/"):
            object.__setattr__(self, "base_url", self.base_url + "/")

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def href(self, path: str) -> str:
        """Root-relative link to a site-relative path."""
        return self.base_path + quote(path)

    def absolute(self, path: str) -> str:
        return self.base_url + quote(path)

    @staticmethod
    def output_file(path: str) -> str:
        """The file a site-relative path is written to inside dist/."""
        return path + "index.html" if path == "" or path.endswith("/") else path
