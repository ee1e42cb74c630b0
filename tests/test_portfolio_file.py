"""Tests of pmo_tui.portfolio_file: small TOML strings, each bad input refused at the right place."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pmo_tui.portfolio_file import Portfolio, PortfolioFileError, parse_portfolio, read_portfolio

HEADER = 'format = "pmo-tui portfolio"\nversion = 1\n'

GOAL = """
[[goals]]
code = "G1"
name = "Grow"
"""

PROJECT = """
[[projects]]
code = "P1"
name = "Project one"
goal = "G1"
start = 2026-01-01
planned_finish = 2026-12-31
budget = 1000
"""

KPI = """
[[kpis]]
code = "K1"
name = "KPI one"
direction = "higher"
target = 80
measurements = [{ period = 2026-09-30, value = 70 }]
"""

CYCLE = """
[[cycles]]
name = "2026-Q4"
start = 2026-10-01
end = 2026-12-31
"""

OBJECTIVE = """
[[objectives]]
code = "O1"
title = "Objective one"
cycle = "2026-Q4"

[[objectives.key_results]]
code = "O1-KR1"
title = "Key result one"
target = 10
kpi = "K1"
check_ins = [{ on = 2026-10-15, value = 3, confidence = 0.7 }]
"""

ASSESSMENT = """
[[assessments]]
taken_on = 2026-09-15

