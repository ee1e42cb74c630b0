"""Since last review: what changed in the portfolio since the last review marked done, by kind."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from pmo_tui.formatting import literal
from pmo_tui.review import Change, ChangeGroup, Changes, Movement, reference
from pmo_tui.screens.base import ShowsStoreData
from pmo_tui.widgets.cells import tone
from pmo_tui.widgets.footer import KeyFooter

# A group's heading: an id no change's line takes (those are numbers).
GROUP_KEY = "group:"
MOVEMENT_TONES = {
    Movement.WORSE: "error",
    Movement.BETTER: "success",
    Movement.NEW: "accent",
    Movement.CHANGED: "warning",
}


class ReviewScreen(ShowsStoreData):
    """Opened with v on the overview or from the command palette; Esc goes back."""

    # The keys that change the portfolio: on a read-only one they say why they cannot work
    # (PmoApp.run_action).
    WRITE_ACTIONS = frozenset({"mark_done"})
    BINDINGS = [
        Binding("escape", "back", "Back", id="review.back"),
        # Enter is the list's own (it selects the line); named here so the footer shows it.
        Binding("enter", "open", "Open", id="review.open"),
        Binding("d", "mark_done", "Mark review done", id="review.done"),
        Binding("r", "reload", "Refresh", id="review.reload"),
    ]

    class Loaded(Message):
        def __init__(self, changes: Changes) -> None:
            super().__init__()
            self.changes = changes

    def __init__(self) -> None:
        super().__init__(classes="review")
        self.changes: Changes | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content("Since last review · loading…"), id="review-heading", classes="heading")
        yield OptionList(id="review-list")
        yield Static("", id="review-line")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#review-list", OptionList).focus()
        self.load()

    READ_GROUP = "review"

    def read_again(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.changes is not None and self.data_is_stale():
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="review")
    def load(self) -> None:
        version = self.app.store.data_version()
        changes = self.app.store.review_changes(self.app.today)
        if not get_current_worker().is_cancelled:
            self.shown_version = version
            self.post_message(self.Loaded(changes))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        changes = self.changes = message.changes
        count = len(changes.lines)
        worse = sum(line.movement is Movement.WORSE for line in changes.lines)
        summary = (
            f"{count} change{'' if count == 1 else 's'}, {worse} for the worse"
            if count
            else "nothing changed that a review would look at"
        )
        self.query_one("#review-heading", Static).update(
            Content(f"Since last review · {literal(changes.baseline_words)} · {summary}")
        )
        listing = self.query_one("#review-list", OptionList)
        selected = self._selected_key()
        options: list[Option] = []
        index = 0
        for group in ChangeGroup:
            found = changes.group(group)
            if not found:
                continue
            heading = Text(f"{group.heading} ({len(found)})", style="bold")
            options.append(Option(heading, id=f"{GROUP_KEY}{group.value}", disabled=True))
            for line in found:
                options.append(Option(self._prompt(line), id=str(index)))
                index += 1
        listing.set_options(options)
        ids = [option.id for option in options]
        if selected is not None and selected in ids:
            listing.highlighted = ids.index(selected)
        elif len(options) > 1:
            listing.highlighted = 1  # the first change, under its group's heading
        self._show_line()

    def _prompt(self, line: Change) -> Text:
        """One change on one line: direction, record, what, before → after (user text as typed)."""
        movement = tone(self.app, f"  {line.movement.label:<9}", MOVEMENT_TONES[line.movement], bold=True)
        # Missed check-ins are about people: the owner comes first.
        owner = f"{line.owner} · " if line.group is ChangeGroup.MISSED_CHECK_INS and line.owner else ""
        return Text.assemble(
            movement,
            literal(owner),
            (literal(reference(line)), "bold"),
            literal(f" · {line.aspect}: {line.before} → {line.after}"),
        )

    def _selected_key(self) -> str | None:
        listing = self.query_one("#review-list", OptionList)
        if listing.highlighted is None or not listing.option_count:
            return None
        return listing.get_option_at_index(listing.highlighted).id

    def _selected(self) -> Change | None:
        key = self._selected_key()
        if self.changes is None or key is None or key.startswith(GROUP_KEY):
            return None
        lines = [line for group in ChangeGroup for line in self.changes.group(group)]
        return lines[int(key)] if int(key) < len(lines) else None

    @on(OptionList.OptionHighlighted, "#review-list")
    def _highlighted(self) -> None:
        self._show_line()

    def _show_line(self) -> None:
        """The highlighted change in full: what the narrow columns cut."""
        line = self._selected()
        shown = self.query_one("#review-line", Static)
        if line is None:
            shown.update(Content("Enter opens the record of a change; d marks this review done."))
            return
        owner = f" · owner {line.owner}" if line.owner else ""
        shown.update(
            Content.assemble(
                (f"{line.movement.label} ", "bold"),
                (literal(f"{reference(line)} {line.name}"), "bold"),
                literal(f" · {line.aspect}: {line.before} → {line.after}{owner}"),
            )
        )

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.dismiss()

    @on(OptionList.OptionSelected, "#review-list")
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """The record of the highlighted change: a KPI's, key result's or project's detail (a RAID
        item's project)."""
        line = self._selected()
        if line is None:
            return
        if line.record == "kpi":
            self.app.open_kpi(line.code)
        elif line.record == "key_result":
            from pmo_tui.screens.key_result_detail import KeyResultDetailScreen

            self.app.push_screen(KeyResultDetailScreen(line.code))
        elif line.record == "project":
            self.app.open_project(line.code)
        elif line.record == "raid_item" and line.project:
            self.app.open_project(line.project)

    @work(exclusive=True, exit_on_error=False, group="review-action")
    async def action_mark_done(self) -> None:
        if await self.app.confirm_review_done():
            self.load()
