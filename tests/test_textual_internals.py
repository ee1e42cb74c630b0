"""Textual's private API, fenced in pmo_tui/textual_internals.py: the pin and every hook.

Textual is pinned exactly. When the pin is lifted, or another Textual is installed, this test
fails with one checklist of every hook to re-check against the new Textual (what each one
overrides or touches, where it is used, and what no longer matches), so that a speed fix is not
silently undone and no table draws wrong cells.
"""

from __future__ import annotations

import inspect
import re
import tomllib
from importlib.metadata import version
from pathlib import Path

from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable

from pmo_tui import textual_internals
from pmo_tui.textual_internals import HOOKS, Hook

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _pinned_textual() -> str:
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = [
        match.group(1)
        for dependency in dependencies
        if (match := re.fullmatch(r"textual\s*==\s*([\w.]+)", dependency.strip()))
    ]
    assert len(pins) == 1, f"pyproject.toml must pin textual exactly (textual==X.Y.Z): {dependencies}"
    return pins[0]


def _parameters(function) -> tuple[str, ...]:
    return tuple(name for name in inspect.signature(function).parameters if name != "self")


# The overrides in textual_internals, each with the Textual method it replaces.
OVERRIDES = [
    (textual_internals.SizedWithoutRelayout, "_size_updated"),
    (textual_internals.ScrollBarsWhenShownChanges, "_size_updated"),
    (textual_internals.DataTableInternals, "_update_dimensions"),
    (textual_internals.DataTableInternals, "_clear_caches"),
    (textual_internals.DataTableInternals, "_render_line_in_row"),
    (textual_internals.DataTableInternals, "_render_cell"),
    (textual_internals.DataTableInternals, "notify_style_update"),
    (textual_internals.DataTableInternals, "render_line"),
]


def _instances() -> dict[type, object]:
    """An instance of each owner, for the attributes set in __init__."""
    app: App[None] = App()
    return {App: app, Screen: Screen(), DataTable: DataTable()}


def _check(hook: Hook, instances: dict[type, object]) -> str | None:
    """What no longer matches for one hook, or None."""
    where = f"{hook.owner.__name__}.{hook.name}"
    try:
        found = inspect.getattr_static(hook.owner, hook.name)
    except AttributeError:
        found = None
    if hook.parameters is not None:
        if found is None or not callable(getattr(hook.owner, hook.name)):
            return f"{where} is no longer a method"
        parameters = _parameters(getattr(hook.owner, hook.name))
        if parameters != hook.parameters:
            return f"{where} now takes {parameters}, the hook expects {hook.parameters}"
        return None
    if found is not None:
        return None
    instance = instances.get(hook.owner)
    if instance is None or not hasattr(instance, hook.name):
        return f"{where} is no longer an attribute"
    return None


def _override_mismatches() -> list[str]:
    problems = []
    for mixin, name in OVERRIDES:
        ours = _parameters(mixin.__dict__[name])
        # What the override replaces: the method of the Textual class it is mixed into.
        if issubclass(mixin, DataTable):
            base: type = DataTable
        else:
            base = next(h.owner for h in HOOKS if h.used_by.startswith(mixin.__name__) and h.name == name)
        theirs = _parameters(getattr(base, name))
        if ours != theirs:
            problems.append(
                f"{mixin.__name__}.{name} takes {ours}, {base.__name__}.{name} now takes {theirs}"
            )
    return problems


def _checklist(installed: str) -> str | None:
    """None when `installed` is the pinned Textual and every hook finds what it expects; else
    one message listing every hook to re-check."""
    pinned = _pinned_textual()
    instances = _instances()
    problems = {hook: _check(hook, instances) for hook in HOOKS}
    override_problems = _override_mismatches()
    if installed == pinned and not any(problems.values()) and not override_problems:
        return None
    lines = [
        f"Textual {installed} is installed and pyproject.toml pins textual=={pinned}.",
        "pmo_tui/textual_internals.py reaches into Textual's private API; re-check every hook",
        "against this Textual (does it still exist, with these parameters, and still do what the",
        "hook's comment says? is there now a public API for it?), then run tests/test_tables.py",
        "and tests/test_snapshots.py, measure with `python -m bench.tables`, and move the pin:",
    ]
    for hook in HOOKS:
        shape = "" if hook.parameters is None else f"({', '.join(hook.parameters)})"
        problem = problems[hook]
        lines.append(
            f"  [{'CHANGED' if problem else 'found'}] {hook.owner.__name__}.{hook.name}{shape}"
            f" - used by {hook.used_by}" + (f": {problem}" if problem else "")
        )
    lines.extend(f"  [CHANGED] {problem}" for problem in override_problems)
    return "\n".join(lines)


def test_textual_is_the_pinned_version_and_every_hook_finds_what_it_expects() -> None:
    message = _checklist(version("textual"))
    assert message is None, message


def test_every_hook_is_listed_once() -> None:
    names = [(hook.owner, hook.name) for hook in HOOKS]
    assert len(names) == len(set(names))
    for mixin, name in OVERRIDES:
        assert name in mixin.__dict__


def test_another_textual_fails_with_every_hook_in_one_checklist() -> None:
    # As if the pin were lifted: the message lists every hook, not only the first one.
    message = _checklist("0.0.0")
    assert message is not None and "Textual 0.0.0 is installed" in message
    for hook in HOOKS:
        assert f"{hook.owner.__name__}.{hook.name}" in message
