"""The command palette's provider: jump to any project, KPI or objective by name or code."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.worker import WorkerFailed

from pmo_tui.formatting import literal
from pmo_tui.records import SearchTarget

if TYPE_CHECKING:
    from pmo_tui.app import PmoApp

KIND_LABELS = {"project": "Project", "kpi": "KPI", "objective": "Objective"}
# What choosing a hit does, said in the palette.
KIND_HELP = {
    "project": "Open its detail: figures and status updates",
    "kpi": "Open its detail",
    "objective": "Show it with its key results in the OKRs",
}


def highlight_literal(matcher: Matcher, label: Content) -> Content:
    """Mark the matched letters without reading the label as markup (Matcher.highlight would)."""
    _score, offsets = matcher.fuzzy_search.match(matcher.query, label.plain)
    for offset in offsets:
        if not label.plain[offset].isspace():
            label = label.stylize(matcher.match_style, offset, offset + 1)
    return label


class JumpProvider(Provider):
    """Finds projects, KPIs and objectives; reads the database once per palette opening."""

    if TYPE_CHECKING:

        @property
        def app(self) -> PmoApp: ...

    async def startup(self) -> None:
        worker = self.app.run_worker(self.app.store.search_targets, thread=True, exit_on_error=False)
        try:
            self.targets: list[SearchTarget] = await worker.wait()
        except WorkerFailed:  # said by the app's one failure handler; the palette still works
            self.targets = []

    def _label(self, target: SearchTarget) -> Content:
        return Content(f"{KIND_LABELS[target.kind]}: {literal(target.code)} — {literal(target.title)}")

    async def discover(self) -> Hits:
        for target in self.targets:
            yield DiscoveryHit(
                self._label(target),
                partial(self.app.jump_to, target.kind, target.code),
                help=KIND_HELP[target.kind],
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for target in self.targets:
            label = self._label(target)
            score = matcher.match(label.plain)
            if score > 0:
                yield Hit(
                    score,
                    highlight_literal(matcher, label),
                    partial(self.app.jump_to, target.kind, target.code),
                    help=KIND_HELP[target.kind],
                )