[[assessments.answers]]
question = "alignment.1"
level = 3
"""

VALID = HEADER + GOAL + PROJECT + KPI + CYCLE + OBJECTIVE + ASSESSMENT


def refused(text: str, **kwargs) -> PortfolioFileError:
    with pytest.raises(PortfolioFileError) as raised:
        parse_portfolio(text, **kwargs)
    return raised.value


# --------------------------------------------------------------------------- valid files


def test_header_alone_is_an_empty_portfolio() -> None:
    assert parse_portfolio(HEADER) == Portfolio()


def test_valid_minimal_portfolio_fills_in_defaults() -> None:
    portfolio = parse_portfolio(VALID)
    (project,) = portfolio.projects
    assert project["code"] == "P1"
    assert project["start"] == date(2026, 1, 1)
    assert project["budget"] == 1000.0 and isinstance(project["budget"], float)
    assert project["status"] == "active"
    assert project["expected_benefit"] == 0.0
    assert project["actual_finish"] is None
    assert project["updates"] == []
    (kpi,) = portfolio.kpis
    assert kpi["cadence"] == "monthly"
    assert kpi["active"] is True
    assert kpi["source"] == "entered"
    assert kpi["measurements"] == [{"period": date(2026, 9, 30), "value": 70.0, "note": "", "by": ""}]
    (objective,) = portfolio.objectives
    (key_result,) = objective["key_results"]
    assert key_result["kind"] == "increase"
    assert key_result["weight"] == 1.0
    assert key_result["baseline"] == 0.0
    assert key_result["check_ins"][0]["confidence"] == 0.7
    assert portfolio.cycles[0]["status"] == "open"
    assert portfolio.assessments[0]["status"] == "complete"


def test_known_question_id_is_accepted_when_the_bank_is_given() -> None:
    portfolio = parse_portfolio(VALID, question_ids={"alignment.1"})
    assert portfolio.assessments[0]["answers"][0]["question"] == "alignment.1"


def test_a_number_may_be_written_as_an_integer_or_a_float() -> None:
    portfolio = parse_portfolio(VALID.replace("budget = 1000", "budget = 1000.5"))
    assert portfolio.projects[0]["budget"] == 1000.5


# --------------------------------------------------------------------------- the top level


def test_toml_syntax_error_names_the_file() -> None:
    error = refused(HEADER + "budget = [\n", source="portfolio.toml")
    assert error.location == "portfolio.toml"
    assert "TOML" in error.message


def test_missing_format_is_refused() -> None:
    error = refused("version = 1\n")
    assert error.location == "format"
    assert "format" in error.message


def test_wrong_format_is_refused() -> None:
    error = refused('format = "something else"\nversion = 1\n')
    assert error.location == "format"


def test_missing_version_is_refused() -> None:
    error = refused('format = "pmo-tui portfolio"\n')
    assert error.location == "version"
    assert "version" in error.message


def test_wrong_version_is_refused() -> None:
    error = refused('format = "pmo-tui portfolio"\nversion = 2\n')
    assert error.location == "version"
    assert "2" in error.message


def test_version_given_as_true_is_refused() -> None:
    # true == 1 in Python: the version must still be the integer 1.
    error = refused('format = "pmo-tui portfolio"\nversion = true\n')
    assert error.location == "version"


def test_unknown_top_level_table_is_refused() -> None:
    error = refused(HEADER + '[[milestones]]\ncode = "M1"\n')
    assert error.location == "milestones"
    assert "unknown table" in error.message


def test_location_is_prefixed_with_the_source() -> None:
    error = refused(HEADER + PROJECT.replace("budget = 1000\n", ""), source="team.toml")
    assert error.location == "team.toml: projects[0].budget"
    assert str(error) == "team.toml: projects[0].budget: missing required field"


# --------------------------------------------------------------------------- fields


def test_unknown_field_is_refused() -> None:
    error = refused(HEADER + GOAL + PROJECT + 'colour = "blue"\n')
    assert error.location == "projects[0].colour"
    assert "unknown field" in error.message


def test_unknown_field_in_a_child_record_is_refused() -> None:
    error = refused(HEADER + KPI.replace("value = 70 }", "value = 70, unit = '%' }"))
    assert error.location == "kpis[0].measurements[0].unit"
    assert "unknown field" in error.message


def test_missing_required_field_is_refused() -> None:
    error = refused(HEADER + GOAL + PROJECT.replace("budget = 1000\n", ""))
    assert error.location == "projects[0].budget"
    assert "missing" in error.message


def test_empty_required_text_is_refused() -> None:
    error = refused(HEADER + GOAL.replace('name = "Grow"', 'name = "  "'))
    assert error.location == "goals[0].name"
    assert "empty" in error.message


def test_text_for_a_number_is_refused() -> None:
    error = refused(HEADER + GOAL + PROJECT.replace("budget = 1000", 'budget = "1000"'))
    assert error.location == "projects[0].budget"
    assert "number" in error.message


def test_number_for_text_is_refused() -> None:
    error = refused(HEADER + GOAL.replace('name = "Grow"', "name = 42"))
    assert error.location == "goals[0].name"
    assert "text" in error.message


def test_string_for_a_date_is_refused() -> None:
    error = refused(HEADER + GOAL + PROJECT.replace("start = 2026-01-01", 'start = "2026-01-01"'))
    assert error.location == "projects[0].start"
    assert "date" in error.message


def test_datetime_for_a_date_is_refused() -> None:
    error = refused(HEADER + GOAL + PROJECT.replace("start = 2026-01-01", "start = 2026-01-01T09:30:00"))
    assert error.location == "projects[0].start"
    assert "date" in error.message


def test_bool_for_a_number_is_refused() -> None:
    error = refused(HEADER + GOAL + PROJECT.replace("budget = 1000", "budget = true"))
    assert error.location == "projects[0].budget"
    assert "number" in error.message


def test_bool_for_a_whole_number_is_refused() -> None:
    error = refused(HEADER + ASSESSMENT.replace("level = 3", "level = true"))
    assert error.location == "assessments[0].answers[0].level"
    assert "number" in error.message


def test_fraction_for_a_whole_number_is_refused() -> None:
    error = refused(HEADER + ASSESSMENT.replace("level = 3", "level = 3.5"))
    assert error.location == "assessments[0].answers[0].level"
    assert "whole number" in error.message


def test_text_for_true_false_is_refused() -> None:
    error = refused(HEADER + KPI + 'active = "no"\n')
    assert error.location == "kpis[0].active"
    assert "true or false" in error.message


@pytest.mark.parametrize("value", ["nan", "+nan", "-nan"])
def test_nan_is_refused(value: str) -> None:
    error = refused(HEADER + KPI.replace("value = 70", f"value = {value}"))
    assert error.location == "kpis[0].measurements[0].value"
    assert "finite" in error.message


@pytest.mark.parametrize("value", ["inf", "+inf", "-inf"])
def test_infinity_is_refused(value: str) -> None:
    error = refused(HEADER + KPI.replace("target = 80", f"target = {value}"))
    assert error.location == "kpis[0].target"
    assert "finite" in error.message


def test_integer_too_large_for_a_number_is_refused() -> None:
    # TOML readers hand over arbitrary-size integers; 10**400 cannot be a float.
    error = refused(HEADER + GOAL + PROJECT.replace("budget = 1000", "budget = 1" + "0" * 400))
    assert error.location == "projects[0].budget"


def test_whole_number_beyond_64_bits_is_refused() -> None:
    # TOML 1.0 allows 64-bit integers only, and SQLite cannot store a larger one.
    update = (
        """
