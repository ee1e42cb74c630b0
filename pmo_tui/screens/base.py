"""The screens' base classes: `self.app` is the PmoApp, with its store, its day and its ways in.

Textual types a screen's `app` as any App; every screen here runs in PmoApp and calls on it
(`self.app.store`, `self.app.today`, `self.app.open_kpi(...)`). `getters.app`, as Textual's own
MessagePump does, tells the type checker which app that is; at run time it is Textual's `app`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual import getters

    from pmo_tui.app import PmoApp

ResultType = TypeVar("ResultType")


class PmoScreen(Screen[ResultType]):
    """A full screen of pmo's: an area, a detail, the check-in card."""

    if TYPE_CHECKING:
        app = getters.app(PmoApp)


class PmoModalScreen(ModalScreen[ResultType]):
    """A screen of pmo's over the area: a form, a question, a list to pick from."""

    if TYPE_CHECKING:
        app = getters.app(PmoApp)


class ShowsStoreData(PmoScreen[ResultType]):
    """A screen that reads from the store, and again only when something was committed. Set
    `shown_version` to the `Store.data_version()` taken *before* the read that is shown: a
    commit during the read then still counts as a change, and the screen reads again next time."""

    shown_version: int | None = None

    def data_is_stale(self) -> bool:
        return self.shown_version is None or self.shown_version != self.app.store.data_version()

    def is_reading(self, group: str) -> bool:
        """A read by this screen in worker group `group` is under way."""
        return any(
            worker.group == group and worker.node is self and not worker.is_finished
            for worker in self.workers
        )
