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
    assert ci[-1] == readme[1], "the tests run by the README's command, word for word"
    # Before it, CI installs only as that command does (the linters come with the test extra).
    assert all(readme[1].startswith(f"{install} && ") for install in ci[:-1])


def test_ci_runs_the_linters_before_the_tests() -> None:
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    tests = max(n for n, line in enumerate(lines) if line.startswith("python3 -m venv"))
    for linter in ("ruff check", "ruff format --check", "lint-imports"):
        assert any(line.startswith(f".venv/bin/{linter}") for line in lines[:tests]), linter


def test_quick_start_opens_the_sample_portfolio() -> None:
    install_and_open = _commands((ROOT / "README.md").read_text(encoding="utf-8"))[0]
    assert install_and_open.endswith("pmo demo")
