"""``sitegen serve``: a live preview for editors.

The site is built in memory (``render_all`` already returns every file's bytes), with
``base_url`` set to the local address, and served from there: nothing is written, so the
published ``dist/`` can never receive a localhost address, and there is no temporary
folder to clean up after a crash. A rebuild swaps in a new immutable :class:`Snapshot`
at once; requests in flight keep the one they started with.

Changes are found by **watchfiles**: it is maintained, uses the operating system's
notifications (inotify, FSEvents; written in Rust) instead of polling by hand, ignores
editors' swap and backup files, and groups the burst of events one save makes into one
batch, so a save means one rebuild. Only content/, templates/, locales/ and static/ are
watched, so a build elsewhere (dist/) never triggers one.

A broken build keeps the server running: HTML requests get the error page (status 500),
other files come from the last good build, and the terminal prints the same errors.
How pages learn about a new build is in :mod:`sitegen.livereload`.
"""

from __future__ import annotations

import errno
import mimetypes
import secrets
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import click

from sitegen import livereload
from sitegen.errors import BuildFailed

WATCHED = ("content", "templates", "locales", "static")
HOST_FILES = frozenset({"_headers", "_redirects"})  # read by hosts, never served
KEEPALIVE_S = 15.0  # a comment on idle event streams, so closed tabs are noticed


class ServeError(Exception):
    """The server cannot start; the message says why and what to do."""


@dataclass(frozen=True)
class Snapshot:
    """One build as served: its id, every file of the last good build, and the errors of
    this build (empty when it succeeded)."""

    build_id: str
    files: dict[str, bytes] = field(default_factory=dict)
    errors: tuple[str, ...] = ()


class Preview:
    """The current build of one site, rebuilt on demand, and the waiters for the next."""

    def __init__(self, root: Path, debug: bool = False) -> None:
        self.root = root
        self.base_url = ""  # set once the port is bound: the build needs the address
        self.debug = debug
        self.closing = False
        self._run = secrets.token_hex(4)  # a restarted server's ids differ: pages reload
        self._count = 0
        self._changed = threading.Condition()
        self.snapshot = Snapshot(self._next_id())

    def _next_id(self) -> str:
        self._count += 1
        return f"{self._run}-{self._count}"

    def rebuild(self) -> tuple[Snapshot, float]:
        """Build in memory and publish the result to requests and open pages; returns
        the snapshot and the seconds the build took. Nothing changes for open pages when
        the new build serves the same bytes and errors as the previous one."""
        from sitegen.build import render_all

        started = time.perf_counter()
        previous = self.snapshot
        files, errors = previous.files, ()
        try:
            pages, _ = render_all(self.root, self.base_url)
            files = {page.path: page.body for page in pages}
        except BuildFailed as failed:
            errors = tuple(str(error) for error in failed.errors)
        except Exception as exc:  # a bug in sitegen must not stop the preview
            if self.debug:
                traceback.print_exc()
            errors = (f"internal error: {type(exc).__name__}: {exc} "
                      "(a bug in sitegen; run with --debug for details)",)
        seconds = time.perf_counter() - started
        if files == previous.files and errors == previous.errors:
            return previous, seconds
        with self._changed:
            self.snapshot = Snapshot(self._next_id(), files, errors)
            self._changed.notify_all()
        return self.snapshot, seconds

    def wait(self, seen: str | None, timeout: float) -> str:
        """The current build id once it differs from ``seen`` (or after ``timeout``)."""
        with self._changed:
            self._changed.wait_for(
                lambda: self.closing or self.snapshot.build_id != seen, timeout)
            return self.snapshot.build_id

    def close(self) -> None:
        """Release every open event stream."""
        with self._changed:
            self.closing = True
            self._changed.notify_all()


def content_type(path: str) -> str:
    """The media type of a file; text types say they are UTF-8, as the build writes."""
    kind = {".js": "text/javascript", ".svg": "image/svg+xml", ".csv": "text/csv",
            ".xml": "application/xml"}.get(Path(path).suffix)
    kind = kind or mimetypes.guess_type(path)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/xml", "image/svg+xml",
                                            "application/json"):
        kind += "; charset=utf-8"
    return kind


