"""Screens of the pmo-tui interface, one area of the PMO's work each."""
