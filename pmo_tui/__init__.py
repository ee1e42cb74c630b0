"""pmo-tui: the terminal cockpit of a Project Management Office."""

__version__ = "0.1.0"
