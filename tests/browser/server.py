"""A small static server that behaves like the hosts the site is published on.

The browser tests need real HTTP rather than ``file://`` URLs: the root page's script, the
``Content-Security-Policy`` header and the 404 page only behave as they will in production
when a server maps directory URLs to ``index.html``, answers missing paths with the site's
``404.html`` and status 404, and sends the headers that ``dist/_headers`` (Netlify's
format) asks for."""

from __future__ import annotations

import mimetypes
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

# Files a host consumes itself and never serves.
HOST_FILES = frozenset({"_headers", "_redirects"})


@dataclass(frozen=True)
class HeaderRule:
    """One block of a ``_headers`` file: a path pattern and the headers it adds."""

    pattern: str
    regex: re.Pattern[str]
    headers: tuple[tuple[str, str], ...]


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """Netlify's path patterns: ``*`` (a splat) matches anything, slashes included;
    ``:name`` matches one path segment; ``/page`` and ``/page/`` are the same page."""
    path = urlsplit(pattern).path if "://" in pattern else pattern
    out = ""
    for token in re.split(r"(\*|:[A-Za-z_][A-Za-z0-9_]*)", path):
        if token == "*":
            out += ".*"
        elif token.startswith(":"):
            out += "[^/]+"
        else:
            out += re.escape(token)
    if out.endswith("/") and len(out) > 1:
        out = out[:-1]
    return re.compile(f"^{out}/?$" if out else "^/$")


def parse_headers_file(text: str) -> list[HeaderRule]:
    """Parse Netlify's ``_headers`` format: a path pattern at the start of a line, then
    indented ``Name: value`` lines; ``#`` starts a comment. Malformed lines raise, so a
    broken file fails the tests instead of silently sending no headers."""
    rules: list[HeaderRule] = []
    pattern: str | None = None
    headers: list[tuple[str, str]] = []

    def close() -> None:
        if pattern is not None:
            rules.append(HeaderRule(pattern, _pattern_regex(pattern), tuple(headers)))

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line[0].isspace():
            if not (stripped.startswith("/") or "://" in stripped):
                raise ValueError(f"_headers:{number}: a path must start with '/': {line!r}")
            close()
            pattern, headers = stripped, []
            continue
        name, colon, value = stripped.partition(":")
        if pattern is None or not colon or not name.strip():
            raise ValueError(f"_headers:{number}: expected an indented 'Name: value': {line!r}")
        headers.append((name.strip(), value.strip()))
    close()
    return rules


def headers_for(rules: list[HeaderRule], path: str) -> dict[str, str]:
    """Every header of every rule matching ``path``; values of a name that several rules
    (or one rule several times) give are joined with ", ", as for any multi-value header."""
    merged: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for rule in rules:
        if rule.regex.match(path):
            for name, value in rule.headers:
                names.setdefault(name.lower(), name)
                merged.setdefault(name.lower(), []).append(value)
    return {names[key]: ", ".join(values) for key, values in merged.items()}


def content_type(path: Path) -> str:
    """The media type a static host sends; text types say they are UTF-8."""
    guessed = {".js": "text/javascript", ".mjs": "text/javascript", ".svg": "image/svg+xml",
               ".webmanifest": "application/manifest+json"}.get(path.suffix)
    guessed = guessed or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/xml", "image/svg+xml"):
        guessed += "; charset=utf-8"
    return guessed


class SiteRequestHandler(BaseHTTPRequestHandler):
    """Serve ``root`` as a static host does (set ``root`` and ``rules`` on a subclass)."""

    root: Path
    rules: list[HeaderRule]
    protocol_version = "HTTP/1.1"

    def resolve(self, url_path: str) -> tuple[HTTPStatus, Path | None, str | None]:
        """(status, file to send, redirect location) for a request path."""
        parts = [part for part in url_path.split("/") if part]
        if any(part in (".", "..") or "\\" in part for part in parts) or (
                parts and parts[0] in HOST_FILES):
            return HTTPStatus.NOT_FOUND, self.root / "404.html", None
        target = self.root.joinpath(*parts)
        if target.is_dir():
            if not url_path.endswith("/"):
                return HTTPStatus.MOVED_PERMANENTLY, None, quote(url_path) + "/"
            target = target / "index.html"
        if target.is_file():
            return HTTPStatus.OK, target, None
        return HTTPStatus.NOT_FOUND, self.root / "404.html", None

    def respond(self, send_body: bool) -> None:
        url_path = unquote(urlsplit(self.path).path) or "/"
        status, file, location = self.resolve(url_path)
        body = file.read_bytes() if file is not None and file.is_file() else b""
        self.send_response(status)
        if location is not None:
            self.send_header("Location", location)
        if file is not None:
            self.send_header("Content-Type", content_type(file))
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers_for(self.rules, url_path).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a test's own messages say what went wrong."""


class SiteServer(ThreadingHTTPServer):
    """Threaded, so the browser's parallel requests are answered at once."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that closes a tab mid-response is not an error worth printing."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) in a background thread; yields the base
    URL, e.g. ``http://127.0.0.1:8123``. ``_headers`` is read once, when the server starts."""
    headers_file = root / "_headers"
    rules = (parse_headers_file(headers_file.read_text(encoding="utf-8"))
             if headers_file.is_file() else [])
    handler = type("Handler", (SiteRequestHandler,), {"root": root, "rules": rules})
    server = SiteServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="site-server", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
