"""Fixtures for the browser tests: the shipped site over HTTP and one headless Chromium.

The browser is Debian's ``chromium`` package (CI installs it with apt; Playwright's own
browser downloads are not used). Without Playwright or that browser the tests skip and say
what is missing, unless ``SITEGEN_REQUIRE_BROWSER=1`` (set by .ci/run) makes that a failure,
so CI cannot go green by quietly skipping them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from .server import serve

if TYPE_CHECKING:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser, BrowserContext, Playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
REQUIRE_BROWSER = "SITEGEN_REQUIRE_BROWSER"
TIMEOUT_MS = 15_000


def unavailable(reason: str) -> NoReturn:
    """Skip, saying what is missing, or fail when the environment requires the browser."""
    if os.environ.get(REQUIRE_BROWSER) == "1":
        pytest.fail(f"{reason} ({REQUIRE_BROWSER}=1 requires the browser tests to run)",
                    pytrace=False)
    pytest.skip(f"{reason}; set {REQUIRE_BROWSER}=1 to make this a failure")


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """Playwright's driver (it comes with the pip package; no browser download)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """One Chromium for the whole session: starting it is the slow part."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    from playwright.sync_api import Error

    try:
        instance = playwright_driver.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Error as error:
        unavailable(f"Chromium at {CHROMIUM} did not start: {error}")
    try:
        yield instance
    finally:
        instance.close()


@pytest.fixture(scope="session")
def site_url(shipped_dist: Path) -> Iterator[str]:
    """The shipped site served over HTTP on 127.0.0.1, as a static host serves it."""
    with serve(shipped_dist) as url:
        yield url


@contextmanager
def context_factory(browser: Browser, url: str) -> Iterator[Callable[..., BrowserContext]]:
    """Make fresh browser contexts (each with its own storage, cache and preferences) for
    the site at ``url``, all closed on exit; ``page.goto("/ko/")`` resolves against it."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def new_context(browser: Browser, site_url: str) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh browser contexts on the shipped site, closed when the test ends."""
    with context_factory(browser, site_url) as make:
        yield make


@pytest.fixture(scope="session")
def axe() -> Axe:
    """axe-core, as bundled by axe-playwright-python."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        unavailable("the axe-playwright-python package is not installed "
                    "(pip install -e '.[test]')")
    return Axe()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``SITEGEN_SCREENSHOTS`` keeps them, else a temporary folder."""
    kept = os.environ.get("SITEGEN_SCREENSHOTS")
    if kept:
        folder = Path(kept)
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("screenshots")
