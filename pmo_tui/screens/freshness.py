"""Which version of the database a screen shows, so that coming back to it costs nothing when
nothing was committed meanwhile."""

from __future__ import annotations


class ShowsStoreData:
    """Mixed into screens that read from the store. Set `shown_version` to the
    `Store.data_version()` taken *before* the read that is shown: a commit during the read then
    still counts as a change, and the screen reads again next time."""

    shown_version: int | None = None

    def data_is_stale(self) -> bool:
        return self.shown_version is None or self.shown_version != self.app.store.data_version()
