"""A KPI's history as a plotext chart, with its target and warning lines (or its band's two
lines) and the forecast."""

from __future__ import annotations

from datetime import date, timedelta

from textual.color import Color
from textual_plotext import PlotextPlot

from pmo_tui.calculations import cadence_days
from pmo_tui.chart_geometry import nice_domain
from pmo_tui.records import KpiDetail

DATE_FORM = "Y-m-d"


def _iso(day: date) -> str:
    return day.isoformat()


def thin_points(points: list[tuple[date, float]], limit: int) -> list[tuple[date, float]]:
    """At most about `limit` of the points, in order: the first and last, and the lowest and
    highest of each of `limit // 2` equal stretches in between."""
    if len(points) <= limit or limit < 4:
        return points
    inner = points[1:-1]
    stretches = max(1, (limit - 2) // 2)
    size = len(inner) / stretches
    kept = [points[0]]
    for index in range(stretches):
        stretch = inner[int(index * size) : int((index + 1) * size)]
        if not stretch:
            continue
        low = min(range(len(stretch)), key=lambda i: stretch[i][1])
        high = max(range(len(stretch)), key=lambda i: stretch[i][1])
        kept += [stretch[i] for i in sorted({low, high})]
    kept.append(points[-1])
    return kept


def day_axis(first: date, last: date, cadence: str) -> tuple[date, date] | None:
    """The x axis for a chart that would span a single day (one measurement, no forecast): a
    period of the KPI's cadence either side, so plotext does not stretch it over a century."""
    if first != last:
        return None
    period = timedelta(days=cadence_days(cadence))
    return first - period, last + period


def value_axis(values: list[float]) -> tuple[float, float] | None:
    """The y axis for a chart whose values are all the same: a round band around them."""
    if not values or min(values) != max(values):
        return None
    return nice_domain(values)


class KpiChart(PlotextPlot):
    """Measurements as a line, target and warning as flat lines, forecast to the quarter's end."""

    def _rgb(self, variable: str) -> tuple[int, int, int]:
        """A theme colour for plotext, so the chart follows the app's theme."""
        return Color.parse(self.app.theme_variables.get(variable, "white")).rgb

    def clear(self) -> None:
        self.plt.clear_figure()
        self.refresh()

    def show(self, detail: KpiDetail) -> None:
        plt = self.plt
        plt.clear_figure()
        plt.date_form(DATE_FORM)
        summary = detail.summary
        points = [(m.period, m.value) for m in detail.measurements]
        if not points:
            plt.title("no measurements yet")
            self.refresh()
            return
        # Braille draws two dots per cell: more points than that only cost time (plotext reads
        # every date); the lowest and highest of each stretch are kept, so no spike is lost.
        drawn = thin_points(points, 2 * max(self.size.width, self.app.size.width))
        days = [_iso(day) for day, _ in drawn]
        span = [days[0], _iso(detail.forecast[-1][0]) if detail.forecast else days[-1]]
        around = day_axis(drawn[0][0], date.fromisoformat(span[-1]), summary.cadence)
        if around is not None:
            # The reference lines then run across the whole axis, not as one dot.
            span = [_iso(around[0]), _iso(around[1])]
            plt.xlim(span[0], span[1])  # type: ignore[arg-type]  # plotext reads date strings here
        # Reference lines first, so the measured line is drawn over them where they meet.
        if summary.target is not None:
            plt.plot(span, [summary.target] * 2, marker="braille", color=self._rgb("success"))
        if summary.warning is not None:
            plt.plot(span, [summary.warning] * 2, marker="braille", color=self._rgb("warning"))
        for bound in summary.band or ():
            plt.plot(span, [bound] * 2, marker="braille", color=self._rgb("success"))
        if detail.forecast:
            forecast = [points[-1], *detail.forecast]
            plt.plot(
                [_iso(d) for d, _ in forecast],
                [v for _, v in forecast],
                marker="dot",
                color=self._rgb("foreground"),
            )
        # No plotext legend: it would cover the line; the screen prints one beneath the chart.
        plt.plot(days, [v for _, v in drawn], marker="braille", color=self._rgb("primary"))
        lines = [v for v in (summary.target, summary.warning) if v is not None] + list(summary.band or ())
        flat = value_axis([v for _, v in drawn] + lines)
        if flat is not None:
            plt.ylim(*flat)
        self.refresh()


# The chart's legend, in the same theme colours as the lines.
LEGEND = (
    ("━ measured  ", "$primary"),
    ("━ target  ", "$success"),
    ("━ warning  ", "$warning"),
    ("• forecast to the quarter's end", "$foreground"),
)
# A band KPI's legend: its two lines in place of the target and warning lines.
BAND_LEGEND = (LEGEND[0], ("━ band  ", "$success"), LEGEND[3])
