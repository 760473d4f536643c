"""Reading built pages in tests: links, hreflang alternates, visible text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class PageInfo:
    lang: str = ""
    dir: str = ""
    links: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (tag, attrs)
    ids: set[str] = field(default_factory=set)
    texts: list[str] = field(default_factory=list)  # visible text nodes, stripped
    labels: list[str] = field(default_factory=list)  # aria-label values

    @property
    def alternates(self) -> dict[str, str]:
        return {a["hreflang"]: a["href"] for tag, a in self.links
                if tag == "link" and a.get("rel") == "alternate"}

    def hrefs(self) -> list[str]:
        return [a.get("href") or a.get("src") or "" for tag, a in self.links
                if tag in ("a", "link", "script") and (a.get("href") or a.get("src"))]


class _Parser(HTMLParser):
    def __init__(self, info: PageInfo) -> None:
        super().__init__(convert_charrefs=True)
        self.info = info
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.info.lang, self.info.dir = values.get("lang", ""), values.get("dir", "")
        if "id" in values:
            self.info.ids.add(values["id"])
        if "aria-label" in values:
            self.info.labels.append(values["aria-label"])
        if tag in ("a", "link", "script"):
            self.info.links.append((tag, values))
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.info.texts.append(data.strip())


def parse(path: Path) -> PageInfo:
    info = PageInfo()
    _Parser(info).feed(path.read_text(encoding="utf-8"))
    return info


def html_pages(dist: Path) -> list[Path]:
    return sorted(dist.rglob("*.html"))


def target_file(dist: Path, base_path: str, url: str) -> Path | None:
    """The file in dist/ that a link on the site points to (None for other sites)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if not url.startswith("https://example.org/"):
            return None
        parts = urlsplit(url.removeprefix("https://example.org"))
    path = parts.path
    assert path.startswith(base_path), f"{url} is outside the site's base path {base_path}"
    relative = path[len(base_path):]
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return dist / relative


def assert_links_resolve(dist: Path, own: tuple[str, ...] = ("/",)) -> int:
    """Every fragment link has its element, and every link whose URL starts with one of
    ``own`` has its file in ``dist``; other links must leave for another site over https.
    Returns how many links to the site's files were checked."""
    checked = 0
    for page in html_pages(dist):
        info = parse(page)
        for href in info.hrefs():
            if href.startswith("#"):
                assert href[1:] in info.ids, f"{page}: no element with id {href}"
                continue
            if not href.startswith(own):
                assert href.startswith("https://"), f"{page}: odd link {href}"
                continue
            target = target_file(dist, "/", href)
            assert target is not None and target.is_file(), f"{page}: broken link {href}"
            checked += 1
    return checked
