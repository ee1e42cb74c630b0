"""Widgets of the pmo-tui interface."""
