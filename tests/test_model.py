"""The model's helpers that templates call in place of Jinja filters."""

from __future__ import annotations

import jinja2

from sitegen.model import DatedValue, Figure, PartialDate, Text

LABEL = Text((("en", "Population"),))


def value(year: int, month: int | None = None, number: float = 1.0,
          status: str = "actual") -> DatedValue:
    return DatedValue(number, PartialDate(year, month), ("src",), status=status)


def test_by_date_is_what_the_sort_filter_gives() -> None:
    """Oldest first, a year before the months in it, and values of the same date in the
    order written: exactly Jinja's ``values|sort(attribute="as_of")``."""
    values = (value(2021, number=1), value(2019, 5, number=2), value(2019, number=3),
              value(2021, number=4), value(2020, 12, number=5))
    figure = Figure("people", LABEL, values)
    env = jinja2.Environment()
    sorted_by_jinja = env.from_string(
        "{% for v in values|sort(attribute='as_of') %}{{ v.value }} {% endfor %}"
    ).render(values=values)
    by_date = figure.by_date()
    assert [v.value for v in by_date] == [3, 2, 5, 1, 4]
    assert " ".join(str(v.value) for v in by_date) + " " == sorted_by_jinja
    assert figure.values == values  # the figure itself keeps the order written


def test_has_target() -> None:
    assert Figure("f", LABEL, (value(2020), value(2030, status="target"))).has_target()
    assert not Figure("f", LABEL, (value(2020), value(2021))).has_target()
