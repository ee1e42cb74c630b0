"""Tests of pmo_tui.validation: every parser with good and bad input, and the KPI form check."""

from __future__ import annotations

from datetime import date

import pytest

from pmo_tui.validation import (
    MAX_CODE,
    MAX_NAME,
    MAX_TEXT,
    InvalidInput,
    KpiDefinition,
    check_kpi_definition,
    parse_choice,
    parse_code,
    parse_date,
    parse_number,
    parse_text,
)

GOALS = {"G1", "G2", "G3", "G4"}


def refused(call, *args, **kwargs) -> InvalidInput:
    """The InvalidInput a parser raises (the test fails if it returns a value)."""
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)
    return caught.value


# --------------------------------------------------------------------------- InvalidInput


def test_invalid_input_carries_field_and_message() -> None:
    error = InvalidInput("target", "enter a number")
    assert error.field == "target"
    assert error.message == "enter a number"
    assert str(error) == "target: enter a number"
    assert isinstance(error, ValueError)


# --------------------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42.0),
        (" 42 ", 42.0),
        ("-3", -3.0),
        ("0", 0.0),
        ("3.25", 3.25),
        ("1,234.5", 1234.5),
        ("1 234.5", 1234.5),
        ("1_000", 1000.0),
        ("1e3", 1000.0),
        ("-0.5", -0.5),
    ],
)
def test_parse_number_accepts(text: str, expected: float) -> None:
    value = parse_number(text, "target")
    assert value == expected
    assert isinstance(value, float)


def test_parse_number_empty_required_is_refused() -> None:
    error = refused(parse_number, "", "target")
    assert error.field == "target"
    assert "enter a number" in error.message


def test_parse_number_blank_required_is_refused() -> None:
    assert refused(parse_number, "   ", "target").field == "target"


def test_parse_number_empty_optional_is_none() -> None:
    assert parse_number("", "warning", required=False) is None
    assert parse_number("   ", "warning", required=False) is None


def test_parse_number_not_a_number() -> None:
    error = refused(parse_number, "abc", "value")
    assert error.field == "value"
    assert "abc" in error.message
    assert "not a number" in error.message


@pytest.mark.parametrize("text", ["nan", "NaN", "NAN", "inf", "-inf", "Infinity", "1e999", "-1e999"])
def test_parse_number_refuses_non_finite(text: str) -> None:
    error = refused(parse_number, text, "value")
    assert error.field == "value"
    assert "finite" in error.message


@pytest.mark.parametrize("text", ["nan", "inf"])
def test_parse_number_non_finite_refused_even_when_optional(text: str) -> None:
    assert refused(parse_number, text, "warning", required=False).field == "warning"


def test_parse_number_below_minimum() -> None:
    error = refused(parse_number, "-3", "value", minimum=0)
    assert error.field == "value"
    assert "at least 0" in error.message


def test_parse_number_at_minimum_is_fine() -> None:
    assert parse_number("0", "value", minimum=0) == 0.0


def test_parse_number_above_maximum() -> None:
    error = refused(parse_number, "101", "value", minimum=0, maximum=100)
    assert error.field == "value"
    assert "at most 100" in error.message


def test_parse_number_at_maximum_is_fine() -> None:
    assert parse_number("100", "value", minimum=0, maximum=100) == 100.0


def test_parse_number_fraction_bounds() -> None:
    assert parse_number("0.5", "confidence", minimum=0, maximum=1) == 0.5
    assert "at most 1" in refused(parse_number, "1.5", "confidence", minimum=0, maximum=1).message


# --------------------------------------------------------------------------- parse_date


def test_parse_date_good() -> None:
    assert parse_date("2026-11-30", "period") == date(2026, 11, 30)


def test_parse_date_strips_spaces() -> None:
    assert parse_date("  2026-11-30 ", "period") == date(2026, 11, 30)


def test_parse_date_leap_day() -> None:
    assert parse_date("2028-02-29", "period") == date(2028, 2, 29)


