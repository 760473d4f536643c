"""Arabic, added as README.md says, is laid out right to left in a real browser.

The site is the shipped one plus Arabic (tests/new_language.py runs the README's steps);
each Arabic page is compared with its English twin: the header's brand and navigation
swap sides, text starts at the right, charts run from right to left; and the Arabic pages
fit a phone and a desktop screen without sideways scrolling and pass axe-core."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
from new_language import LANG, arabic_site

from .conftest import context_factory
from .pageutil import open_page
from .server import serve
from .site import SitePage, pages_in
from .test_accessibility import describe
from .test_layout import FIND_OVERFLOW, VIEWPORTS

if TYPE_CHECKING:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser, BrowserContext, Page

ARABIC_PAGES = pages_in(LANG)
HUE = "hue"  # a fact sheet with bar charts


@pytest.fixture(scope="module")
def arabic_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = arabic_site(tmp_path_factory.mktemp("rtl") / "site")
    with serve(site / "dist") as url:
        yield url


@pytest.fixture
def context(browser: Browser, arabic_url: str) -> Iterator[Callable[..., BrowserContext]]:
    with context_factory(browser, arabic_url) as make:
        yield make


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not visible on {page.url}"
    return found


def text_box(page: Page, selector: str) -> dict[str, float]:
    """Where the text of an element is drawn (not the element's box, which spans the
    line in both directions)."""
    return page.evaluate("""(selector) => {
      const el = document.querySelector(selector);
      const range = document.createRange();
      range.selectNodeContents(el);
      const text = range.getBoundingClientRect(), own = el.getBoundingClientRect();
      return {textLeft: text.left, textRight: text.right, left: own.left, right: own.right};
    }""", selector)


def test_header_and_text_are_mirrored(context: Callable[..., BrowserContext]) -> None:
    made = context(viewport={"width": 1280, "height": 800})
    english = open_page(made, SitePage("en/hue", f"/en/{HUE}/", "en", "fact-sheet"))
    arabic = open_page(made, SitePage(f"{LANG}/hue", f"/{LANG}/{HUE}/", LANG, "fact-sheet"))
    assert english.evaluate("getComputedStyle(document.body).direction") == "ltr"
    assert arabic.evaluate("getComputedStyle(document.body).direction") == "rtl"

    # The brand starts the header: on the left in English, on the right in Arabic.
    assert box(english, ".brand")["x"] < box(english, ".language-switcher")["x"]
    assert box(arabic, ".brand")["x"] > box(arabic, ".language-switcher")["x"]
    bar = box(arabic, ".site-header .bar")
    brand = box(arabic, ".brand")
    assert bar["x"] + bar["width"] - (brand["x"] + brand["width"]) < 40

    # Headings and table cells start at the right edge in Arabic.
    for page, rtl in ((english, False), (arabic, True)):
        for selector in ("h1", "h2", "thead th"):
            where = text_box(page, selector)
            if rtl:
                assert where["right"] - where["textRight"] < 16, (selector, where)
                assert where["textLeft"] - where["left"] > 16, (selector, where)
            else:
                assert where["textLeft"] - where["left"] < 16, (selector, where)


def test_charts_run_from_right_to_left(context: Callable[..., BrowserContext]) -> None:
    made = context(viewport={"width": 1280, "height": 800})
    for lang, rtl in (("en", False), (LANG, True)):
        page = open_page(made, SitePage(f"{lang}/hue", f"/{lang}/{HUE}/", lang, "fact-sheet"))
        label = box(page, "svg.chart-bars text.label")
        bar = box(page, "svg.chart-bars rect.bar")
        value = box(page, "svg.chart-bars text.value")
        if rtl:
            assert label["x"] > bar["x"] + bar["width"] - 1 > value["x"], (label, bar, value)
        else:
            assert label["x"] + label["width"] < bar["x"] + 1 < value["x"], (label, bar, value)
        page = open_page(made, SitePage(f"{lang}/binh-duong", f"/{lang}/binh-duong/", lang,
                                        "fact-sheet"))
        timeline = page.locator("svg.chart-timeline text.axis")
        first, last = timeline.first.bounding_box(), timeline.last.bounding_box()
        assert first and last
        assert (first["x"] > last["x"]) == rtl  # the earliest year is where time starts


@pytest.mark.parametrize("device", VIEWPORTS)
@pytest.mark.parametrize("site_page", ARABIC_PAGES, ids=lambda p: p.key)
def test_arabic_page_fits_the_screen(context: Callable[..., BrowserContext],
                                     site_page: SitePage, device: str) -> None:
    options = VIEWPORTS[device]
    width = options["viewport"]["width"]
    page = open_page(context(**options), site_page)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    problems = [f"{item['selector']} spans x={item['left']}..{item['right']}: {item['text']!r}"
                for item in page.evaluate(FIND_OVERFLOW, width)]
    assert scroll_width <= width and not problems, (
        f"{site_page.path} at {width} px: scrollWidth {scroll_width}; " + "; ".join(problems))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("site_page", ARABIC_PAGES, ids=lambda p: p.key)
def test_arabic_page_has_no_accessibility_violations(
        context: Callable[..., BrowserContext], axe: Axe, site_page: SitePage,
        scheme: str) -> None:
    page = open_page(context(color_scheme=scheme), site_page)
    violations = axe.run(page).response["violations"]
    assert not violations, (f"{site_page.path} ({scheme}): {len(violations)} axe rule(s) "
                            f"violated:\n{describe(violations)}")

