"""Static SVG charts drawn at build time: a recognition timeline and bar charts.

Readers see a picture without JavaScript, and nothing is fetched: the SVG is inlined in
the page, coloured by the site's stylesheet through class names (so dark mode and print
apply), and carries its own text alternative (``<title>`` and ``<desc>``, referenced by
``aria-labelledby``). This module only does geometry: every string it draws arrives
already translated and formatted for the page's language, and right-to-left pages get a
mirrored chart (time runs from right to left).

Text cannot be measured at build time, so widths are estimated from character classes
(wide East Asian characters, combining marks, the rest); the SVG keeps its natural size
on wide screens and scales down on narrow ones (``max-width: 100%`` in the stylesheet).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from sitegen.safe import escape, trusted

FONT = 14  # px at the chart's natural size; the stylesheet sets the same size
PAD = 8


@functools.lru_cache(maxsize=8192)
def text_width(text: str, size: float = FONT) -> float:
    """A generous estimate of how wide ``text`` renders, in px."""
    width = 0.0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.0
        elif char == " ":
            width += 0.3
        else:
            width += 0.62
    return width * size


@functools.lru_cache(maxsize=8192)
def _n(value: float) -> str:
    """Coordinates with at most one decimal: short and deterministic."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


class _Canvas:
    """Collects SVG elements, mirroring x for right-to-left pages."""

    def __init__(self, width: float, rtl: bool) -> None:
        self.width = width
        self.rtl = rtl
        self.parts: list[str] = []

    def x(self, x: float) -> float:
        return self.width - x if self.rtl else x

    def line(self, x1: float, y1: float, x2: float, y2: float, cls: str) -> None:
        self.parts.append(f'<line class="{cls}" x1="{_n(self.x(x1))}" y1="{_n(y1)}" '
                          f'x2="{_n(self.x(x2))}" y2="{_n(y2)}"/>')

    def circle(self, cx: float, cy: float, r: float, cls: str) -> None:
        self.parts.append(f'<circle class="{cls}" cx="{_n(self.x(cx))}" cy="{_n(cy)}" '
                          f'r="{_n(r)}"/>')

    def rect(self, x: float, y: float, w: float, h: float, cls: str) -> None:
        left = self.x(x + w) if self.rtl else x
        self.parts.append(f'<rect class="{cls}" x="{_n(left)}" y="{_n(y)}" '
                          f'width="{_n(w)}" height="{_n(h)}"/>')

    def text(self, x: float, y: float, text: str, anchor: str, cls: str = "") -> None:
        """``anchor`` is logical: 'start' and 'end' follow the page's direction, which
        the inline SVG inherits, so labels mirror with the chart."""
        klass = f' class="{cls}"' if cls else ""
        self.parts.append(f'<text{klass} x="{_n(self.x(x))}" y="{_n(y)}" '
                          f'text-anchor="{anchor}">{escape(text)}</text>')

    def svg(self, chart_id: str, kind: str, height: float, title: str, desc: str) -> Markup:
        w, h = _n(self.width), _n(height)
        head = (f'<svg class="chart chart-{kind}" id="{escape(chart_id)}" role="img" '
                f'width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
                f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
                'xmlns="http://www.w3.org/2000/svg">'
                f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
                f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>')
        return trusted(head + "".join(self.parts) + "</svg>")


@dataclass(frozen=True)
class TimelineRow:
    """One stage of a programme and the years a community reached it."""

    label: str
    years: frozenset[int]


def timeline(chart_id: str, rows: Sequence[TimelineRow], year_label: Callable[[int], str],
             title: str, desc: str, rtl: bool = False) -> Markup:
    """A grid of years (columns) by stages (rows) with a mark where a stage was reached.

    Every year between the first and the last is shown, so gaps are visible. Each
    stage's name sits on its own line above its marks, so a long translated name does
    not push the grid off a phone's screen."""
    years = sorted(set().union(*(row.years for row in rows)))
    span = list(range(years[0], years[-1] + 1)) if years else []
    labels = {year: year_label(year) for year in span}
    col_w = max([44.0, *(text_width(text) + PAD * 2 for text in labels.values())])
    label_h, marks_h, top = 20, 26, 26
    row_h = label_h + marks_h
    inner = max([col_w * len(span), *(text_width(row.label) for row in rows)])
    width = PAD + inner + PAD
    height = top + row_h * len(rows) + PAD / 2
    canvas = _Canvas(width, rtl)
    for i, year in enumerate(span):
        canvas.text(PAD + col_w * (i + 0.5), 18, labels[year], "middle", "axis")
    for r, row in enumerate(rows):
        y = top + row_h * r
        canvas.text(PAD, y + label_h - 4, row.label, "start", "label")
        middle = y + label_h + marks_h / 2
        canvas.line(PAD, middle, PAD + col_w * len(span), middle, "grid")
        for i, year in enumerate(span):
            x = PAD + col_w * (i + 0.5)
            if year in row.years:
                canvas.circle(x, middle, 9, f"mark series-{r}")
            else:
                canvas.circle(x, middle, 3, "empty")
    return canvas.svg(chart_id, "timeline", height, title, desc)


@dataclass(frozen=True)
class Bar:
    """One dated value: its date label, raw value, formatted value and whether it is a
    target rather than a reached value (drawn hollow)."""

    label: str
    value: float
    text: str
    target: bool = False


def bars(chart_id: str, items: Sequence[Bar], title: str, desc: str,
         rtl: bool = False) -> Markup:
    """Horizontal bars, one per dated value, labelled with the date and the value.

    Horizontal bars keep long, translated labels readable on a phone."""
    label_w = max((text_width(item.label) for item in items), default=0) + 2 * PAD
    text_w = max((text_width(item.text) for item in items), default=0) + 2 * PAD
    bar_area, row_h, bar_h = 240.0, 32, 20
    low = min([0.0, *(item.value for item in items)])
    high = max([0.0, *(item.value for item in items)])
    scale = bar_area / (high - low) if high > low else 0.0
    origin = PAD + label_w + (-low) * scale
    width = PAD + label_w + bar_area + text_w + PAD
    height = row_h * len(items) + PAD * 2
    canvas = _Canvas(width, rtl)
    for i, item in enumerate(items):
        y = PAD + row_h * i
        middle = y + row_h / 2 + FONT * 0.35
        canvas.text(PAD + label_w - PAD, middle, item.label, "end", "label")
        start = min(origin, origin + item.value * scale)
        length = abs(item.value * scale)
        canvas.rect(start, y + (row_h - bar_h) / 2, max(length, 1.0), bar_h,
                    "bar target" if item.target else "bar")
        canvas.text(max(origin, start + length) + PAD / 2, middle, item.text, "start",
                    "value")
    canvas.line(origin, PAD / 2, origin, height - PAD / 2, "axis-line")
    return canvas.svg(chart_id, "bars", height, title, desc)
