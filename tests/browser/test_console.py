"""Pages load cleanly: no console error or warning, no uncaught exception, no request the
Content-Security-Policy blocks and no failed subresource, in every language.

CSP violations are collected from the page's own ``securitypolicyviolation`` events (an
init script, installed before any page script runs, passes each to the test), as well as
from the console message Chromium prints for each; the ``_headers`` policy and each page's
``<meta http-equiv="Content-Security-Policy">`` both apply when the site is served."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

from .pageutil import NetworkActivity, open_page
from .site import ALL_PAGES, DEFAULT_LANGUAGE, SitePage

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Response

REPORT_CSP = "__sitegenReportCspViolation"
CSP_LISTENER = f"""
document.addEventListener("securitypolicyviolation", (event) => {{
  window.{REPORT_CSP}({{
    directive: event.violatedDirective, blocked: event.blockedURI,
    source: event.sourceFile, line: event.lineNumber, sample: event.sample,
    disposition: event.disposition,
  }});
}}, true);
"""


@dataclass
class PageLog:
    """Everything a page reported while it loaded."""

    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    csp: list[dict[str, Any]] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [*(f"console {line}" for line in self.console),
                *(f"uncaught {line}" for line in self.errors),
                *(f"CSP violation {json.dumps(v, ensure_ascii=False)}" for v in self.csp),
                *(f"failed load {line}" for line in self.broken)]


def watch(context: BrowserContext, log: PageLog, expected_404: str | None = None) -> None:
    """Record console errors and warnings, uncaught exceptions, CSP violations and failed
    requests of every page in ``context``. ``expected_404`` is a URL whose 404 status is
    the point of the test (the host's not-found page), so its one "Failed to load resource"
    message and status are not problems."""
    def on_csp(violation: dict[str, Any]) -> None:
        log.csp.append(violation)

    context.expose_function(REPORT_CSP, on_csp)
    context.add_init_script(CSP_LISTENER)

    def on_console(message: ConsoleMessage) -> None:
        if message.type not in ("error", "warning"):
            return
        where = message.location.get("url", "")
        if where == expected_404 and "status of 404" in message.text:
            return
        log.console.append(f"{message.type}: {message.text} ({where})")

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.url != expected_404:
            log.broken.append(f"{response.url}: HTTP {response.status}")

    def on_page(page: Page) -> None:
        page.on("console", on_console)
        page.on("pageerror", lambda error: log.errors.append(str(error)))
        page.on("response", on_response)
        page.on("requestfailed",
                lambda request: log.broken.append(f"{request.url}: {request.failure}"))

    context.on("page", on_page)


@pytest.mark.parametrize("site_page", ALL_PAGES, ids=lambda p: p.key)
def test_page_loads_without_errors(
        new_context: Callable[..., BrowserContext], site_url: str,
        site_page: SitePage) -> None:
    """The root page is followed to where it sends the reader, so both are checked."""
    log = PageLog()
    context = new_context()
    watch(context, log, expected_404=site_url + site_page.path if site_page.status == 404
          else None)
    network = NetworkActivity(context)
    page = open_page(context, site_page, stay=False)
    if site_page.is_root:
        page.wait_for_url(f"**/{DEFAULT_LANGUAGE}/")
    network.settle(page)
    problems = log.problems()
    assert not problems, f"{site_page.path}:\n  " + "\n  ".join(problems)


def test_watch_catches_console_errors_and_csp_violations(
        new_context: Callable[..., BrowserContext], site_url: str) -> None:
    """The watch itself works: an inline script on a page whose policy forbids it is
    reported both as a CSP violation and on the console; an exception is reported too."""
    log = PageLog()
    context = new_context()
    watch(context, log)
    network = NetworkActivity(context)
    page = context.new_page()
    page.route(f"{site_url}/csp-probe/", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": "default-src 'none'"},
        body='<!DOCTYPE html><html lang="en"><title>probe</title><script>1</script></html>'))
    page.goto("/csp-probe/")
    network.settle(page)
    page.evaluate("() => setTimeout(() => { throw new Error('probe'); })")
    page.wait_for_timeout(100)
    assert [v["directive"] for v in log.csp] == ["script-src-elem"]
    assert any("Content Security Policy" in line for line in log.console), log.console
    assert any("probe" in line for line in log.errors), log.errors
