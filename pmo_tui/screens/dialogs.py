"""The dialogs: keyboard forms and yes-or-no questions, each a modal screen over the area.

Keyboard forms: every field checked on save, each message shown beside its field, nothing lost.

A form stays open until its save callback accepts the values, so a refused entry
is corrected in place instead of typed again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode, NoScreen
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import NoActiveWorker, get_current_worker

from pmo_tui.formatting import literal, literal_lines
from pmo_tui.screens.base import PmoModalScreen
from pmo_tui.store import Conflict


@dataclass(frozen=True)
class FormField:
    """One field of a form: a text input, or a choice when `choices` is given."""

    name: str
    label: str
    value: str = ""
    choices: tuple[tuple[str, str], ...] | None = None  # (label, value) pairs
    placeholder: str = ""
    hint: str = ""


def values_of(fields: list[FormField]) -> dict[str, str]:
    """A form's fields' values by name: a record as its form shows it (see Based.reread)."""
    return {field.name: field.value for field in fields}


# A text longer than this is shown whole under its field, which shows only its start.
FULL_TEXT_FROM = 40

# The save callback returns the message for each refused field; an empty dict means saved.
SaveCallback = Callable[[dict[str, str]], Awaitable[dict[str, str]]]


@dataclass
class Based:
    """What an edit form is based on: the version of the stored record it opened with (its save
    passes it as expected_version, so someone else's change since is not saved over), and how
    to read the record again (blocking, run in a thread): its fields as the form shows them, and
    its version now."""

    version: int
    reread: Callable[[], tuple[dict[str, str], int]]


class FormScreen(PmoModalScreen[bool]):
    """A modal form; dismisses with True once saved, False when abandoned with Esc.

    While a save waits for the database (another program may hold it locked) the status says
    "saving…". A save already sent cannot be called off: Esc then says that it will still be
    stored, and the form closes once it is (or shows why it was not).
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save"),
    ]

    def __init__(
        self,
        title: str,
        fields: list[FormField],
        save: SaveCallback,
        *,
        start: str | None = None,
        replace_on_entry: bool = False,
        editing: bool | None = None,
        based: Based | None = None,
    ) -> None:
        super().__init__(classes="form-screen")
        # An edit of a stored record: what it is based on, for a conflict (see _save).
        self.based = based
        self.form_title = title
        self.fields = fields
        self.save_callback = save
        self.start = start  # the field to begin on, when not the first empty one
        # Figures carried over from last time are replaced by typing, not appended to.
        self.replace_on_entry = replace_on_entry
        self.saving = False  # a save is under way
        self.closing = False  # Esc was pressed during it: close once it is stored
        # A form on a stored record ("Edit …") starts on its first field: typing at once must
        # not land in whichever field happens to be empty ("Actual finish", "Band from").
        self.editing = title.startswith("Edit ") if editing is None else editing
        self.shown: dict[str, str] = {}  # the values as the form opened, for Esc

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(Content(literal(self.form_title)), classes="form-title")
            with VerticalScroll(classes="form-fields"):
                for field in self.fields:
                    with Horizontal(classes="form-row"):
                        # A label may quote stored text (a unit: "Value (%)"): drawn as `literal` draws it.
                        yield Label(Content(literal(field.label)), classes="form-label")
                        with Vertical(classes="form-input"):
                            if field.choices is not None:
                                yield Select(
                                    [(Content(literal(label)), value) for label, value in field.choices],
                                    value=field.value
                                    if field.value in {v for _, v in field.choices}
                                    else Select.NULL,
                                    allow_blank=any(v == "" for _, v in field.choices) or not field.value,
                                    id=f"field-{field.name}",
                                )
                            else:
                                yield Input(
                                    # Escape codes in stored text are drawn as symbols (see values()).
                                    literal(field.value),
                                    placeholder=field.placeholder,
                                    id=f"field-{field.name}",
                                    select_on_focus=self.replace_on_entry,
                                )
                            if field.choices is None and len(field.value) > FULL_TEXT_FROM:
                                # A long text (a comment, a note) is cut in its field: it is shown
                                # here whole, as stored (control characters as visible symbols).
                                yield Static(
                                    Content(literal(field.value)),
                                    id=f"full-{field.name}",
                                    classes="form-full",
                                )
                            yield Static("", id=f"error-{field.name}", classes="form-error", markup=False)
                            # After a reload: what the user had typed, where it differs.
                            yield Static("", id=f"typed-{field.name}", classes="form-typed", markup=False)
                            if field.hint:
                                yield Static(Content(literal(field.hint)), classes="form-hint")
            with Horizontal(classes="form-buttons"):
                yield Static("", id="form-status", classes="form-status", markup=False)
                yield Button("Save (ctrl+s)", id="form-save", variant="primary")
                yield Button("Cancel (esc)", id="form-cancel")

    def on_mount(self) -> None:
        # A new record starts where typing is needed: the first empty field (defaults are
        # already filled in). A stored record starts on its first field.
        empty = (
            None
            if self.editing
            else next((f for f in self.fields if not f.value and f.choices is None), None)
        )
        self.query_one(f"#field-{self.start or (empty or self.fields[0]).name}").focus()
        self.shown = self.values()

    @property
    def changed(self) -> bool:
        """Something was typed or chosen since the form opened."""
        return self.values() != self.shown

    def values(self) -> dict[str, str]:
        result = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, Select):
                value = widget.value
                result[field.name] = "" if value is Select.NULL or value is None else str(value)
            else:
                typed = widget.value  # type: ignore[attr-defined]
                # A field left as shown keeps its stored text, control characters and all.
                result[field.name] = field.value if typed == literal(field.value) else typed
        return result

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put each message beside its field; focus the first field that is wrong."""
        first = None
        for field in self.fields:
            message = errors.get(field.name, "")
            error = self.query_one(f"#error-{field.name}", Static)
            error.update(Content(f"✗ {message}") if message else Content(""))
            error.set_class(bool(message), "-shown")
            if message and first is None:
                first = field
        # A message about no field of this form (or about the whole record) goes on the status line.
        names = {field.name for field in self.fields}
        general = "; ".join(message for name, message in errors.items() if name not in names)
        self.query_one("#form-status", Static).update(
            Content(f"✗ {general}" if general else (f"✗ {len(errors)} to correct" if errors else ""))
        )
        if first is not None:
            self.query_one(f"#field-{first.name}").focus()

    def action_save(self) -> None:
        if self.saving:  # one save at a time: a second would write the same record twice
            self.notify("Still saving: wait until the database has stored it.", timeout=3)
            return
        self.saving = True
        self._save()

    # A worker, so the save callback may ask a question (push_screen_wait) before it writes.
    @work(exclusive=True, exit_on_error=False, group="form-save")
    async def _save(self) -> None:
        status = self.query_one("#form-status", Static)
        status.update(Content("saving…"))
        try:
            errors = await self._save_or_resolve()
        except Exception as error:  # an unexpected failure must not lose what was typed
            from pmo_tui.failures import explain

            errors = {"": f"Not saved. {explain(error)}"}
        finally:
            self.saving = False
        if errors:
            if self.closing:
                self.closing = False
                self.notify(
                    "Not saved, so nothing was stored: the form stays open with what you "
                    "typed. Esc closes it.",
                    severity="warning",
                    timeout=8,
                )
            self.show_errors(errors)
            return
        self.dismiss(True)

    async def _save_or_resolve(self) -> dict[str, str]:
        """The save; when someone else changed the record since the form opened (store.Conflict:
        nothing was saved), the user says whether to reload or overwrite, as often as it happens."""
        while True:
            try:
                return await self.save_callback(self.values())
            except Conflict as conflict:
                errors = await self._resolve(conflict)
                if errors is not None:
                    return errors

    async def _resolve(self, conflict: Conflict) -> dict[str, str] | None:
        """Ask what to do about someone else's change: Reload shows the stored values with what
        was typed kept under each field it differs in; Overwrite takes the new version to save
        again on, knowingly (None: save again); Keep editing leaves the form as it is."""
        import asyncio

        choice = await self.app.push_screen_wait(ConflictScreen(conflict))
        if choice not in ("reload", "overwrite") or self.based is None:
            return {"": f"Not saved: {conflict.what} was changed by {conflict.by or 'someone else'}"}
        stored, version = await asyncio.to_thread(self.based.reread)
        self.based.version = version
        if choice == "overwrite":
            return None
        self._show_reloaded(stored)
        who = conflict.by or "someone else"
        return {
            "": f"Reloaded {conflict.what} as {who} left it; what you typed is under each field "
            "it differs in. Save to keep yours"
        }

    def _show_reloaded(self, stored: dict[str, str]) -> None:
        """The stored values in the fields; what was typed kept visible under each one it differs in."""
        typed = self.values()
        for field in self.fields:
            if field.name not in stored:
                continue
            widget = self.query_one(f"#field-{field.name}")
            value = stored[field.name]
            if isinstance(widget, Select):
                choices = {v for _, v in field.choices or ()}
                widget.value = value if value in choices else Select.NULL
                shown = dict((v, label) for label, v in field.choices or ()).get(
                    typed[field.name], typed[field.name]
                )
            else:
                widget.value = literal(value)  # type: ignore[attr-defined]
                shown = typed[field.name]
            note = self.query_one(f"#typed-{field.name}", Static)
            differs = typed[field.name] != value
            note.update(Content(f"you typed: {literal(shown) or '(nothing)'}") if differs else Content(""))
            note.set_class(differs, "-shown")
        self.fields = [
            FormField(f.name, f.label, stored.get(f.name, f.value), f.choices, f.placeholder, f.hint)
            for f in self.fields
        ]
        # `shown` stays as the form opened: Esc still asks before what was typed is thrown away.

    def action_cancel(self) -> None:
        """Esc: close without saving; changes are thrown away only once the user says so. A save
        already under way cannot be called off: say so."""
        if not self.saving:
            if not self.changed:
                self.dismiss(False)
                return
            question = f"{self.form_title}: throw away the changes?"
            self.app.push_screen(
                ConfirmScreen(question, yes="Throw away", no="Keep editing", owner=self), self._thrown_away
            )
            return
        self.closing = True
        self.query_one("#form-status", Static).update(
            Content("saving… it will still be stored; the form closes then")
        )
        self.notify(
            "This save was already sent to the database and cannot be called off: it "
            "will still be stored as soon as the database is free, and the form closes "
            "then.",
            severity="warning",
            timeout=8,
        )

    def _thrown_away(self, throw: bool | None) -> None:
        if throw and not self.saving:
            self.dismiss(False)

    @on(Input.Submitted)
    async def _next_or_save(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last field it saves."""
        event.stop()
        inputs = list(self.query(".form-input > Input, .form-input > Select"))
        if event.input is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


