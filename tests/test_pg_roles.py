"""Roles on PostgreSQL, set up by the very SQL of the README's "Team use": the lead writes
everything, a contributor adds check-ins, measurements and status updates but changes nothing else,
a viewer opens read-only (the header says so, write keys and CLI writes say why)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import TODAY, make_app, screen_text, settle

from pmo_tui.cli import main
from pmo_tui.failures import explain
from pmo_tui.store import ReadOnly, Store
from pmo_tui.validation import ProjectDefinition

pytestmark = pytest.mark.postgresql

README = Path(__file__).parent.parent / "README.md"


def team_use_sql() -> list[str]:
    """The ```sql blocks of the README's Team use section, in order."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Team use", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def statements(sql: str) -> list[str]:
    """The statements of a block, comments left out."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


@dataclass
class Team:
    lead: str
    contributor: str
    viewer: str


@pytest.fixture
def team(pg_server, sample_portfolio) -> Iterator[Team]:
    """The README's database and roles (names made unique: roles belong to the whole server), the
    sample portfolio created by the lead with `pmo init`, then the lead's grants."""
    tag = secrets.token_hex(3)
    names = {
        "pmo_lead": f"pmo_lead_{tag}",
        "pmo_contributors": f"pmo_contributors_{tag}",
        "pmo_viewers": f"pmo_viewers_{tag}",
        "ana": f"ana_{tag}",
        "ben": f"ben_{tag}",
        "pmo": f"pmo_{tag}",
    }

    def named(sql: str) -> str:
        return re.sub(r"\b(pmo_lead|pmo_contributors|pmo_viewers|ana|ben|pmo)\b", lambda m: names[m[1]], sql)

    setup, people, grants = (named(block) for block in team_use_sql())
    before, after = setup.split(f"\\connect {names['pmo']}\n")
    password = "pw-" + secrets.token_hex(8)
    with pg_server.admin() as admin:
        for statement in statements(before):
            admin.execute(statement)
        for statement in statements(people):
            admin.execute(statement)
        for role in ("pmo_lead", "ana", "ben"):
            admin.execute(f"ALTER ROLE {names[role]} PASSWORD '{password}'")
    with pg_server.admin(names["pmo"]) as admin:
        for statement in statements(after):
            admin.execute(statement)
    urls = {role: pg_server.url(names["pmo"], names[role], password) for role in ("pmo_lead", "ana", "ben")}
    lead = Store.open(urls["pmo_lead"], initialize=True)
    lead.import_portfolio(sample_portfolio)
    lead.close()
    import psycopg

    with psycopg.connect(pg_server.conninfo(names["pmo"], names["pmo_lead"], password), autocommit=True) as c:
        for statement in statements(grants):
            c.execute(statement)
    yield Team(urls["pmo_lead"], urls["ana"], urls["ben"])
    pg_server.drop_database(names["pmo"])
    with pg_server.admin() as admin:
        for role in ("ana", "ben", "pmo_contributors", "pmo_viewers", "pmo_lead"):
            admin.execute(f"DROP ROLE IF EXISTS {names[role]}")


def checked_in(store: Store, code: str):
    _, row = store.key_result_detail(code, TODAY)
    return [(c.value, c.comment) for c in row.check_ins if c.on == TODAY]


def cli(url: str, *args: str):
    return CliRunner().invoke(main, ["--db", url, "--today", TODAY.isoformat(), *args])


def test_a_viewer_opens_read_only_and_every_write_says_so(team: Team) -> None:
    viewer = Store.open(team.viewer)
    try:
        assert viewer.read_only
        role = team.viewer.split("//")[1].split(":")[0]
        assert viewer.read_only_reason == f"the role {role} may read this database, not change it"
        assert len(viewer.kpi_summaries(TODAY)) == 11  # reading works
        with pytest.raises(ReadOnly) as refused:
            viewer.record_check_in("Q4-O1-KR1", TODAY, 1, 0.5, "", today=TODAY)
        assert "read-only" in explain(refused.value) and role in explain(refused.value)
    finally:
        viewer.close()
    result = cli(team.viewer, "checkin", "Q4-O1-KR1", "1", "--confidence", "5")
    assert result.exit_code == 2
    assert "read-only" in result.stderr and "ask the PMO lead" in result.stderr
    assert cli(team.viewer, "due", "--format", "json").exit_code == 0  # reading commands work
    lead = Store.open(team.lead)
    try:
        assert not lead.read_only
        assert checked_in(lead, "Q4-O1-KR1") == []
    finally:
        lead.close()


async def test_a_viewers_app_shows_read_only_and_c_says_why(team: Team) -> None:
    viewer = Store.open(team.viewer)
    try:
        app = make_app(viewer)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert "read-only" in screen_text(app)
            await pilot.press("c")
            await settle(pilot)
            said = "\n".join(n.message for n in app._notifications)
            assert "read-only" in said and "may read this database, not change it" in said
    finally:
        viewer.close()


def test_a_contributor_imports_check_ins_and_measurements_from_csv(team: Team, tmp_path: Path) -> None:
    sheet = tmp_path / "check-ins.csv"
    sheet.write_text("key_result,on,value,confidence,by\nQ4-O2-KR1,2026-11-19,46,7,Mei Tanaka\n")
    result = cli(team.contributor, "import", str(sheet))
    assert result.exit_code == 0, result.output
    measurements = tmp_path / "measurements.csv"
    measurements.write_text("kpi,period,value\nSAT,2026-11-19,79\n")
    result = cli(team.contributor, "import", str(measurements))
    assert result.exit_code == 0, result.output
    lead = Store.open(team.lead)
    try:
        assert [c.value for c in lead.key_result_detail("Q4-O2-KR1", TODAY)[1].check_ins][-1] == 46
        assert lead.kpi_detail("SAT", TODAY).measurements[-1].value == 79
    finally:
        lead.close()


def test_a_contributor_checks_in_measures_and_updates_but_edits_nothing_else(team: Team) -> None:
    contributor = Store.open(team.contributor)
    try:
        assert not contributor.read_only
        contributor.record_check_in("Q4-O1-KR1", TODAY, 1, 0.7, "done", today=TODAY)
        contributor.add_measurement("SAT", TODAY, 80.5, "survey", replace=True, today=TODAY)
        detail = contributor.project_detail("PRJ-101")
        with pytest.raises(ReadOnly) as refused:
            contributor.save_project(
                ProjectDefinition(**{**_definition(detail), "name": "Renamed"}), original_code="PRJ-101"
            )
        message = explain(refused.value)
        assert "read-only" in message and "this change cannot be saved" in message
        assert "42501" not in message and "permission denied" not in message
        with pytest.raises(ReadOnly):
            contributor.set_kpi_active("SAT", False)
    finally:
        contributor.close()
    assert cli(team.contributor, "update", "PRJ-101", "--open-risks", "9").exit_code == 0
    refused_cli = cli(
        team.contributor, "import", str(Path(__file__).parent.parent / "sample_data/portfolio.toml")
    )
    assert refused_cli.exit_code == 2 and "read-only" in refused_cli.stderr
    lead = Store.open(team.lead)
    try:
        assert checked_in(lead, "Q4-O1-KR1") == [(1, "done")]
        assert lead.kpi_detail("SAT", TODAY).measurements[-1].value == 80.5
        detail = lead.project_detail("PRJ-101")
        assert detail.row.name != "Renamed" and detail.latest.open_risks == 9
        assert "SAT" in {k.code for k in lead.kpi_summaries(TODAY)}  # still active
    finally:
        lead.close()


def _definition(detail) -> dict:
    from dataclasses import fields

    row = detail.row
    known = {f.name for f in fields(ProjectDefinition)}
    values = {name: getattr(detail, name, getattr(row, name, None)) for name in known}
    return {**values, "goal": detail.goal_code}


async def test_a_contributors_refused_change_in_the_app_is_a_plain_message(team: Team) -> None:
    contributor = Store.open(team.contributor)
    try:
        app = make_app(contributor)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert "read-only" not in screen_text(app)  # a contributor's portfolio is not read-only
            app.open_kpi("SAT")
            await settle(pilot)
            await pilot.press("v")  # mark the definition reviewed: an edit of the KPI
            await settle(pilot)
            said = "\n".join(n.message for n in app._notifications)
            assert "read-only to you" in said and "this change cannot be saved" in said
            assert "permission denied" not in said and "Traceback" not in said
            assert app.is_running
    finally:
        contributor.close()
    lead = Store.open(team.lead)
    try:
        assert lead.kpi_detail("SAT", TODAY).last_reviewed != TODAY  # nothing was changed
    finally:
        lead.close()
