"""Printing a fact sheet gives a clean document: no navigation, every source's full
address on paper, and nothing cut off at the page edge.

The page is laid out with the print stylesheet (``emulate_media(media="print")``) at the
width of an A4 sheet's printable area, measured like the screen layouts, and then printed
to PDF by Chromium itself to prove the document really paginates."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from .pageutil import open_page
from .site import ALL_PAGES, SitePage
from .test_layout import FIND_OVERFLOW

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

# A4 is 210 mm wide; the stylesheet's @page margins are 14 mm each side: 182 mm at 96 px
# per inch is 688 px of printable width.
PRINT_WIDTH = round((210 - 2 * 14) / 25.4 * 96)
PRINTED = [page for page in ALL_PAGES if page.kind in {"fact-sheet", "compare", "programme"}]
# Parts of the screen page that have no use on paper.
SCREEN_ONLY = [".site-header", ".skip-link", ".toc", ".site-footer", "#data"]

SOURCE_ADDRESSES = """
() => [...document.querySelectorAll(".sources a[href^='http']")].map((a) => ({
  href: a.href,
  shown: getComputedStyle(a, "::after").content,
}))
"""


@pytest.mark.parametrize("site_page", PRINTED, ids=lambda p: p.key)
def test_printed_page_is_a_clean_document(
        new_context: Callable[..., BrowserContext], site_page: SitePage) -> None:
    context = new_context(viewport={"width": PRINT_WIDTH, "height": 1000})
    page = open_page(context, site_page)
    page.emulate_media(media="print")

    problems = []
    for selector in SCREEN_ONLY:
        for shown in page.locator(selector).evaluate_all(
                "(els) => els.filter((el) => el.getClientRects().length > 0)"
                ".map((el) => el.outerHTML.slice(0, 60))"):
            problems.append(f"{selector} is printed: {shown}")
    for item in page.evaluate(FIND_OVERFLOW, PRINT_WIDTH):
        problems.append(f"{item['selector']} is cut off at x={item['left']}..{item['right']}"
                        f": {item['text']!r}")
    # Scrolling boxes that hide part of their content (a 1 px box is the usual way to hide
    # text for sight but keep it for screen readers, and is left alone).
    clipping = page.evaluate("""() => [...document.querySelectorAll("main *")]
        .filter((el) => ["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX)
                        && el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 1)
        .map((el) => el.className || el.localName)""")
    problems.extend(f"{name} hides part of its content on paper" for name in clipping)

    if site_page.kind == "fact-sheet":
        assert page.locator(".sources li").count(), f"{site_page.path}: no source list"
        for source in page.evaluate(SOURCE_ADDRESSES):
            if source["href"] not in source["shown"]:
                problems.append(f"source {source['href']} is printed without its address "
                                f"(::after is {source['shown']})")
    assert not problems, f"{site_page.path} printed:\n  " + "\n  ".join(problems)

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-"), f"{site_page.path}: Chromium did not print a PDF"
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert pages >= 1, f"{site_page.path}: the PDF has no pages"


def test_screen_layout_shows_what_print_hides(
        new_context: Callable[..., BrowserContext]) -> None:
    """The print check can fail: on screen the navigation is there to be found."""
    fact_sheet = next(page for page in PRINTED if page.kind == "fact-sheet")
    page = open_page(new_context(viewport={"width": PRINT_WIDTH, "height": 1000}), fact_sheet)
    shown = page.locator(".site-header").evaluate_all(
        "(els) => els.filter((el) => el.getClientRects().length > 0).length")
    assert shown == 1


def test_printed_source_shows_its_full_address(
        new_context: Callable[..., BrowserContext]) -> None:
    """Whatever sources the shipped content links, a linked source prints its address:
    a link to a long address is added to a real fact sheet's source list and printed."""
    fact_sheet = next(page for page in PRINTED if page.kind == "fact-sheet")
    page = open_page(new_context(viewport={"width": PRINT_WIDTH, "height": 1000}), fact_sheet)
    address = "https://example.org/" + "a-very-long-path-segment/" * 8 + "article.html"
    page.locator(".sources li").first.evaluate(
        "(li, href) => { const a = document.createElement('a'); a.href = href;"
        " a.textContent = 'Added source'; li.prepend(a); }", address)
    page.emulate_media(media="print")
    shown = page.evaluate(SOURCE_ADDRESSES)
    assert any(item["href"] == address and address in item["shown"] for item in shown), shown
    assert not page.evaluate(FIND_OVERFLOW, PRINT_WIDTH), "the long address sticks out"
