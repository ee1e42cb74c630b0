"""The weekly check-in: one key result at a time, value, confidence digit, comment, Enter, next.

Per key result it takes Enter (value) + a digit (confidence) + Enter (comment): three keys
beyond the typed value. Each check-in is written as soon as it is entered, so Esc never loses one.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Header, Input, Label, Static
from textual.worker import Worker

from pmo_tui.calculations import key_result_progress, same_person
from pmo_tui.formatting import (
    MISSING,
    format_confidence,
    format_percent,
    format_value,
    literal,
    plain_number,
    progress_bar,
    text_sparkline,
)
from pmo_tui.records import CheckInItem, CheckInRecord
from pmo_tui.screens.base import PmoScreen
from pmo_tui.validation import (
    MILESTONE_ACCEPTS,
    InvalidInput,
    accepts,
    check_milestone_value,
    parse_number,
    parse_text,
)
from pmo_tui.widgets.cells import GRADE_TONES, PACE_SYMBOLS, PACE_TONES
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.okr_text import KIND_LABELS, aim_text


class ConfidencePicker(Widget, can_focus=True):
    """Confidence as x/10: a digit sets it and moves on; Enter keeps what is shown."""

    BINDINGS = [
        *(Binding(str(digit), f"choose({digit})", show=False) for digit in range(10)),
        Binding("left,minus", "step(-1)", "Less sure", show=False),
        Binding("right,plus", "step(1)", "More sure", show=False),
        Binding("enter", "keep", "Keep", show=False),
    ]

    class Chosen(Message):
        def __init__(self, picker: ConfidencePicker) -> None:
            super().__init__()
            self.picker = picker

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tenths: int | None = None

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Printable keys belong to the card here as in its text fields: `q` or `?` on the
        picker does not quit or open the keys panel, and the footer shows the same keys on
        every field of the card (a footer that changed would be rebuilt at each field)."""
        return character is not None and character.isprintable()

    def set(self, tenths: int | None) -> None:
        self.tenths = tenths
        self.refresh()

    def render(self) -> Content:
        parts: list[str | tuple[str, str]] = []
        for digit in range(11):
            text = f" {digit} "
            parts.append((text, "reverse bold") if digit == self.tenths else (text, "$text-muted"))
        chosen = f"  {self.tenths}/10" if self.tenths is not None else "  not set: press 0–9"
        return Content.assemble(*parts, (chosen, "bold"))

    def action_choose(self, digit: int) -> None:
        self.set(digit)
        self.post_message(self.Chosen(self))

    def action_step(self, change: int) -> None:
        self.set(max(0, min(10, (self.tenths if self.tenths is not None else 5) + change)))

    def action_keep(self) -> None:
        if self.tenths is not None:
            self.post_message(self.Chosen(self))


def _update(static: Static, content: Content) -> None:
    """New content in place: the screen is laid out again only when the height changes.

    After a layout, a widget whose virtual size changed asks for another one (a second frame);
    the text's virtual size is its new height, given here beforehand.
    """
    static.update(content, layout=False)
    width = static.content_region.width
    height = static.content_region.height
    container = static.parent
    if not width or not isinstance(container, Widget):
        static.refresh(layout=True)
        return
    needed = static.get_content_height(container.size, static.app.size, width)
    if needed != height:
        virtual = static.virtual_size
        static.set_reactive(Widget.virtual_size, Size(virtual.width, virtual.height + needed - height))
        static.refresh(layout=True)


def _set_value(field: Input, text: str) -> None:
    """A new value in a text field, repainted without a layout of the whole screen.

    Input sets its virtual size (its text's width) when the value changes, and a new virtual
    size lays the screen out again, although the field's own size is fixed by the stylesheet.
    Given beforehand the virtual size it is about to get, the field is only repainted (and if
    the guess were wrong, the layout would simply happen as before).
    """
    if text != field.value:
        width = cell_len(text) + 1 if text or not field.placeholder else cell_len(field.placeholder)
        field.set_reactive(Widget.virtual_size, Size(width, 1))
        field.value = text


