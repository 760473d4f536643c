"""Opening the site's pages in a browser context, the same way in every test."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from .site import SitePage

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Request, Route

LOAD_TIMEOUT_S = 15.0


def stay_on_page(page: Page) -> None:
    """Answer any later top-level navigation with 204 No Content, which a browser treats as
    "stay where you are": the root page sends every reader on to a language with
    ``location.replace``, and a test that inspects the root page itself needs it to stay."""
    opened: list[str] = []

    def handle(route: Route) -> None:
        request = route.request
        if request.is_navigation_request() and request.frame == page.main_frame:
            if opened:
                route.fulfill(status=204)
                return
            opened.append(request.url)
        route.continue_()

    page.route("**/*", handle)


def wait_until_complete(page: Page) -> None:
    """Wait for ``document.readyState == "complete"``.

    Playwright's own load wait never ends once a page has started a navigation that is then
    cancelled (the root page held in place), and ``wait_for_function`` evaluates a string in
    the page, which the site's Content-Security-Policy rightly forbids; so poll instead."""
    deadline = time.monotonic() + LOAD_TIMEOUT_S
    while page.evaluate("() => document.readyState") != "complete":
        assert time.monotonic() < deadline, f"{page.url}: still loading after {LOAD_TIMEOUT_S}s"
        page.wait_for_timeout(25)


def open_page(context: BrowserContext, site_page: SitePage, *, stay: bool = True) -> Page:
    """Open ``site_page`` in a new tab, check the HTTP status and wait until it has loaded;
    with ``stay`` the root page is held in place instead of sending the reader on, so the
    page under test is the page that is looked at."""
    page = context.new_page()
    held = stay and site_page.is_root
    if held:
        stay_on_page(page)
    response = page.goto(site_page.path, wait_until="commit" if held else "load")
    assert response is not None, f"{site_page.path}: no response"
    assert response.status == site_page.status, (
        f"{site_page.path}: HTTP {response.status}, expected {site_page.status}"
        + (" (is this page built?)" if response.status == 404 else ""))
    if held:
        wait_until_complete(page)
    return page


class NetworkActivity:
    """Requests in flight in a context, to wait until a page has fetched everything.

    Playwright's ``networkidle`` waits for 500 ms of silence after every page, which adds
    minutes over the whole suite; a browser fetches the page's icon shortly after the load
    event, so this waits for the icons the page declares, then for a short quiet spell."""

    def __init__(self, context: BrowserContext) -> None:
        self.pending: set[Request] = set()
        self.finished: set[str] = set()
        self.last_change = time.monotonic()
        context.on("request", self._started)
        context.on("requestfinished", self._ended)
        context.on("requestfailed", self._ended)

    def _started(self, request: Request) -> None:
        self.pending.add(request)
        self.last_change = time.monotonic()

    def _ended(self, request: Request) -> None:
        self.pending.discard(request)
        self.finished.add(request.url)
        self.last_change = time.monotonic()

    def settle(self, page: Page, quiet_s: float = 0.15, icon_wait_s: float = 1.0) -> None:
        """Return once nothing has been in flight for ``quiet_s`` seconds and the page's
        icons are fetched, or ``icon_wait_s`` has passed without the browser asking for
        them (it does not for a page held in place while its own navigation is pending)."""
        icons = set(page.evaluate(
            "() => [...document.querySelectorAll('link[rel~=icon]')].map((l) => l.href)"))
        start = time.monotonic()
        while True:
            now = time.monotonic()
            icons_done = icons <= self.finished or now - start > icon_wait_s
            if not self.pending and icons_done and now - self.last_change >= quiet_s:
                return
            assert now - start < LOAD_TIMEOUT_S, (
                f"{page.url}: still fetching {sorted(r.url for r in self.pending)}")
            page.wait_for_timeout(25)
