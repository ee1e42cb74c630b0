"""A Static whose new size does not lay the screen out a second time."""

from __future__ import annotations

from textual.widgets import Static

from pmo_tui.textual_internals import SizedWithoutRelayout


class LaidOutText(SizedWithoutRelayout, Static):
    """Text whose height follows its content, refilled while its screen is shown.

    When a Static's content changes height, Textual's layout gives it its new size and then,
    because the size changed, asks for the whole screen to be laid out once more, a frame
    later. The second layout finds the same sizes: the first one measured this very content.
    This widget takes its new size without asking for it (pmo_tui/textual_internals.py), which
    saves a frame each time a screen shows another record (the KPI detail shows the next KPI's
    definition in it).
    """