[[projects.updates]]
on = 2026-10-31
planned_value = 1
earned_value = 1
actual_cost = 1
change_requests = 1"""
        + "0" * 30
        + "\n"
    )
    error = refused(HEADER + GOAL + PROJECT + update)
    assert error.location == "projects[0].updates[0].change_requests"


def test_negative_budget_is_refused() -> None:
    error = refused(HEADER + GOAL + PROJECT.replace("budget = 1000", "budget = -1"))
    assert error.location == "projects[0].budget"
    assert "at least 0" in error.message


def test_confidence_above_one_is_refused() -> None:
    error = refused(HEADER + KPI + CYCLE + OBJECTIVE.replace("confidence = 0.7", "confidence = 1.5"))
    assert error.location == "objectives[0].key_results[0].check_ins[0].confidence"
    assert "at most 1" in error.message


def test_maturity_level_six_is_refused() -> None:
    error = refused(HEADER + ASSESSMENT.replace("level = 3", "level = 6"))
    assert error.location == "assessments[0].answers[0].level"
    assert "at most 5" in error.message


def test_satisfaction_above_100_percent_is_refused() -> None:
    update = """
[[projects.updates]]
on = 2026-10-31
planned_value = 1
earned_value = 1
actual_cost = 1
satisfaction = 101
"""
    error = refused(HEADER + GOAL + PROJECT + update)
    assert error.location == "projects[0].updates[0].satisfaction"
    assert "at most 100" in error.message


def test_status_outside_its_choices_is_refused() -> None:
    error = refused(HEADER + GOAL + PROJECT + 'status = "finished"\n')
    assert error.location == "projects[0].status"
    assert "not one of" in error.message
    assert "finished" in error.message


def test_unknown_cadence_is_refused() -> None:
    error = refused(HEADER + KPI + 'cadence = "daily"\n')
    assert error.location == "kpis[0].cadence"
    assert "not one of" in error.message


def test_table_given_as_a_value_is_refused() -> None:
    error = refused(HEADER + 'goals = "G1"\n')
    assert error.location == "goals"
    assert "array of tables" in error.message


# --------------------------------------------------------------------------- uniqueness


def test_duplicate_project_code_is_refused() -> None:
    error = refused(HEADER + GOAL + PROJECT + PROJECT)
    assert error.location == "projects[1].code"
    assert "duplicate" in error.message
    assert "P1" in error.message


def test_duplicate_kpi_code_is_refused() -> None:
    error = refused(HEADER + KPI + KPI)
    assert error.location == "kpis[1].code"
    assert "duplicate" in error.message


def test_duplicate_goal_code_is_refused() -> None:
    error = refused(HEADER + GOAL + GOAL)
    assert error.location == "goals[1].code"
    assert "duplicate" in error.message


def test_duplicate_cycle_name_is_refused() -> None:
    error = refused(HEADER + CYCLE + CYCLE)
    assert error.location == "cycles[1].name"
    assert "duplicate" in error.message


def test_duplicate_key_result_code_across_objectives_is_refused() -> None:
    second = OBJECTIVE.replace('code = "O1"', 'code = "O2"')  # same key result code O1-KR1
    error = refused(HEADER + KPI + CYCLE + OBJECTIVE + second)
    assert error.location == "objectives[1].key_results[0].code"
    assert "duplicate" in error.message


def test_duplicate_measurement_period_within_a_kpi_is_refused() -> None:
    kpi = KPI.replace(
        "measurements = [{ period = 2026-09-30, value = 70 }]",
        "measurements = [{ period = 2026-09-30, value = 70 }, { period = 2026-09-30, value = 71 }]",
    )
    error = refused(HEADER + kpi)
    assert error.location == "kpis[0].measurements[1].period"
    assert "duplicate" in error.message


def test_same_measurement_period_in_two_kpis_is_fine() -> None:
    portfolio = parse_portfolio(HEADER + KPI + KPI.replace('code = "K1"', 'code = "K2"'))
    assert [k["code"] for k in portfolio.kpis] == ["K1", "K2"]


def test_duplicate_update_date_within_a_project_is_refused() -> None:
    update = """
