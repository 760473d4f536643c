"""The words of the charts: translated titles, formatted labels and text alternatives.

:mod:`sitegen.charts` only draws; this module gives it every string already translated
and formatted for the page's language (years in the page's calendar, values worded by the
same helper as the tables, lists joined by CLDR list patterns), so a chart says exactly
what the table beside it says.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from sitegen import charts
from sitegen.model import Community, DatedValue, Figure, Program, Recognition, by_date
from sitegen.snippets import Snippets


class ChartLabels:
    """Chart helpers of one language, exposed to templates by name."""

    def __init__(self, snippets: Snippets, gettext: Callable[[str], str],
                 programs: dict[str, Program],
                 recognitions: Callable[[Community], list[Recognition]],
                 plain: Callable[..., str]) -> None:
        self.snippets = snippets
        self.fmt = snippets.fmt
        self.gettext = gettext
        self.programs = programs
        self.recognitions = recognitions
        self.plain = plain
        self.rtl = self.fmt.direction == "rtl"

    def timeline_chart(self, community: Community) -> Markup:
        """Every stage of each programme the community was recognised by, one row each,
        with a mark for each year it reached that stage."""
        rows = []
        for program_id in dict.fromkeys(r.program for r in self.recognitions(community)):
            program = self.programs[program_id]
            for stage in program.stages:
                years = frozenset(r.year for r in community.recognitions
                                  if r.program == program_id and r.stage == stage.id)
                rows.append(charts.TimelineRow(self.plain(stage.name), years))
        # Translators: one line of a chart's text alternative: a stage and the years it
        # was reached, e.g. "Top 7: 2021, 2022 and 2023"
        described = [self.gettext("%(stage)s: %(years)s") % {
            "stage": row.label, "years": self.fmt.list([self.fmt.year(y)
                                                         for y in sorted(row.years)])}
            for row in rows if row.years]
        return charts.timeline("chart-recognitions", rows, self.fmt.year,
                               self.gettext("Recognitions by year"), "; ".join(described),
                               rtl=self.rtl)

    def values_chart(self, chart_id: str, title: str, values: tuple[DatedValue, ...],
                     number: Callable[[DatedValue], Markup]) -> Markup:
        """Bars for a series of dated values; ``number`` words a value with its qualifier
        and unit ("more than 200"), as the table does."""
        items, described = [], []
        for value in by_date(values):
            text = number(value).striptags()
            target = value.status == "target"
            if target:
                # Translators: a target value in a chart, e.g. "15% (target)"
                text = self.gettext("%(value)s (target)") % {"value": text}
            items.append(charts.Bar(self.fmt.date(value.as_of, short=True), value.value,
                                    text, target))
            # Translators: a chart's text alternative, one dated value: "13% in 2025"
            described.append(self.gettext("%(value)s in %(date)s") % {
                "value": text, "date": self.fmt.date(value.as_of)})
        return charts.bars(chart_id, items, title, "; ".join(described), rtl=self.rtl)

    def figure_chart(self, figure: Figure) -> Markup:
        return self.values_chart(
            f"chart-{figure.id}", self.plain(figure.label), figure.values,
            lambda value: self.snippets.number(value, figure.format, figure.unit))

    def members_chart(self, program: Program) -> Markup:
        return self.values_chart("chart-members", self.gettext("Members over time"),
                                 program.members, self.snippets.number)

    def helpers(self) -> dict[str, Callable[..., Markup]]:
        return {"timeline_chart": self.timeline_chart, "figure_chart": self.figure_chart,
                "members_chart": self.members_chart}
