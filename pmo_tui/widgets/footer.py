"""The footer of every pmo-tui screen: its keys, drawn as one widget."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

# The key that shows every key of the screen (the keys panel): always in the footer.
MORE_KEY = "question_mark"


class KeyFooter(Widget):
    """The screen's keys, as Textual's Footer shows them (key in the accent colour, then what it
    does; the command palette's key on the right), in one widget.

    Textual's Footer is a widget per key, rebuilt whenever the bindings may have changed: up to
    18 of a screen's 30 widgets, so every screen took about twice as long to build, style and
    paint. This one only redraws a line, and only when the keys shown change.

    Keys are shown whole, in the screen's order (its own keys first, then the areas'), as many
    as fit; `?` (the keys panel, which lists them all) stays on the right beside the palette.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer-key--palette-edge"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--palette-edge {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        # (key, shown as, description, enabled) of each key, and the palette's key or None.
        self._keys: tuple[tuple[str, str, str, bool], ...] = ()
        self._palette: tuple[str, str, str, bool] | None = None
        # Where each key is drawn, for clicks: (start, end, key, enabled).
        self._spans: list[tuple[int, int, str, bool]] = []

    @property
    def keys(self) -> tuple[tuple[str, str, str, bool], ...]:
        """(key, shown as, description, enabled) of each key shown, in order."""
        return self._keys

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        keys: list[tuple[str, str, str, bool]] = []
        actions: set[str] = set()
        bindings = screen.active_bindings
        for _, binding, enabled, _tooltip in bindings.values():
            # One key per action, as the Footer shows it.
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                keys.append(self._key(binding, enabled))
        palette = None
        app = self.app
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in bindings:
            _, binding, enabled, _tooltip = bindings[app.COMMAND_PALETTE_BINDING]
            palette = self._key(binding, enabled)
        # The same keys in another order are left where they are: the focused widget's bindings
        # come first in Textual's order, and the keys would move about from field to field.
        if (set(keys), palette) != (set(self._keys), self._palette):
            self._keys, self._palette = tuple(keys), palette
            self.refresh()

    def _key(self, binding: Binding, enabled: bool) -> tuple[str, str, str, bool]:
        return binding.key, self.app.get_key_display(binding), binding.description, enabled

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        dim = Style(dim=True)
        width = self.size.width
        right = Text()
        if self._palette is not None:
            key, shown, description, enabled = self._palette
            right = Text.assemble(
                ("▏", self.get_component_rich_style("footer-key--palette-edge")),
                (shown, key_style + (Style() if enabled else dim)),
                (f" {description}", description_style + (Style() if enabled else dim)),
                " ",
            )
        # The keys panel's key (`?`, which lists every key) is kept, beside the palette's.
        more = next((k for k in self._keys if k[0] == MORE_KEY), None)
        keys = [k for k in self._keys if k[0] != MORE_KEY]
        more_text = Text()
        if more is not None:
            _key, shown, description, enabled = more
            state = Style() if enabled else dim
            more_text = Text.assemble(
                (f" {shown} ", key_style + state), (f"{description} ", description_style + state)
            )
        room = max(0, width - right.cell_len - more_text.cell_len)
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        for key, shown, description, enabled in keys:
            start = line.cell_len
            state = Style() if enabled else dim
            piece = Text.assemble((f" {shown} ", key_style + state))
            if description:
                piece.append(f"{description} ", description_style + state)
            # A key is shown whole or not at all: never cut in the middle of a word.
            if start + piece.cell_len > room:
                break
            line.append_text(piece)
            self._spans.append((start, line.cell_len, key, enabled))
        line.truncate(room, pad=True)
        if more is not None:
            self._spans.append((room, room + more_text.cell_len, more[0], more[3]))
            line.append_text(more_text)
            room += more_text.cell_len
        if self._palette is not None:
            key, _shown, _description, enabled = self._palette
            self._spans.append((room, width, key, enabled))
        line.append_text(right)
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key, enabled in self._spans:
            if start <= event.x < end:
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return
