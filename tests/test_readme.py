"""The README's quick start is what CI runs, word for word."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("python3 -m venv")]


def test_ci_runs_the_readme_test_command_exactly() -> None:
    readme = _commands((ROOT / "README.md").read_text(encoding="utf-8"))
    ci = _commands((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert len(readme) == 2, "the quick start is exactly two commands"
    assert ci == [readme[1]]


def test_quick_start_opens_the_sample_portfolio() -> None:
    install_and_open = _commands((ROOT / "README.md").read_text(encoding="utf-8"))[0]
    assert install_and_open.endswith("pmo demo")
