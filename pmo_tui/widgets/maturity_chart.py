"""The stage of each maturity dimension as a plotext bar chart."""

from __future__ import annotations

from textual.color import Color
from textual_plotext import PlotextPlot

from pmo_tui.maturity import MaturityResult


class MaturityChart(PlotextPlot):
    """One bar per dimension from 0 to 5, in the order of the question bank."""

    def show(self, result: MaturityResult) -> None:
        plt = self.plt
        plt.clear_figure()
        # Numbered as in the table beside (plotext's horizontal bars misplace their labels when
        # the chart is short, and names overlap at 80 columns): vertical bars.
        rated = [(str(n), d.score) for n, d in enumerate(result.dimensions, start=1) if d.score is not None]
        if not rated:
            plt.title("no answers yet")
            self.refresh()
            return
        colour = Color.parse(self.app.theme_variables.get("primary", "blue")).rgb
        plt.bar([n for n, _ in rated], [round(score, 2) for _, score in rated], color=colour, width=0.6)
        plt.ylim(0, 5)
        plt.yticks([1, 2, 3, 4, 5])
        self.refresh()
