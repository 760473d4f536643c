"""axe-core finds no accessibility violation on any page, in light or dark colours.

Dark mode is a separate run because the stylesheet changes every colour under
``prefers-color-scheme: dark``, so contrast has to hold twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from .pageutil import open_page
from .site import ALL_PAGES, SitePage

if TYPE_CHECKING:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import BrowserContext


def describe(violations: list[dict[str, Any]]) -> str:
    """One block per rule: id, impact, help text and link, then each offending element's
    selector and axe's summary of what to fix."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} "
                     f"<{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " ".join(" >>> ".join(t) if isinstance(t, list) else t
                              for t in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("site_page", ALL_PAGES, ids=lambda p: p.key)
def test_no_accessibility_violations(
        new_context: Callable[..., BrowserContext], axe: Axe,
        site_page: SitePage, scheme: str) -> None:
    page = open_page(new_context(color_scheme=scheme), site_page)
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (
        scheme == "dark")
    violations = axe.run(page).response["violations"]
    assert not violations, (f"{site_page.path} ({scheme}): {len(violations)} axe rule(s) "
                            f"violated:\n{describe(violations)}")


def test_axe_reports_a_known_violation(
        new_context: Callable[..., BrowserContext], axe: Axe) -> None:
    """The check can fail: an image without a text alternative and faint text are found."""
    page = new_context().new_page()
    page.set_content('<!DOCTYPE html><html lang="en"><title>t</title><main>'
                     '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
                     '<p style="color:#ccc;background:#fff">faint</p></main></html>')
    found = {violation["id"] for violation in axe.run(page).response["violations"]}
    assert {"image-alt", "color-contrast"} <= found, found