def test_parse_date_empty_required() -> None:
    error = refused(parse_date, "", "period")
    assert error.field == "period"
    assert "YYYY-MM-DD" in error.message


def test_parse_date_empty_optional() -> None:
    assert parse_date("", "period", required=False) is None
    assert parse_date("  ", "period", required=False) is None


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "2027-02-29", "2026-00-10", "2026-04-31"])
def test_parse_date_day_that_does_not_exist(text: str) -> None:
    error = refused(parse_date, text, "period")
    assert error.field == "period"
    assert text in error.message
    assert "does not exist" in error.message


@pytest.mark.parametrize("text", ["20261130", "30/11/2026", "2026/11/30", "2026-11-3", "26-11-30", "today"])
def test_parse_date_wrong_shape(text: str) -> None:
    error = refused(parse_date, text, "period")
    assert error.field == "period"
    assert "YYYY-MM-DD" in error.message
    assert text in error.message


# --------------------------------------------------------------------------- parse_text


def test_parse_text_strips() -> None:
    assert parse_text("  Projects on time  ", "name") == "Projects on time"


def test_parse_text_optional_empty() -> None:
    assert parse_text("", "owner") == ""
    assert parse_text("   ", "owner") == ""


def test_parse_text_required_empty() -> None:
    error = refused(parse_text, "  ", "name", required=True)
    assert error.field == "name"
    assert "must not be empty" in error.message


def test_parse_text_default_limit_is_max_name() -> None:
    assert parse_text("x" * MAX_NAME, "name") == "x" * MAX_NAME
    error = refused(parse_text, "x" * (MAX_NAME + 1), "name")
    assert error.field == "name"
    assert f"at most {MAX_NAME} characters" in error.message
    assert f"({MAX_NAME + 1} typed)" in error.message


def test_parse_text_own_limit() -> None:
    assert parse_text("x" * 20, "unit", limit=20) == "x" * 20
    assert "at most 20" in refused(parse_text, "x" * 21, "unit", limit=20).message


def test_parse_text_limit_counts_after_stripping() -> None:
    # 20 characters plus surrounding spaces still fits a 20-character limit.
    assert parse_text("  " + "x" * 20 + "  ", "unit", limit=20) == "x" * 20


def test_parse_text_long_description() -> None:
    assert parse_text("y" * MAX_TEXT, "description", limit=MAX_TEXT) == "y" * MAX_TEXT
    refused(parse_text, "y" * (MAX_TEXT + 1), "description", limit=MAX_TEXT)


# --------------------------------------------------------------------------- parse_code


@pytest.mark.parametrize("text", ["ONTIME", "PRJ-101", "kpi_2", "v1.2", "A", "9LIVES", "X" * MAX_CODE])
def test_parse_code_good(text: str) -> None:
    assert parse_code(text) == text


def test_parse_code_strips() -> None:
    assert parse_code("  ONTIME ") == "ONTIME"


def test_parse_code_empty() -> None:
    error = refused(parse_code, "   ")
    assert error.field == "code"
    assert "must not be empty" in error.message


@pytest.mark.parametrize("text", ["ON TIME", "A\tB", "ÉTÉ", "a/b", "-LEAD", ".x", "_x", "a#b"])
def test_parse_code_bad_characters(text: str) -> None:
    error = refused(parse_code, text)
    assert error.field == "code"
    assert "letters, digits" in error.message


def test_parse_code_too_long() -> None:
    error = refused(parse_code, "X" * (MAX_CODE + 1))
    assert error.field == "code"
    assert f"at most {MAX_CODE} characters" in error.message


def test_parse_code_other_field_name() -> None:
    assert refused(parse_code, "a b", "goal").field == "goal"


# --------------------------------------------------------------------------- parse_choice


def test_parse_choice_good() -> None:
    assert parse_choice(" lower ", "direction", ("higher", "lower")) == "lower"


@pytest.mark.parametrize("text", ["", "Higher", "up", "higher lower"])
def test_parse_choice_bad(text: str) -> None:
    error = refused(parse_choice, text, "direction", ("higher", "lower"))
    assert error.field == "direction"
    assert "choose one of: higher, lower" in error.message


