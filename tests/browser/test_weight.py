"""Every page stays light: everything it loads (HTML, CSS, JS, SVG, images) adds up to
less than 100 KB, measured as the bytes the browser actually received for that page in a
fresh context (no cache)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from .pageutil import NetworkActivity, open_page
from .site import ALL_PAGES, SitePage

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Response

BUDGET = 100 * 1024


@pytest.mark.parametrize("site_page", ALL_PAGES, ids=lambda p: p.key)
def test_page_weight_is_under_budget(
        new_context: Callable[..., BrowserContext], site_page: SitePage) -> None:
    context = new_context()
    responses: list[Response] = []
    context.on("response", lambda response: responses.append(response))
    network = NetworkActivity(context)
    page = open_page(context, site_page)
    network.settle(page)

    sizes: list[tuple[int, str, str]] = []
    for response in responses:
        if response.status == 204:  # the held root page's answer to its own redirect
            continue
        body = response.body()
        sizes.append((len(body), response.headers.get("content-type", "?"), response.url))
    total = sum(size for size, _, _ in sizes)
    assert any(url.endswith(site_page.path) for _, _, url in sizes), "the page itself"
    breakdown = "\n  ".join(f"{size:>7,} B  {kind:<32} {url}"
                            for size, kind, url in sorted(sizes, reverse=True))
    assert total < BUDGET, (f"{site_page.path} loads {total:,} bytes, budget {BUDGET:,}:\n  "
                            f"{breakdown}")
