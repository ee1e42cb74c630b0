"""`python -m pmo_tui` runs the same command line as `pmo`."""

from pmo_tui.cli import main

main()
