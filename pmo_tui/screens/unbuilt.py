"""An area of the app that this version does not have yet: it says so plainly and does nothing else."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class UnbuiltAreaScreen(Screen):
    """Stands in for an area until it exists, without pretending to work."""

    AREA = ""
    PURPOSE = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Middle(), Center():
            yield Static(
                Content.assemble(
                    (self.AREA, "bold"),
                    "\n\n",
                    self.PURPOSE,
                    "\n\n",
                    ("This area is not available in this version of pmo-tui yet.\n", "$warning"),
                    "Press 1 for the portfolio overview, ? for all keys.",
                ),
                classes="unbuilt",
            )
        yield Footer()


class OkrsScreen(UnbuiltAreaScreen):
    AREA = "OKRs"
    PURPOSE = "Cycles, objectives and key results, the weekly check-in, grading and carry-over."