# --------------------------------------------------------------------------- check_kpi_definition


def full_form(**changes: str) -> dict[str, str]:
    """A complete, valid KPI form as the screen hands it over (every value a string)."""
    form = {
        "code": "LEAD",
        "name": "Lead time to approval",
        "description": "Days from a project proposal to its approval by the portfolio board.",
        "unit": "days",
        "direction": "lower",
        "target": "30",
        "warning": "45",
        "indicator": "leading",
        "nature": "quantitative",
        "owner": "Grace Whitfield",
        "cadence": "monthly",
        "goal": "G2",
        "source": "entered",
    }
    form.update(changes)
    return form


def test_valid_form_gives_definition() -> None:
    definition, errors = check_kpi_definition(full_form(), GOALS)
    assert errors == {}
    assert definition == KpiDefinition(
        code="LEAD",
        name="Lead time to approval",
        description="Days from a project proposal to its approval by the portfolio board.",
        unit="days",
        direction="lower",
        target=30.0,
        warning=45.0,
        indicator="leading",
        nature="quantitative",
        owner="Grace Whitfield",
        cadence="monthly",
        goal="G2",
        source="entered",
    )


def test_valid_form_values_are_stripped_and_parsed() -> None:
    form = full_form(code=" LEAD ", name="  Lead time ", target=" 1,000 ", warning="1,200.5", goal=" G2 ")
    definition, errors = check_kpi_definition(form, GOALS)
    assert errors == {}
    assert definition is not None
    assert (definition.code, definition.name, definition.goal) == ("LEAD", "Lead time", "G2")
    assert (definition.target, definition.warning) == (1000.0, 1200.5)


def test_optional_fields_may_be_empty() -> None:
    form = full_form(description="", unit="", target="", warning="", owner="", goal="")
    definition, errors = check_kpi_definition(form, GOALS)
    assert errors == {}
    assert definition is not None
    assert definition.target is None
    assert definition.warning is None
    assert definition.goal is None
    assert definition.owner == ""


def test_target_without_warning_is_fine() -> None:
    definition, errors = check_kpi_definition(full_form(warning=""), GOALS)
    assert errors == {}
    assert definition is not None and definition.target == 30.0 and definition.warning is None


@pytest.mark.parametrize("source", ["entered", "on_time_pct", "roi_pct", "open_risks"])
def test_known_sources_accepted(source: str) -> None:
    definition, errors = check_kpi_definition(full_form(source=source), GOALS)
    assert errors == {} and definition is not None and definition.source == source


@pytest.mark.parametrize("cadence", ["weekly", "fortnightly", "monthly", "quarterly", "yearly"])
def test_known_cadences_accepted(cadence: str) -> None:
    definition, errors = check_kpi_definition(full_form(cadence=cadence), GOALS)
    assert errors == {} and definition is not None and definition.cadence == cadence