[[projects.updates]]
on = 2026-10-31
planned_value = 1
earned_value = 1
actual_cost = 1
"""
    error = refused(HEADER + GOAL + PROJECT + update + update)
    assert error.location == "projects[0].updates[1].on"
    assert "duplicate" in error.message


def test_two_answers_to_one_question_are_refused() -> None:
    answer = '\n[[assessments.answers]]\nquestion = "alignment.1"\nlevel = 2\n'
    error = refused(HEADER + ASSESSMENT + answer)
    assert error.location == "assessments[0].answers[1].question"
    assert "duplicate" in error.message


# --------------------------------------------------------------------------- references


def test_reference_to_a_missing_goal_is_refused() -> None:
    error = refused(HEADER + PROJECT)  # goal G1 is not defined
    assert error.location == "projects[0].goal"
    assert "no goal" in error.message
    assert "G1" in error.message


def test_reference_to_a_missing_cycle_is_refused() -> None:
    error = refused(HEADER + KPI + OBJECTIVE)  # no cycle 2026-Q4
    assert error.location == "objectives[0].cycle"
    assert "no cycle" in error.message


def test_reference_to_a_missing_kpi_is_refused() -> None:
    error = refused(HEADER + CYCLE + OBJECTIVE)  # the key result names KPI K1
    assert error.location == "objectives[0].key_results[0].kpi"
    assert "no KPI" in error.message


def test_reference_to_a_missing_parent_objective_is_refused() -> None:
    objective = OBJECTIVE.replace('cycle = "2026-Q4"', 'cycle = "2026-Q4"\nparent = "O9"')
    error = refused(HEADER + KPI + CYCLE + objective)
    assert error.location == "objectives[0].parent"
    assert "no objective" in error.message


def test_reference_to_a_missing_earlier_objective_is_refused() -> None:
    objective = OBJECTIVE.replace('cycle = "2026-Q4"', 'cycle = "2026-Q4"\ncarried_from = "Q3-O9"')
    error = refused(HEADER + KPI + CYCLE + objective)
    assert error.location == "objectives[0].carried_from"
    assert "no objective" in error.message


def test_objective_that_is_its_own_parent_is_refused() -> None:
    objective = OBJECTIVE.replace('cycle = "2026-Q4"', 'cycle = "2026-Q4"\nparent = "O1"')
    error = refused(HEADER + KPI + CYCLE + objective)
    assert error.location == "objectives[0].parent"
    assert "own parent" in error.message


def test_unknown_question_id_is_refused_when_the_bank_is_given() -> None:
    text = HEADER + ASSESSMENT.replace("alignment.1", "alignment.99")
    error = refused(text, question_ids={"alignment.1", "alignment.2"})
    assert error.location == "assessments[0].answers[0].question"
    assert "question bank" in error.message
    # Without a bank to check against, any id passes.
    assert parse_portfolio(text).assessments[0]["answers"][0]["question"] == "alignment.99"


# --------------------------------------------------------------------------- consistency


def test_planned_finish_before_start_is_refused() -> None:
    error = refused(
        HEADER + GOAL + PROJECT.replace("planned_finish = 2026-12-31", "planned_finish = 2025-12-31")
    )
    assert error.location == "projects[0].planned_finish"
    assert "before start" in error.message


def test_actual_finish_before_start_is_refused() -> None:
    error = refused(HEADER + GOAL + PROJECT + "actual_finish = 2025-06-30\n")
    assert error.location == "projects[0].actual_finish"
    assert "before start" in error.message


def test_cycle_ending_before_it_starts_is_refused() -> None:
    error = refused(HEADER + CYCLE.replace("end = 2026-12-31", "end = 2026-09-30"))
    assert error.location == "cycles[0].end"
    assert "before start" in error.message


def test_within_band_key_result_without_bands_is_refused() -> None:
    objective = OBJECTIVE.replace("target = 10", 'target = 10\nkind = "within_band"')
    error = refused(HEADER + KPI + CYCLE + objective)
    assert error.location == "objectives[0].key_results[0].band_low"
    assert "band" in error.message


def test_within_band_key_result_with_one_bound_is_fine() -> None:
    objective = OBJECTIVE.replace("target = 10", 'target = 10\nkind = "within_band"\nband_high = 12')
    portfolio = parse_portfolio(HEADER + KPI + CYCLE + objective)
    assert portfolio.objectives[0]["key_results"][0]["band_high"] == 12.0


def test_band_low_above_band_high_is_refused() -> None:
    objective = OBJECTIVE.replace(
        "target = 10", 'target = 10\nkind = "within_band"\nband_low = 12\nband_high = 8'
    )
    error = refused(HEADER + KPI + CYCLE + objective)
    assert error.location == "objectives[0].key_results[0].band_high"
    assert "below band_low" in error.message


def test_weight_zero_is_refused() -> None:
    objective = OBJECTIVE.replace("target = 10", "target = 10\nweight = 0")
    error = refused(HEADER + KPI + CYCLE + objective)
    assert error.location == "objectives[0].key_results[0].weight"
    assert "more than 0" in error.message


def test_negative_weight_is_refused() -> None:
    objective = OBJECTIVE.replace("target = 10", "target = 10\nweight = -1")
    error = refused(HEADER + KPI + CYCLE + objective)
    assert error.location == "objectives[0].key_results[0].weight"


# --------------------------------------------------------------------------- reading files


def test_read_portfolio_accepts_a_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.replace("Grow", "Grow in Zürich").encode("utf-8"))
    portfolio = read_portfolio(path)
    assert portfolio.goals[0]["name"] == "Grow in Zürich"


def test_read_portfolio_refuses_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(VALID.replace("Grow", "Grow in Zürich").encode("latin-1"))
    with pytest.raises(PortfolioFileError) as raised:
        read_portfolio(path)
    assert raised.value.location == str(path)
    assert "UTF-8" in raised.value.message


def test_read_portfolio_on_a_missing_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(PortfolioFileError) as raised:
        read_portfolio(path)
    assert raised.value.location == str(path)
    assert "cannot read" in raised.value.message


def test_read_portfolio_prefixes_field_errors_with_the_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(HEADER + GOAL + PROJECT.replace("budget = 1000", "budget = -5"), encoding="utf-8")
    with pytest.raises(PortfolioFileError) as raised:
        read_portfolio(path)
    assert raised.value.location == f"{path}: projects[0].budget"


def test_read_portfolio_checks_question_ids(tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    path.write_text(HEADER + ASSESSMENT, encoding="utf-8")
    with pytest.raises(PortfolioFileError) as raised:
        read_portfolio(path, {"alignment.2"})
    assert raised.value.location == f"{path}: assessments[0].answers[0].question"


def test_the_bundled_sample_is_valid(sample_portfolio: Portfolio) -> None:
    assert sample_portfolio.projects and sample_portfolio.kpis and sample_portfolio.objectives