class ConflictScreen(PmoModalScreen[str]):
    """Someone else changed the record a form is editing since it opened: says what and who, and
    asks whether to reload it (keeping what was typed visible), overwrite it knowingly, or keep
    editing. Dismisses with "reload", "overwrite" or "keep"."""

    BINDINGS = [
        Binding("r", "choose('reload')", "Reload", id="conflict.reload"),
        Binding("o", "choose('overwrite')", "Overwrite", id="conflict.overwrite"),
        Binding("escape", "choose('keep')", "Keep editing", id="conflict.keep"),
    ]

    def __init__(self, conflict: Conflict) -> None:
        super().__init__(classes="confirm-screen")
        self.conflict = conflict

    def compose(self) -> ComposeResult:
        who = self.conflict.by or "Someone else"
        changed = ", ".join(self.conflict.changed) or "the record"
        with Vertical(classes="confirm"):
            yield Static(
                Content(
                    f"{literal(who)} changed {literal(self.conflict.what)} after you opened it: "
                    f"{literal(changed)}. Nothing of yours was saved over it."
                ),
                id="conflict-text",
                classes="confirm-question",
            )
            with Horizontal(classes="form-buttons"):
                yield Button("Reload (r)", id="conflict-reload", variant="primary")
                yield Button("Overwrite (o)", id="conflict-overwrite", variant="warning")
                yield Button("Keep editing (esc)", id="conflict-keep")

    def on_mount(self) -> None:
        self.query_one("#conflict-reload", Button).focus()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "conflict-keep").removeprefix("conflict-"))


