"""`pmo import` of check-ins collected in a spreadsheet (pmo_tui/check_ins_csv.py and
CheckInStore.import_check_ins): the rules of a check-in made in the app, all or nothing, errors
naming line and column, `by` from the file else the user working; on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import TODAY
from sqlalchemy import create_engine, text

from pmo_tui.check_ins_csv import is_check_ins_csv, read_check_ins_csv
from pmo_tui.cli import main
from pmo_tui.portfolio_file import PortfolioFileError
from pmo_tui.store import Store

HEADER = "key_result,on,value,confidence,comment,by\n"


def write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "check-ins.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def pmo_import(db: str, path: Path, *args: str, user: str = "Grace Whitfield"):
    return CliRunner(env={"PMO_USER": user}).invoke(
        main, ["--db", db, "--today", TODAY.isoformat(), "import", str(path), *args]
    )


def select(db: str, query: str) -> list[tuple]:
    """Rows read apart from the app, on either database."""
    engine = create_engine(db if "://" in db else f"sqlite:///{db}")
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query))]
    finally:
        engine.dispose()


def check_ins(db: str) -> list[tuple]:
    """Every check-in as (key result, day, value, confidence, comment, by)."""
    return [
        (code, str(on), value, confidence, comment, by)
        for code, on, value, confidence, comment, by in select(
            db,
            'SELECT k.code, c."on", c.value, c.confidence, c.comment, c."by" '
            'FROM check_in c JOIN key_result k ON k.id = c.key_result_id ORDER BY k.code, c."on"',
        )
    ]


def logged(db: str) -> list[tuple]:
    """The change log as (by, record, code, action)."""
    return select(db, 'SELECT "by", record, code, action FROM change_log ORDER BY id')


def test_check_ins_are_recorded_with_the_apps_rules_and_who_made_them(sample_any_db: str, tmp_path) -> None:
    path = write(
        tmp_path,
        "Q4-O2-KR1,2026-11-19,45,7,two more workshops,Mei Tanaka\n"
        "Q4-O1-KR1,2026-11-18,1,,framework signed off,\n"  # no confidence: the last one (6/10)
        "Q4-O2-KR2,2026-11-15,82,4,corrected,Mei Tanaka\n",  # the day has one: replaced
    )
    before = check_ins(sample_any_db)
    result = pmo_import(sample_any_db, path)
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"Recorded 3 check-ins from {path}: 2 new, 1 replacing one of the same day.\n")
    after = check_ins(sample_any_db)
    assert ("Q4-O2-KR1", "2026-11-19", 45.0, 0.7, "two more workshops", "Mei Tanaka") in after
    assert ("Q4-O1-KR1", "2026-11-18", 1.0, 0.6, "framework signed off", "Grace Whitfield") in after
    assert ("Q4-O2-KR2", "2026-11-15", 82.0, 0.4, "corrected", "Mei Tanaka") in after
    assert len(after) == len(before) + 2
    assert ("Grace Whitfield", "check_in", "Q4-O1-KR1", "checked in") in logged(sample_any_db)
    store = Store.open(sample_any_db)
    try:
        assert [c.value for c in store.key_result_detail("Q4-O2-KR1", TODAY)[1].check_ins][-1] == 45
    finally:
        store.close()


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("Q4-O2-KR1,2026-11-19,45,7,,\nQ4-X9,2026-11-19,1,5,,\n", "line 3: column key_result: no key result"),
        ("Q4-O2-KR1,2026-11-19,45,7,,\nQ4-O1-KR1,2026-11-19,0.5,5,,\n", "line 3: column value: a milestone"),
        (
            "Q4-O2-KR1,2026-11-19,45,7,,\nQ4-O2-KR2,2026-11-21,80,5,,\n",
            "line 3: column on: 2026-11-21 is after",
        ),
        ("Q4-O2-KR1,2026-11-19,45,7,,\nQ4-O2-KR2,2026-09-30,80,5,,\n", "line 3: column on: "),
    ],
    ids=["unknown key result", "milestone value", "after today", "outside the cycle"],
)
def test_a_row_the_store_refuses_rejects_the_whole_file(
    sample_any_db: str, tmp_path: Path, body: str, said: str
) -> None:
    before = check_ins(sample_any_db)
    result = pmo_import(sample_any_db, write(tmp_path, body))
    assert result.exit_code == 2
    assert said in result.stderr
    assert result.stderr.count("\n") == 1  # one line, no traceback
    assert check_ins(sample_any_db) == before  # not even the good first row


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("Q4-O2-KR1,2026-11-19,4x,7,,\n", ":2: column value: “4x” is not a number"),
        ("Q4-O2-KR1,19/11/2026,45,7,,\n", ":2: column on: "),
        ("Q4-O2-KR1,2026-11-19,45,11,,\n", ":2: column confidence: must be at most 10"),
        (",2026-11-19,45,7,,\n", ":2: column key_result: must not be empty"),
        ("Q4-O2-KR1,2026-11-19,45,7\n", ":2: 4 fields, the header has 6"),
        (
            "Q4-O2-KR1,2026-11-19,45,7,,\nQ4-O2-KR1,2026-11-19,46,7,,\n",
            ":3: Q4-O2-KR1 already has a check-in on 2026-11-19 on line 2",
        ),
        ("Q4-O2-KR1,2026-11-19,45,7," + "x" * 501 + ",\n", ":2: column comment: at most 500 characters"),
    ],
    ids=["value", "day", "confidence", "no key result", "fields", "same day twice", "long comment"],
)
def test_a_bad_row_is_refused_with_its_line_and_column(
    sample_db: Path, tmp_path: Path, body: str, said: str
) -> None:
    before = check_ins(str(sample_db))
    path = write(tmp_path, body)
    result = pmo_import(str(sample_db), path)
    assert result.exit_code == 2
    assert f"{path}{said}" in result.stderr
    assert check_ins(str(sample_db)) == before


def test_the_header_says_a_csv_holds_check_ins_and_must_be_whole(sample_db: Path, tmp_path: Path) -> None:
    assert is_check_ins_csv(write(tmp_path, "", "\ufeffKey_Result,On,Value\n"))
    assert not is_check_ins_csv(write(tmp_path, "", "kpi,period,value\n"))
    result = pmo_import(str(sample_db), write(tmp_path, "Q4-O2-KR1,2026-11-19\n", "key_result,on\n"))
    assert result.exit_code == 2
    assert "1: the header of check-ins must name the columns key_result, on, value" in result.stderr
    assert "missing value" in result.stderr
    with pytest.raises(PortfolioFileError, match="unknown 'who'"):
        read_check_ins_csv(write(tmp_path, "", "key_result,on,value,who\n"))


def test_without_a_confidence_a_key_result_never_checked_in_is_refused(sample_store: Store, tmp_path) -> None:
    from pmo_tui.validation import check_key_result

    definition, errors = check_key_result(
        {"title": "New one", "kind": "increase", "unit": "", "baseline": "0", "target": "10"},
        set(),
    )
    assert definition is not None, errors
    code = sample_store.save_key_result("Q4-O2", definition)
    rows = read_check_ins_csv(write(tmp_path, f"{code},2026-11-19,3,,,\n"))
    with pytest.raises(PortfolioFileError, match="column confidence: .* has no check-in before 2026-11-19"):
        sample_store.import_check_ins(rows, today=TODAY)
    assert sample_store.key_result_detail(code, TODAY)[1].check_ins == ()


def test_a_dry_run_writes_nothing(sample_db: Path, tmp_path: Path) -> None:
    before = check_ins(str(sample_db))
    path = write(tmp_path, "Q4-O2-KR1,2026-11-19,45,7,,\n")
    result = pmo_import(str(sample_db), path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Would record 1 check-in from")
    assert check_ins(str(sample_db)) == before


async def test_the_apps_import_form_takes_check_ins_too(
    sample_store: Store, sample_db: Path, tmp_path
) -> None:
    from test_date_rules import import_in_app

    sample_store.user = "Priya Raman"
    before = check_ins(str(sample_db))
    path = write(tmp_path, "Q4-O2-KR1,2026-11-19,45,7,from the sheet,\nQ4-O1-KR1,2026-11-19,0.5,4,,\n")
    said, closed = await import_in_app(sample_store, path, TODAY)
    assert not closed and "line 3: column value: a milestone takes 0 or 1" in said, said
    assert check_ins(str(sample_db)) == before
    path = write(tmp_path, "Q4-O2-KR1,2026-11-19,45,7,from the sheet,\n")
    said, closed = await import_in_app(sample_store, path, TODAY)
    assert closed, said
    assert ("Q4-O2-KR1", "2026-11-19", 45.0, 0.7, "from the sheet", "Priya Raman") in check_ins(
        str(sample_db)
    )