class Handler(BaseHTTPRequestHandler):
    """Serves the current snapshot as a static host serves dist/, plus the live client."""

    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path) or "/"
        if path == livereload.EVENTS:
            self._events()
            return
        snapshot = self.server.preview.snapshot
        own = {livereload.SCRIPT: livereload.CLIENT, livereload.STYLE: livereload.STYLESHEET,
               livereload.ICON: livereload.ICON_SVG}
        if path in own:
            self._send(HTTPStatus.OK, own[path].encode(), content_type(path), send_body)
            return
        status, name, location = self._resolve(path, snapshot.files)
        wants_html = (status == HTTPStatus.OK and name.endswith(".html")) or (
            status == HTTPStatus.NOT_FOUND and "text/html" in self.headers.get("Accept", ""))
        if snapshot.errors and wants_html:
            body = livereload.error_page(list(snapshot.errors), snapshot.build_id)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, body, content_type("error.html"),
                       send_body)
            return
        body = snapshot.files.get(name, b"")
        if name.endswith(".html"):
            body = livereload.inject(body, snapshot.build_id)
        self._send(status, body, content_type(name), send_body, location)

    @staticmethod
    def _resolve(path: str, files: dict[str, bytes]) -> tuple[HTTPStatus, str, str | None]:
        """(status, file to send, redirect) for a URL path: folders serve index.html,
        a folder without its slash is redirected, anything else missing gets the 404
        page of its language (the site's root 404 page outside the languages)."""
        parts = [part for part in path.split("/") if part]
        name = "/".join(parts)
        safe = not any(part in (".", "..") or "\\" in part for part in parts)
        if safe and (not parts or parts[0] not in HOST_FILES):
            index = f"{name}/index.html" if name else "index.html"
            if path.endswith("/") and index in files:
                return HTTPStatus.OK, index, None
            if not path.endswith("/") and name in files:
                return HTTPStatus.OK, name, None
            if not path.endswith("/") and index in files:
                return HTTPStatus.MOVED_PERMANENTLY, "", quote(path) + "/"
        language_404 = f"{parts[0]}/404.html" if parts else ""
        return HTTPStatus.NOT_FOUND, (
            language_404 if language_404 in files else "404.html"), None

    def _send(self, status: HTTPStatus, body: bytes, kind: str, send_body: bool,
              location: str | None = None) -> None:
        self.send_response(status)
        if location is not None:
            self.send_header("Location", location)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        # Always fetch afresh: a reload must show the new build, never a cached page.
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", livereload.SERVED_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _events(self) -> None:
        """The event stream: the current build id at once, then each new one; held open
        until the page goes away or the server stops."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True  # the stream's length is unknown: it ends with it
        preview = self.server.preview
        seen: str | None = None
        try:
            while not preview.closing:
                current = preview.wait(seen, KEEPALIVE_S)
                if preview.closing:
                    break
                self.wfile.write(livereload.event(current) if current != seen
                                 else b": keep-alive\n\n")
                self.wfile.flush()
                seen = current
        except OSError:
            pass  # the tab was closed or reloaded (a ConnectionError)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows builds and errors, not every request."""


class PreviewServer(ThreadingHTTPServer):
    """Threaded: each open page holds one event stream while others are served."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.preview = preview

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser closing a tab mid-response is not an error worth printing."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def listen(host: str, port: int, preview: Preview) -> PreviewServer:
    """Bind the port first: the site's address (with the port ``--port 0`` picked) is
    needed for the build, and a busy port should be reported before any work."""
    try:
        return PreviewServer((host, port), preview)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} on {host} is already in use (another `sitegen serve`?); "
                "stop that server or choose another port with --port (--port 0 picks a "
                "free one)") from None
        if exc.errno == errno.EACCES:
            raise ServeError(f"not allowed to listen on port {port}; use a port above "
                             "1023, e.g. --port 8000") from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _changed_names(root: Path, changes: set[tuple[object, str]]) -> str:
    """The changed files for the terminal; an editor's or tool's temporary files, gone by
    the time of the build, are left out unless nothing else changed."""
    paths = {Path(path) for _, path in changes}
    paths = {path for path in paths if path.exists()} or paths
    names = sorted(path.relative_to(root.resolve()).as_posix()
                   if path.is_relative_to(root.resolve()) else str(path) for path in paths)
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def report(snapshot: Snapshot, seconds: float, what: str) -> None:
    """One line per build in the terminal, or the build's errors as ``build`` prints
    them."""
    if snapshot.errors:
        for line in snapshot.errors:
            click.echo(line, err=True)
        click.secho(f"{len(snapshot.errors)} error(s); the browser shows them until they "
                    "are fixed.", err=True, fg="red")
    else:
        click.echo(f"Rebuilt in {seconds:.2f} s ({what})" if what != "start"
                   else f"Built {len(snapshot.files)} files in {seconds:.2f} s")


Changes = Iterator[set[tuple[object, str]]]


def watch(root: Path, stop: threading.Event) -> Changes:
    """Batches of changes under the watched folders until ``stop`` is set. An empty batch
    comes every 100 ms while nothing changes: the first one says the watch is in place,
    and changes made after it are kept until they are read, even during a build."""
    from watchfiles import watch as watch_files

    folders = [root / name for name in WATCHED if (root / name).is_dir()] or [root]
    return watch_files(*folders, stop_event=stop, yield_on_timeout=True, rust_timeout=100,
                       ignore_permission_denied=True)


def rebuild_on_changes(preview: Preview, changes: Changes) -> None:
    """Rebuild after every batch of changes (run in a thread until the watch ends)."""
    for batch in changes:
        if batch:
            snapshot, seconds = preview.rebuild()
            report(snapshot, seconds, _changed_names(preview.root, batch))


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """``kill`` stops the server as Ctrl+C does: cleanly, without a traceback."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(root: Path, host: str, port: int, debug: bool = False) -> None:
    """Build, serve and rebuild on changes until Ctrl+C; raises :class:`ServeError` when
    the server cannot start."""
    preview = Preview(root, debug)
    server = listen(host, port, preview)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{server.server_address[1]}/"
    preview.base_url = url
    stop = threading.Event()
    watcher: threading.Thread | None = None
    try:
        with _sigterm_as_interrupt():
            changes = watch(root, stop)
            next(changes)  # watching from here on: no save after this point is missed
            snapshot, seconds = preview.rebuild()
            report(snapshot, seconds, "start")
            watcher = threading.Thread(target=rebuild_on_changes, args=(preview, changes),
                                       name="sitegen-watch", daemon=True)
            watcher.start()
            click.echo(f"Serving {url} (Ctrl+C to stop)")
            server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        preview.close()
        stop.set()
        server.server_close()
        if watcher is not None:
            watcher.join(timeout=2)
