"""No page scrolls sideways, on a 320 px phone or a desktop screen, in any language.

Every page type is screenshotted full-page in every language (kept with
``SITEGEN_SCREENSHOTS=<dir>``, for a person to look at) and measured three ways: the
screenshot is exactly as wide as the viewport, the document is no wider than the viewport,
and no visible element sticks out past its edges, except inside an element made to scroll
sideways (``overflow-x: auto``, as around wide tables)."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .pageutil import open_page
from .site import ALL_PAGES, SitePage

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}

# Visible elements whose box leaves the viewport and is not clipped by an element made to
# scroll sideways; outermost only (a sticking-out table is reported once, not with every
# cell). An absolutely positioned element escapes the clipping of every ancestor up to its
# containing block, so a scroller only counts if it is on that chain. An element entirely
# left of the page (right edge at or before 0) is the usual way to hide something until it
# gets focus, like the skip link, and cannot widen the page; it is not counted.
FIND_OVERFLOW = """
(width) => {
  const selector = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
      if (e.id) { parts.unshift("#" + CSS.escape(e.id)); break; }
      let part = e.localName;
      if (e.classList.length) part += "." + [...e.classList].map((c) => CSS.escape(c)).join(".");
      const same = [...(e.parentElement ? e.parentElement.children : [])]
        .filter((s) => s.localName === e.localName);
      if (same.length > 1) part += `:nth-of-type(${same.indexOf(e) + 1})`;
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  const style = (el) => getComputedStyle(el);
  const holdsAbsolute = (el) => style(el).position !== "static" || style(el).transform !== "none"
    || style(el).filter !== "none" || /paint|layout|strict|content/.test(style(el).contain);
  const clippedByScroller = (el) => {
    for (let node = el; node && node !== document.body;) {
      const position = style(node).position;
      if (position === "fixed") return false;
      let parent = node.parentElement;
      if (position === "absolute") {
        while (parent && parent !== document.body && !holdsAbsolute(parent)) {
          parent = parent.parentElement;
        }
      }
      if (!parent || parent === document.body) return false;
      if (["auto", "scroll"].includes(style(parent).overflowX)) return true;
      node = parent;
    }
    return false;
  };
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (style(el).visibility !== "visible") continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const left = box.left + window.scrollX, right = box.right + window.scrollX;
    if (right <= 0 || (left >= -0.5 && right <= width + 0.5)) continue;
    if (!clippedByScroller(el)) found.push({el, left, right});
  }
  return found
    .filter((f) => !found.some((o) => o.el !== f.el && o.el.contains(f.el)))
    .map((f) => ({
      selector: selector(f.el),
      left: Math.round(f.left), right: Math.round(f.right),
      text: (f.el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60),
    }));
}
"""


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, which always comes first."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("device", VIEWPORTS)
@pytest.mark.parametrize("site_page", ALL_PAGES, ids=lambda p: p.key)
def test_page_fits_the_screen(
        new_context: Callable[..., BrowserContext], screenshot_dir: Path,
        site_page: SitePage, device: str) -> None:
    options = VIEWPORTS[device]
    width, height = options["viewport"]["width"], options["viewport"]["height"]
    page = open_page(new_context(**options), site_page)
    page.evaluate("document.fonts.ready.then(() => true)")
    name = f"{site_page.key.replace('/', '-')}-{device}-{width}x{height}.png"
    shot = page.screenshot(path=screenshot_dir / name, full_page=True)

    problems = []
    shot_width, _ = png_size(shot)
    if shot_width != width:
        problems.append(f"full-page screenshot is {shot_width} px wide, viewport {width} px")
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > width:
        problems.append(f"document.documentElement.scrollWidth {scroll_width} > {width}")
    if inner_width != width:
        problems.append(f"innerWidth {inner_width} != {width} (the phone zoomed out to fit?)")
    for item in page.evaluate(FIND_OVERFLOW, width):
        problems.append(f"{item['selector']} spans x={item['left']}..{item['right']}: "
                        f"{item['text']!r}")
    assert not problems, (f"{site_page.path} at {width}x{height} ({device}) overflows "
                          f"sideways; screenshot {screenshot_dir / name}:\n  "
                          + "\n  ".join(problems))


def test_overflow_finder_reports_what_sticks_out(
        new_context: Callable[..., BrowserContext]) -> None:
    """The element check can fail: a too-wide block and an absolutely positioned element
    that escapes its scroller are reported; a wide table inside a scroller, and the skip
    link parked left of the page, are not."""
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    page.set_content("""<!DOCTYPE html><html lang="en"><title>t</title><body style="margin:0">
      <a class="skip" href="#m" style="position:absolute;left:-999px">skip</a>
      <div id="wide" style="width:500px">wide</div>
      <div class="table-wrap" style="overflow-x:auto">
        <table style="width:900px"><tr><td>cell
          <span id="escapee" style="position:absolute;width:1px;height:1px;margin-left:700px"
          >hidden</span></td></tr></table></div></body></html>""")
    found = [item["selector"] for item in page.evaluate(FIND_OVERFLOW, 320)]
    assert found == ["#wide", "#escapee"], found