def test_warning_equal_to_target_is_not_the_wrong_side() -> None:
    definition, errors = check_kpi_definition(full_form(target="30", warning="30"), GOALS)
    assert errors == {} and definition is not None


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"code": ""}, "code", "must not be empty"),
        ({"code": "LEAD TIME"}, "code", "letters, digits"),
        ({"code": "X" * (MAX_CODE + 1)}, "code", f"at most {MAX_CODE}"),
        ({"name": ""}, "name", "must not be empty"),
        ({"name": "   "}, "name", "must not be empty"),
        ({"name": "n" * (MAX_NAME + 1)}, "name", f"at most {MAX_NAME}"),
        ({"description": "d" * (MAX_TEXT + 1)}, "description", f"at most {MAX_TEXT}"),
        ({"unit": "u" * 21}, "unit", "at most 20"),
        ({"direction": "up"}, "direction", "higher, lower"),
        ({"direction": ""}, "direction", "higher, lower"),
        ({"target": "thirty"}, "target", "not a number"),
        ({"target": "NaN"}, "target", "finite"),
        ({"target": "inf"}, "target", "finite"),
        ({"warning": "nan"}, "warning", "finite"),
        ({"warning": "lots"}, "warning", "not a number"),
        ({"target": "", "warning": "45"}, "target", "needs a target"),
        ({"indicator": "trailing"}, "indicator", "leading, lagging"),
        ({"nature": "numbers"}, "nature", "quantitative, qualitative"),
        ({"owner": "o" * (MAX_NAME + 1)}, "owner", f"at most {MAX_NAME}"),
        ({"cadence": "daily"}, "cadence", "choose one of"),
        ({"cadence": ""}, "cadence", "choose one of"),
        ({"goal": "G9"}, "goal", "G9"),
        ({"source": "guesswork"}, "source", "choose one of"),
        ({"source": "roi"}, "source", "choose one of"),
    ],
)
def test_one_wrong_field_gives_exactly_that_message(changes: dict[str, str], field: str, words: str) -> None:
    definition, errors = check_kpi_definition(full_form(**changes), GOALS)
    assert definition is None
    assert set(errors) == {field}
    assert words in errors[field]


def test_warning_above_target_when_higher_is_better() -> None:
    # Higher is better, target 80: the warning line must be below it, 85 is on the wrong side.
    form = full_form(direction="higher", target="80", warning="85")
    definition, errors = check_kpi_definition(form, GOALS)
    assert definition is None
    assert set(errors) == {"warning"}
    assert "below the target" in errors["warning"]
    assert "higher" in errors["warning"]


def test_warning_below_target_when_lower_is_better() -> None:
    # Lower is better, target 30: the warning line must be above it, 20 is on the wrong side.
    form = full_form(direction="lower", target="30", warning="20")
    definition, errors = check_kpi_definition(form, GOALS)
    assert definition is None
    assert set(errors) == {"warning"}
    assert "above the target" in errors["warning"]
    assert "lower" in errors["warning"]


def test_warning_on_the_right_side_for_higher() -> None:
    definition, errors = check_kpi_definition(full_form(direction="higher", target="80", warning="70"), GOALS)
    assert errors == {} and definition is not None


def test_unknown_goal_message_names_it() -> None:
    _, errors = check_kpi_definition(full_form(goal="GROWTH"), GOALS)
    assert errors == {"goal": "no strategic goal with code “GROWTH”"}


def test_goal_refused_when_no_goals_exist() -> None:
    definition, errors = check_kpi_definition(full_form(goal="G1"), set())
    assert definition is None
    assert set(errors) == {"goal"}


def test_missing_keys_are_treated_as_empty() -> None:
    # Only a code and a name: every required choice is reported, optional fields are not.
    definition, errors = check_kpi_definition({"code": "X", "name": "X"}, GOALS)
    assert definition is None
    assert set(errors) == {"direction", "indicator", "nature", "cadence", "source"}


def test_nan_target_with_warning_reports_the_target_once() -> None:
    # The bad target keeps its own message; "needs a target" must not replace it.
    _, errors = check_kpi_definition(full_form(target="nan", warning="45"), GOALS)
    assert set(errors) == {"target"}
    assert "finite" in errors["target"]


def test_several_errors_are_all_reported() -> None:
    form = full_form(
        code="",
        name="",
        direction="sideways",
        target="abc",
        indicator="",
        cadence="hourly",
        goal="G7",
        source="magic",
    )
    definition, errors = check_kpi_definition(form, GOALS)
    assert definition is None
    assert set(errors) == {"code", "name", "direction", "target", "indicator", "cadence", "goal", "source"}
    assert "must not be empty" in errors["code"]
    assert "must not be empty" in errors["name"]
    assert "not a number" in errors["target"]
    assert "G7" in errors["goal"]


def test_wrong_side_warning_reported_with_other_errors() -> None:
    form = full_form(code="", direction="higher", target="80", warning="90", cadence="daily")
    definition, errors = check_kpi_definition(form, GOALS)
    assert definition is None
    assert set(errors) == {"code", "warning", "cadence"}