class TextScreen(PmoModalScreen[bool]):
    """A stored text shown whole (a comment, a note): the user's text is data, drawn literally.

    With `correct` (a record that may be changed), `e` closes it asking for the record's
    correction form: the screen that opened it gets True back."""

    BINDINGS = [
        Binding("escape,enter,q", "close", "Close", id="text.close"),
        Binding("e", "correct", "Correct", id="text.correct"),
    ]

    def __init__(self, title: str, text: str, *, correct: bool = False) -> None:
        super().__init__(classes="confirm-screen")
        self.title_text, self.text, self.correct = title, text, correct

    def compose(self) -> ComposeResult:
        with Vertical(classes="confirm text-view"):
            yield Static(Content(literal(self.title_text)), classes="form-title")
            with VerticalScroll(classes="text-body"):
                yield Static(Content(literal_lines(self.text or "(no text)")), id="text-full")
            with Horizontal(classes="form-buttons"):
                yield Button("Close (esc)", id="text-close")
                if self.correct:
                    yield Button("Correct (e)", id="text-correct")

    def on_mount(self) -> None:
        self.query_one("#text-close", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Only a record that may be changed offers its correction.
        return self.correct if action == "correct" else True

    def action_close(self) -> None:
        self.dismiss(False)

    def action_correct(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#text-close")
    def _close_pressed(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#text-correct")
    def _correct_pressed(self) -> None:
        self.dismiss(True)


class ConfirmScreen(PmoModalScreen[bool]):
    """A yes/no question: y or Enter confirms, n or Esc declines.

    It belongs to the screen that asked (`owner`; by default the screen of the worker that asks,
    or the screen shown when it is made). A question that arrives once its owner is no longer
    shown (a fast `x` then `1`: the KPI detail asked, the goals screen is shown) is answered No at
    once and never drawn over another screen; one whose owner's area is left (its screen stack is
    no longer the one shown) is answered No then, and gone when the area is shown again.
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(
        self, question: str, yes: str = "Yes", no: str = "No", *, owner: Screen | None = None
    ) -> None:
        super().__init__(classes="confirm-screen")
        self.question = question
        self.yes, self.no = yes, no
        self.owner = owner if owner is not None else _asking_screen(self.app)
        self.answered = False  # the result was given: the question is only waiting to go
        self.left = False  # its area was left while it was shown

    def compose(self) -> ComposeResult:
        with Vertical(classes="confirm"):
            yield Static(Content(literal(self.question)), classes="confirm-question")
            with Horizontal(classes="form-buttons"):
                yield Button(f"{self.yes} (y)", id="confirm-yes", variant="warning")
                yield Button(f"{self.no} (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()
        stack = self.app.screen_stack
        if self.owner is not None and (
            len(stack) < 2 or stack[-1] is not self or stack[-2] is not self.owner
        ):
            # Its screen was left before the question came up: No, and never shown over another.
            self._answer(False)

    def on_screen_suspend(self) -> None:
        # Its area was left (another area's stack is shown): it is answered No, as it comes back.
        # A screen pushed over it in the same area (the command palette) leaves it waiting.
        if self not in self.app.screen_stack:
            self.left = True

    def on_screen_resume(self) -> None:
        if self.left:
            self._answer(False)

    def action_answer(self, answer: bool) -> None:
        self._answer(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self._answer(event.button.id == "confirm-yes")

    def _answer(self, answer: bool) -> None:
        if self.answered:
            return
        self.answered = True
        self.dismiss(answer)


def _asking_screen(app: App) -> Screen | None:
    """The screen of the worker that is asking, or else the screen shown now."""
    try:
        node = get_current_worker().node
    except NoActiveWorker:
        node = None
    if isinstance(node, DOMNode):
        try:
            return node.screen if not isinstance(node, Screen) else node
        except NoScreen:
            return None
    return app.screen if app.screen_stack else None