class CheckInScreen(PmoScreen[int]):
    """Walks the key results due (or the ones asked for); dismisses with how many were saved."""

    BINDINGS = [
        Binding("escape", "stop", "Stop", id="checkin.stop"),
        # Priority: the focused text field would otherwise take these keys for itself.
        Binding("pagedown", "skip", "Skip", id="checkin.skip", priority=True),
        Binding("pageup", "back", "Previous", id="checkin.back", priority=True),
        Binding("ctrl+k", "use_kpi", "KPI value", id="checkin.kpi", priority=True),
        Binding("ctrl+l", "use_last", "Last value", id="checkin.last", priority=True),
        Binding("ctrl+o", "whose", "Yours/all", id="checkin.whose", priority=True),
    ]

    class Loaded(Message):
        def __init__(self, items: tuple[CheckInItem, ...]) -> None:
            super().__init__()
            self.items = items

    class ReadBack(Message):
        """A key result just saved, as read back from the database after its `save`-th save."""

        def __init__(self, item: CheckInItem, save: int) -> None:
            super().__init__()
            self.item = item
            self.save = save

    def __init__(self, *, owner: str | None = None, codes: list[str] | None = None) -> None:
        super().__init__(classes="check-in")
        self.owner = owner
        self.codes = codes
        # Every key result due, and the ones walked: the user's own, or all of them (ctrl+o).
        self.every: tuple[CheckInItem, ...] = ()
        self.items: tuple[CheckInItem, ...] = ()
        self.yours: tuple[str, ...] = ()  # codes of the key results due that the user owns
        self.all_shown = False
        self.position = 0
        self.saved: set[str] = set()
        self.saving = False  # a check-in is on its way to the database (one at a time)
        self.stopping = False  # Esc was pressed meanwhile: stop once it is stored
        self.closed = False
        self.stored = False
        self._saves: dict[str, int] = {}  # saves of each key result, to keep the latest read back

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content("Check-in · loading…"), id="ci-heading", classes="heading")
        with Vertical(id="ci-card"):
            yield Static("", id="ci-objective")
            yield Static("", id="ci-title")
            yield Static("", id="ci-facts")
            with Horizontal(classes="ci-row"):
                yield Label("Value", classes="ci-label")
                with Vertical(classes="ci-field"):
                    yield Input(id="ci-value", select_on_focus=True)
                    yield Static("", id="ci-value-error", classes="form-error", markup=False)
            with Horizontal(classes="ci-row"):
                yield Label("Confidence", classes="ci-label")
                with Vertical(classes="ci-field"):
                    yield ConfidencePicker(id="ci-confidence")
                    yield Static("", id="ci-confidence-error", classes="form-error", markup=False)
            with Horizontal(classes="ci-row"):
                yield Label("Comment", classes="ci-label")
                with Vertical(classes="ci-field"):
                    yield Input(id="ci-comment", placeholder="optional, one line", select_on_focus=False)
                    yield Static("", id="ci-comment-error", classes="form-error", markup=False)
            yield Static(
                Content.assemble(
                    ("Enter", "bold"),
                    " keeps the value · ",
                    ("0–9", "bold"),
                    " sets confidence · ",
                    ("Enter", "bold"),
                    " on the comment saves and moves on · ",
                    ("Esc", "bold"),
                    " stops; what is saved stays saved",
                ),
                id="ci-help",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="check-in-load")
    def load(self) -> None:
        items = self.app.store.check_in_queue(self.app.today, owner=self.owner, codes=self.codes)
        self.post_message(self.Loaded(items))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.every = self.items = message.items
        # Without an owner or codes asked for, the user's own key results come first (ctrl+o: all).
        if self.owner is None and not self.codes:
            user = self.app.store.user
            self.yours = tuple(i.key_result.code for i in self.every if same_person(i.owner, user))
            self.all_shown = not self.yours
            # Owning none of them, the user walks all, and the heading says so.
            self.items = self._walked()
        if not self.items:
            who = f" of {self.owner}" if self.owner else ""
            self.notify(
                f"No key result{who} is due: each was checked in this week, or no cycle is open today.",
                markup=False,
            )
            self.dismiss(0)
            return
        self._show(0)

    def _walked(self) -> tuple[CheckInItem, ...]:
        """The key results this walk shows: every one due, or only the user's."""
        if self.all_shown:
            return self.every
        return tuple(i for i in self.every if i.key_result.code in self.yours)

    @property
    def item(self) -> CheckInItem | None:
        return self.items[self.position] if 0 <= self.position < len(self.items) else None

    def _show(self, position: int) -> None:
        self.position = position
        item = self.items[position]
        kr = item.key_result
        unit = kr.unit
        value = self.query_one("#ci-value", Input)
        self._show_heading()
        # Key results of more than one current cycle (a year's and its quarter's): each says its own.
        cycle = f"{literal(item.cycle)} · " if len({i.cycle for i in self.items}) > 1 else ""
        _update(
            self.query_one("#ci-objective", Static),
            Content.assemble(
                (cycle, "$text-muted"),
                (literal(kr.objective_code), "$text-muted"),
                "  ",
                (literal(item.objective_title), "$text-muted"),
            ),
        )
        _update(
            self.query_one("#ci-title", Static),
            Content.assemble((literal(kr.code), "bold $text-accent"), "  ", (literal(kr.title), "bold")),
        )
        _update(self.query_one("#ci-facts", Static), self._facts(item))
        value.placeholder = (
            f"{MILESTONE_ACCEPTS}: 1 when done, 0 when not"
            if kr.kind == "milestone"
            else f"{accepts()} ({literal(unit)})"
            if unit
            else accepts()
        )
        _set_value(value, self._starting_value(item))
        confidence = kr.confidence
        self.query_one(ConfidencePicker).set(round(confidence * 10) if confidence is not None else None)
        _set_value(self.query_one("#ci-comment", Input), "")
        self._clear_errors()
        value.select_all()
        # The focus last, and at once (Widget.focus would move it a turn later, and the card
        # be drawn in two frames): what changed above is then drawn in the same frame.
        self.set_focus(value)

    def _starting_value(self, item: CheckInItem) -> str:
        """The last value, unless the linked KPI has been measured since the last check-in."""
        last = item.key_result.latest
        if item.kpi_value is not None and item.kpi_period and (last is None or item.kpi_period > last.on):
            return plain_number(item.kpi_value)
        return plain_number(last.value) if last else ""

    def _facts(self, item: CheckInItem) -> Content:
        kr = item.key_result
        unit = kr.unit
        last = kr.latest
        kind = KIND_LABELS.get(kr.kind, kr.kind).split(" (")[0]
        pace = kr.pace
        parts: list[str | tuple[str, str]] = [
            (f"{kind}: ", "$text-muted"),
            (aim_text(kr), "bold"),
            ("   weight ", "$text-muted"),
            plain_number(kr.weight),
            ("   owner ", "$text-muted"),
            literal(kr.owner) or MISSING,
            "\n",
            ("last ", "$text-muted"),
            (format_value(last.value, unit) if last else "no check-in yet", "bold"),
            (f" on {last.on.isoformat()}" if last else "", "$text-muted"),
            ("   confidence ", "$text-muted"),
            format_confidence(kr.confidence),
            ("   ", ""),
            (f"{PACE_SYMBOLS[pace]} {pace.value}", f"${PACE_TONES[pace]}"),
            "\n",
            ("progress ", "$text-muted"),
            (progress_bar(kr.progress, 10), f"${GRADE_TONES[kr.grade]}"),
            f" {format_percent(kr.progress)}",
            ("   expected by now ", "$text-muted"),
            format_percent(item.expected),
        ]
        if item.value_needed is not None:
            parts += [("   on pace at ", "$text-muted"), format_value(item.value_needed, unit)]
        if item.trend_known:
            parts += ["\n", ("at this trend ", "$text-muted"), self._reached(item)]
        history = [c.value for c in kr.check_ins]
        if len(history) > 1:
            parts += ["\n", ("history ", "$text-muted"), text_sparkline(history, 24)]
        if item.kpi_value is not None:
            parts += [
                "\n",
                ("KPI ", "$text-muted"),
                (literal(kr.kpi_code or ""), "bold"),
                (" latest ", "$text-muted"),
                format_value(item.kpi_value, unit),
                (f" for {item.kpi_period.isoformat()}" if item.kpi_period else "", "$text-muted"),
                ("  (ctrl+k puts it in the value)", "$text-muted"),
            ]
        return Content.assemble(*parts)

    @staticmethod
    def _reached(item: CheckInItem) -> tuple[str, str]:
        """When the check-ins' trend meets the target, against the cycle's end."""
        if item.target_date is None:
            return "the target is not reached", "$error"
        if item.cycle_end is not None and item.target_date > item.cycle_end:
            return (
                f"the target is reached on {item.target_date.isoformat()}, after the cycle ends",
                "$warning",
            )
        return f"the target is reached on {item.target_date.isoformat()}", "$success"

    def _clear_errors(self) -> None:
        for name in ("value", "confidence", "comment"):
            error = self.query_one(f"#ci-{name}-error", Static)
            if error.has_class("-shown"):
                error.update("")
                error.remove_class("-shown")
            else:  # not displayed: no layout to redo
                error.update("", layout=False)

    def _error(self, name: str, message: str) -> None:
        error = self.query_one(f"#ci-{name}-error", Static)
        error.update(Content(f"✗ {message}"))
        error.add_class("-shown")
        target = self.query_one(ConfidencePicker) if name == "confidence" else self.query_one(f"#ci-{name}")
        target.focus()

    # ------------------------------------------------------------------ moving through the fields

    @on(Input.Submitted, "#ci-value")
    def _value_entered(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            value = parse_number(event.value, "value")
            if self.item is not None and self.item.key_result.kind == "milestone":
                check_milestone_value(value, "value")  # said at once, not only when saving
        except InvalidInput as error:
            self._error("value", error.message)
            return
        self._clear_errors()
        self.query_one(ConfidencePicker).focus()

    @on(ConfidencePicker.Chosen)
    def _confidence_chosen(self) -> None:
        self.query_one("#ci-confidence-error", Static).remove_class("-shown")
        self.query_one("#ci-comment", Input).focus()

    def _whose(self) -> str:
        """Whose key results the walk shows, and what ctrl+o switches to (one owner's, chosen on
        the OKR screen, are said before the count)."""
        if self.owner or self.codes:
            return ""
        count = len(self.every)
        if not self.yours:
            return f" · all {count} key results due (none is yours)"
        if self.all_shown:
            return f" · all {count} key results due (ctrl+o: your {len(self.yours)})"
        mine = len(self.yours)
        return f" · your {mine} key result{'s' if mine != 1 else ''} due (ctrl+o: all {count})"

    def _show_heading(self) -> None:
        """Where the walk is, how many check-ins are stored, and "saving…" while one waits."""
        saving = ""
        if self.saving:
            saving = " · saving… (stopping once stored)" if self.stopping else " · saving…"
        # The heading is one line high (.heading): it never needs a layout.
        owner = f" · {self.owner}'s" if self.owner else ""
        self.query_one("#ci-heading", Static).update(
            Content(
                f"Check-in{literal(owner)} · {self.position + 1} of {len(self.items)} · "
                f"{len(self.saved)} saved{saving}{literal(self._whose())}"
            ),
            layout=False,
        )

    def _still_saving(self) -> bool:
        if self.saving:
            self.notify("Still saving the check-in: wait until the database has stored it.", timeout=3)
        return self.saving

    @on(Input.Submitted, "#ci-comment")
    def _comment_entered(self, event: Input.Submitted) -> None:
        event.stop()
        if self._still_saving():  # one at a time, so the count shown is the count stored
            return
        self.saving = True
        self.stored = False  # set by save() once the database has the check-in
        self._show_heading()
        self.save()

    @on(Worker.StateChanged)
    def _save_ended(self, event: Worker.StateChanged) -> None:
        """The save is over (stored, refused or failed): the heading says so; Esc pressed
        meanwhile stops the walk now, with the count stored. (Not stopped: the app sees it too.)"""
        if event.worker.group != "check-in-save" or not event.worker.is_finished:
            return
        self.saving = False
        if self.closed:
            return
        if self.stopping:
            self.stopping = False
            if self.stored:
                self.action_stop()
                return
            self.notify(
                "That check-in was not saved after all (the reason is beside the field), "
                "so nothing more was stored. Esc stops.",
                severity="warning",
                timeout=8,
            )
        if self.item is not None:
            self._show_heading()

    @work(exclusive=True, exit_on_error=False, group="check-in-save")
    async def save(self) -> None:
        """Write this check-in, then show the next key result; a refused value saves nothing."""
        item = self.item
        if item is None:
            return
        code = item.key_result.code
        values = {
            "value": self.query_one("#ci-value", Input).value,
            "comment": self.query_one("#ci-comment", Input).value,
        }
        tenths = self.query_one(ConfidencePicker).tenths
        try:
            value = parse_number(values["value"], "value")
            if tenths is None:
                raise InvalidInput("confidence", "press a digit 0–9 for the confidence (x/10)")
            comment = parse_text(values["comment"], "comment", limit=500)
            await asyncio.to_thread(
                self.app.store.record_check_in,
                code,
                self.app.today,
                value,
                tenths / 10,
                comment,
                today=self.app.today,
            )
        except InvalidInput as error:
            self._error(
                error.field if error.field in ("value", "confidence", "comment") else "value", error.message
            )
            return
        except Exception as error:  # the database refused: keep what was typed and say why
            from pmo_tui.failures import explain

            self._error("value", f"not saved: {explain(error)}")
            return
        self.saved.add(code)
        self.stored = True
        # The next card at once; going back shows what was saved, and the stored key result's
        # pace and trend follow from a read of their own (read_back), not in between.
        self._saves[code] = self._saves.get(code, 0) + 1
        self._put(self._patched(item, value, tenths / 10, comment))
        self._advance()
        if not self.closed:
            self.read_back(code, self._saves[code])

    @work(thread=True, exit_on_error=False, group="check-in-read-back")
    def read_back(self, code: str, save: int) -> None:
        """The key result just saved as the database has it now (its confidence, progress, pace
        and trend), for going back to it."""
        try:
            stored = self.app.store.check_in_queue(self.app.today, codes=[code])
        except Exception:  # deleted meanwhile, or the database went away: the check-in is stored
            return
        if stored:
            self.post_message(self.ReadBack(stored[0], save))

    @on(ReadBack)
    def _read_back(self, message: ReadBack) -> None:
        code = message.item.key_result.code
        if message.save != self._saves.get(code):  # a later save of it is being read back
            return
        self._put(message.item)
        if self.item is not None and self.item.key_result.code == code:  # gone back to it already
            _update(self.query_one("#ci-facts", Static), self._facts(message.item))

    def _put(self, fresh: CheckInItem) -> None:
        """`fresh` in place of the item of its key result."""
        code = fresh.key_result.code
        self.items = tuple(fresh if i.key_result.code == code else i for i in self.items)
        self.every = tuple(fresh if i.key_result.code == code else i for i in self.every)

    def _patched(self, item: CheckInItem, value: float, confidence: float, comment: str) -> CheckInItem:
        """The key result with today's check-in added, when it cannot be read back."""
        kr = item.key_result
        today = self.app.today
        history = [c for c in kr.check_ins if c.on != today]
        history.append(CheckInRecord(0, today, value, confidence, comment))
        progress = key_result_progress(
            kr.kind, kr.baseline, kr.target, [c.value for c in history], kr.band_low, kr.band_high
        )
        updated = replace(kr, check_ins=tuple(history), progress=progress, due=False)
        return replace(item, key_result=updated)

    def _advance(self) -> None:
        if self.position + 1 < len(self.items):
            self._show(self.position + 1)
        else:
            self._finish()

    def _finish(self) -> None:
        self.closed = True
        count = len(self.saved)
        skipped = sum(i.key_result.code not in self.saved for i in self.items)
        note = f", {skipped} skipped" if skipped else ""
        # Walked only the user's: the others' still due are one key away next time.
        others = sum(
            i.key_result.code not in self.saved and i.key_result.code not in self.yours for i in self.every
        )
        if others and not self.all_shown:
            note += f"; {others} more of others' still due (c, then ctrl+o)"
        self.notify(
            f"Check-in done: {count} key result{'s' if count != 1 else ''} saved{note}.", markup=False
        )
        self.dismiss(count)

    # ------------------------------------------------------------------ actions

    def action_stop(self) -> None:
        """Esc: stop; what is saved stays saved. A check-in already on its way to the database
        cannot be called off: it will still be stored, and the walk stops once it is."""
        if self.saving:
            self.stopping = True
            self._show_heading()
            self.notify(
                "The check-in being saved will still be stored: the check-in stops as "
                "soon as the database has stored it.",
                severity="warning",
                timeout=8,
            )
            return
        self.closed = True
        count = len(self.saved)
        if self.items:
            self.notify(f"Check-in stopped: {count} saved.", markup=False)
        self.dismiss(count)

    def action_skip(self) -> None:
        if self._still_saving():
            return
        if self.item is not None:
            self._advance()

    def action_back(self) -> None:
        if self._still_saving():
            return
        if self.position > 0:
            self._show(self.position - 1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # One owner's key results (the OKR screen's choice) or named ones: no one else's to switch to.
        return not (action == "whose" and (self.owner or self.codes))

    def action_whose(self) -> None:
        """ctrl+o: the user's own key results, or all of them; the card shown stays if it is in both."""
        if self.owner or self.codes or self._still_saving() or self.item is None:
            return
        if not self.yours:
            self.notify("None of the key results due is yours: the check-in shows all of them.", timeout=3)
            return
        code = self.item.key_result.code
        self.all_shown = not self.all_shown
        self.items = self._walked()
        codes = [i.key_result.code for i in self.items]
        if code in codes:
            position = codes.index(code)
        else:  # the first one not checked in during this walk, else the first
            position = next((n for n, c in enumerate(codes) if c not in self.saved), 0)
        self._show(position)

    def action_use_kpi(self) -> None:
        item = self.item
        if item is not None and item.kpi_value is not None:
            value = self.query_one("#ci-value", Input)
            _set_value(value, plain_number(item.kpi_value))
            value.focus()

    def action_use_last(self) -> None:
        item = self.item
        if item is not None and item.key_result.latest is not None:
            value = self.query_one("#ci-value", Input)
            _set_value(value, plain_number(item.key_result.latest.value))
            value.focus()
