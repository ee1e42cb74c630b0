"""The footer of every pmo-tui screen."""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer rebuilds all its keys whenever the screen says its bindings may have
    changed: several times on each switch of area and each move of focus, a third of the cost of
    a switch. This one rebuilds only when the keys it shows did change."""

    _shown: tuple | None = None

    def _keys_shown(self) -> tuple:
        bindings = self.screen.active_bindings.values()
        return (
            self.show_command_palette,
            tuple((binding.key, binding.action, binding.description, enabled, tooltip)
                  for _, binding, enabled, tooltip in bindings if binding.show),
        )

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._keys_shown() if self._bindings_ready else None
        if shown is not None and shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
