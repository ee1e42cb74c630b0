"""The core knows nothing of the terminal: calculations and the data layer import without Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

# Modules that must work without any UI library: the CLI, reports and tests build on them.
HEADLESS = [
    "pmo_tui.calculations",
    "pmo_tui.store",
    "pmo_tui.models",
    "pmo_tui.records",
    "pmo_tui.portfolio_file",
    "pmo_tui.question_bank",
    "pmo_tui.formatting",
    "pmo_tui.locations",
    "pmo_tui.validation",
    "pmo_tui.maturity",
    "pmo_tui.report",
    "pmo_tui.review",
    "pmo_tui.report_html",
    "pmo_tui.chart_geometry",
    "pmo_tui.due",
    "pmo_tui.check_ins_csv",
]
UI_PACKAGES = ["textual", "rich", "textual_plotext", "plotext"]


def loaded_after_import(module: str) -> set[str]:
    """Import one module in a fresh interpreter and list the top-level packages it pulled in."""
    code = f"import sys, {module}; print('\\n'.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


@pytest.mark.parametrize("module", HEADLESS)
def test_core_module_imports_without_ui(module: str) -> None:
    loaded = loaded_after_import(module)
    assert not loaded & set(UI_PACKAGES), f"{module} pulls in {sorted(loaded & set(UI_PACKAGES))}"


def test_calculations_is_pure() -> None:
    """The formulas need neither a database nor a UI, so anything can call them."""
    loaded = loaded_after_import("pmo_tui.calculations")
    assert not loaded & {"sqlalchemy", "sqlmodel", "sqlite3", "pydantic", *UI_PACKAGES}


def test_cli_help_does_not_load_the_ui() -> None:
    """`pmo --help` and the sub-commands stay quick: Textual is imported only to open the TUI."""
    code = (
        "import sys; from click.testing import CliRunner; from pmo_tui.cli import main; "
        "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0, r.output; "
        "print('textual' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_screens_and_widgets_never_touch_the_database_directly() -> None:
    """Screens compose widgets and call the data layer: no SQL, no tables, no sessions of their own."""
    package = Path(__file__).parents[1] / "pmo_tui"
    forbidden = {"sqlmodel", "sqlalchemy", "sqlite3", "pmo_tui.models"}
    offenders = []
    for path in sorted([*package.glob("screens/*.py"), *package.glob("widgets/*.py"), package / "app.py"]):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {name}"
                for name in names
                if any(name == f or name.startswith(f + ".") for f in forbidden)
            ]
    assert offenders == []
