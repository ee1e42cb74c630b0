"""The maturity question bank: package data (maturity_questions.toml) read into plain values."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Stage:
    level: int
    name: str
    summary: str


@dataclass(frozen=True)
class Statement:
    id: str
    text: str
    levels: tuple[str, str, str, str, str]  # what the statement looks like at stage 1..5


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    description: str
    next_steps: tuple[str, ...]
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class QuestionBank:
    stages: tuple[Stage, ...]
    dimensions: tuple[Dimension, ...]

    @property
    def question_ids(self) -> set[str]:
        return {s.id for d in self.dimensions for s in d.statements}


def load_question_bank(path: Path) -> QuestionBank:
    """Read the bank; it ships with the package, so a broken one is a bug and raises."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    stages = tuple(Stage(s["level"], s["name"], s["summary"]) for s in raw["stages"])
    dimensions = tuple(
        Dimension(
            id=d["id"],
            name=d["name"],
            description=d["description"],
            next_steps=tuple(d["next_steps"]),
            statements=tuple(Statement(s["id"], s["text"], tuple(s["levels"])) for s in d["statements"]),
        )
        for d in raw["dimensions"]
    )
    return QuestionBank(stages, dimensions)


@cache
def default_bank() -> QuestionBank:
    """The bank that ships with pmo-tui, read once per process."""
    from pmo_tui.locations import question_bank_path

    return load_question_bank(question_bank_path())
