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

# How long a screen waits for its read under way before it looks at a commit again (seconds).
FOLLOW_AGAIN = 0.2


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
    commit during the read then still counts as a change, and the screen reads again next time.

    A commit by anyone (another session's too) reaches the screen in sight within seconds
    (PmoApp.look_for_changes calls follow_changes); a screen out of sight reads again when it
    is shown (each one's on_screen_resume)."""

    shown_version: int | None = None
    # The worker group of the screen's read (see follow_changes).
    READ_GROUP = ""

    def data_is_stale(self) -> bool:
        return self.shown_version is None or self.shown_version != self.app.store.data_version()

    def read_again(self) -> None:
        """Read what the screen shows again, keeping the user's place (the cursor on the same
        record, the scroll, the filters): each screen says how."""
        raise NotImplementedError

    def follow_changes(self) -> None:
        """Something was committed (PmoApp.look_for_changes): show it, if it changes what is shown.
        A read under way may have begun before the commit: looked at again once it is done."""
        if self.is_reading(self.READ_GROUP):
            self.set_timer(FOLLOW_AGAIN, self.follow_changes)
        elif self.shown_version is not None and self.data_is_stale():
            self.read_again()

    def action_reload(self) -> None:
        """Key r: read again now, whether or not anything is known to have changed."""
        self.read_again()

    def is_reading(self, group: str) -> bool:
        """A read by this screen in worker group `group` is under way."""
        return any(
            worker.group == group and worker.node is self and not worker.is_finished
            for worker in self.workers
        )
