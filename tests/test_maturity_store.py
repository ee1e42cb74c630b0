"""Tests of the maturity part of the data layer, on real SQLite files.

The sample portfolio holds one complete assessment (2026-09-15, 24 answers); the evidence counts
are worked out here independently from the parsed sample file, not read back from the database.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date

import pytest
from helpers import TODAY

from pmo_tui import calculations as calc
from pmo_tui.records import AnswerRecord, AssessmentSummary
from pmo_tui.store import NotFound, Store
from pmo_tui.validation import InvalidInput

SAMPLE_TAKEN_ON = date(2026, 9, 15)


def _rows(store: Store, sql: str, *params) -> list[tuple]:
    """Read the file directly, bypassing the Store: what is really on disk."""
    connection = sqlite3.connect(store.path)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def _sample_assessment(sample_portfolio) -> dict:
    (assessment,) = sample_portfolio.assessments
    return assessment


# --------------------------------------------------------------------------- the sample's assessment


def test_sample_has_one_complete_assessment_with_24_answers(sample_store, sample_portfolio):
    (summary,) = sample_store.assessments()
    assert isinstance(summary, AssessmentSummary)
    assert summary.taken_on == SAMPLE_TAKEN_ON
    assert summary.status == "complete"
    assert summary.answered == 24

    answers = sample_store.assessment_answers(summary.id)
    assert len(answers) == 24
    expected = {
        a["question"]: AnswerRecord(a["level"], a["comment"])
        for a in _sample_assessment(sample_portfolio)["answers"]
    }
    assert answers == expected


def test_sample_assessment_has_no_previous(sample_store):
    (summary,) = sample_store.assessments()
    assert sample_store.previous_answers(summary.id) is None


# --------------------------------------------------------------------------- open / resume


def test_open_assessment_starts_a_new_one_today(sample_store):
    new_id = sample_store.open_assessment(TODAY)
    summaries = {s.id: s for s in sample_store.assessments()}
    assert len(summaries) == 2
    new = summaries[new_id]
    assert new.taken_on == TODAY
    assert new.status == "in_progress"
    assert new.answered == 0
    assert sample_store.assessment_answers(new_id) == {}


def test_open_assessment_twice_resumes_the_same_one(sample_store):
    first = sample_store.open_assessment(TODAY)
    second = sample_store.open_assessment(date(2026, 11, 27))  # a week later: still resumed
    assert second == first
    assert len(sample_store.assessments()) == 2
    # the resumed assessment keeps its own date
    assert {s.id: s.taken_on for s in sample_store.assessments()}[first] == TODAY


def test_open_assessment_on_an_empty_store(empty_store):
    assessment_id = empty_store.open_assessment(TODAY)
    assert empty_store.assessments() == (AssessmentSummary(assessment_id, TODAY, "in_progress", 0),)
    assert empty_store.previous_answers(assessment_id) is None
    assert not empty_store.is_empty()  # an assessment is content


def test_open_after_completing_starts_another(sample_store):
    first = sample_store.open_assessment(TODAY)
    sample_store.complete_assessment(first)
    second = sample_store.open_assessment(TODAY)
    assert second != first
    assert len(sample_store.assessments()) == 3


# --------------------------------------------------------------------------- answers


def test_save_answer_stores_then_updates_one_row_per_question(sample_store):
    assessment_id = sample_store.open_assessment(TODAY)
    sample_store.save_answer(assessment_id, "alignment.1", 2, "only in slides")
    assert sample_store.assessment_answers(assessment_id) == {
        "alignment.1": AnswerRecord(2, "only in slides")
    }

    sample_store.save_answer(assessment_id, "alignment.1", 4)
    assert sample_store.assessment_answers(assessment_id) == {"alignment.1": AnswerRecord(4, "")}
    rows = _rows(
        sample_store,
        "SELECT level, comment FROM answer WHERE assessment_id = ? AND question_id = ?",
        assessment_id,
        "alignment.1",
    )
    assert rows == [(4, "")]

    sample_store.save_answer(assessment_id, "okr.2", 3, "weekly since Q3")
    assert sample_store.assessment_answers(assessment_id) == {
        "alignment.1": AnswerRecord(4, ""),
        "okr.2": AnswerRecord(3, "weekly since Q3"),
    }
    assert {s.id: s.answered for s in sample_store.assessments()}[assessment_id] == 2


def test_save_answer_does_not_touch_other_assessments(sample_store, sample_portfolio):
    (sample,) = sample_store.assessments()
    before = sample_store.assessment_answers(sample.id)
    assessment_id = sample_store.open_assessment(TODAY)
    sample_store.save_answer(assessment_id, "alignment.1", 5)
    assert sample_store.assessment_answers(sample.id) == before


@pytest.mark.parametrize("level", [0, 6, -1, 100])
def test_save_answer_refuses_levels_outside_1_to_5_and_writes_nothing(sample_store, level):
    assessment_id = sample_store.open_assessment(TODAY)
    with pytest.raises(InvalidInput) as caught:
        sample_store.save_answer(assessment_id, "alignment.1", level)
    assert caught.value.field == "level"
    assert sample_store.assessment_answers(assessment_id) == {}
    assert _rows(sample_store, "SELECT count(*) FROM answer WHERE assessment_id = ?", assessment_id) == [(0,)]


def test_save_answer_refused_level_keeps_the_previous_answer(sample_store):
    assessment_id = sample_store.open_assessment(TODAY)
    sample_store.save_answer(assessment_id, "data.2", 3, "monthly extracts")
    for level in (0, 6):
        with pytest.raises(InvalidInput):
            sample_store.save_answer(assessment_id, "data.2", level, "changed")
    assert sample_store.assessment_answers(assessment_id) == {"data.2": AnswerRecord(3, "monthly extracts")}


@pytest.mark.parametrize("level", [1, 5])
def test_save_answer_accepts_the_end_levels(sample_store, level):
    assessment_id = sample_store.open_assessment(TODAY)
    sample_store.save_answer(assessment_id, "review.1", level)
    assert sample_store.assessment_answers(assessment_id) == {"review.1": AnswerRecord(level)}


def test_unknown_assessment_raises_not_found(sample_store):
    (sample,) = sample_store.assessments()
    unknown = sample.id + 1000
    with pytest.raises(NotFound):
        sample_store.save_answer(unknown, "alignment.1", 3)
    with pytest.raises(NotFound):
        sample_store.complete_assessment(unknown)
    with pytest.raises(NotFound):
        sample_store.reopen_assessment(unknown)
    with pytest.raises(NotFound):
        sample_store.previous_answers(unknown)
    # nothing was written on the way
    assert _rows(sample_store, "SELECT count(*) FROM answer WHERE assessment_id = ?", unknown) == [(0,)]
    assert [s.id for s in sample_store.assessments()] == [sample.id]


def test_unknown_assessment_on_an_empty_store(empty_store):
    with pytest.raises(NotFound):
        empty_store.save_answer(1, "alignment.1", 3)
    assert empty_store.is_empty()


# --------------------------------------------------------------------------- complete / previous / reopen


def test_complete_assessment_flips_the_status(sample_store):
    assessment_id = sample_store.open_assessment(TODAY)
    sample_store.save_answer(assessment_id, "alignment.1", 3)
    sample_store.complete_assessment(assessment_id)
    statuses = {s.id: s.status for s in sample_store.assessments()}
    assert statuses[assessment_id] == "complete"
    # the answers stay
    assert sample_store.assessment_answers(assessment_id) == {"alignment.1": AnswerRecord(3)}


def test_previous_answers_of_a_new_assessment_are_the_samples(sample_store, sample_portfolio):
    assessment_id = sample_store.open_assessment(TODAY)
    previous = sample_store.previous_answers(assessment_id)
    assert previous is not None
    assert len(previous) == 24
    assert previous == {
        a["question"]: AnswerRecord(a["level"], a["comment"])
        for a in _sample_assessment(sample_portfolio)["answers"]
    }


def test_previous_answers_skip_an_assessment_still_in_progress(empty_store):
    # an older assessment that was never completed is not "previous"
    older = empty_store.open_assessment(date(2026, 6, 1))
    empty_store.save_answer(older, "alignment.1", 2)
    empty_store.complete_assessment(older)
    empty_store.reopen_assessment(older)  # in progress again
    # reopen keeps it in progress; a newer one can only be started once it is completed
    assert empty_store.open_assessment(TODAY) == older
    empty_store.complete_assessment(older)
    newer = empty_store.open_assessment(TODAY)
    assert empty_store.previous_answers(newer) == {"alignment.1": AnswerRecord(2)}
    empty_store.reopen_assessment(older)  # older in progress, newer completed by the reopen
    statuses = {s.id: s.status for s in empty_store.assessments()}
    assert statuses == {older: "in_progress", newer: "complete"}
    assert empty_store.previous_answers(newer) is None


def test_previous_answers_on_the_same_day_use_the_earlier_id(sample_store):
    first = sample_store.open_assessment(TODAY)
    sample_store.save_answer(first, "okr.1", 4)
    sample_store.complete_assessment(first)
    second = sample_store.open_assessment(TODAY)
    # same day: the earlier id is the previous one, not the sample of September
    assert sample_store.previous_answers(second) == {"okr.1": AnswerRecord(4)}
    # and the first's previous is the sample's
    assert len(sample_store.previous_answers(first)) == 24


def test_previous_answers_ignore_later_assessments(sample_store):
    (sample,) = sample_store.assessments()
    later = sample_store.open_assessment(TODAY)
    sample_store.save_answer(later, "okr.1", 4)
    sample_store.complete_assessment(later)
    # the September assessment still has nothing before it
    assert sample_store.previous_answers(sample.id) is None


def test_reopen_assessment_makes_a_complete_one_in_progress(sample_store):
    (sample,) = sample_store.assessments()
    sample_store.reopen_assessment(sample.id)
    statuses = {s.id: s.status for s in sample_store.assessments()}
    assert statuses == {sample.id: "in_progress"}
    # and it is the one open_assessment resumes
    assert sample_store.open_assessment(TODAY) == sample.id
    assert len(sample_store.assessments()) == 1


def test_reopen_assessment_completes_any_other_in_progress(sample_store):
    (sample,) = sample_store.assessments()
    new_id = sample_store.open_assessment(TODAY)
    sample_store.save_answer(new_id, "alignment.1", 3)
    sample_store.reopen_assessment(sample.id)
    statuses = {s.id: s.status for s in sample_store.assessments()}
    assert statuses == {sample.id: "in_progress", new_id: "complete"}
    # only one assessment is in progress at a time
    assert _rows(sample_store, "SELECT count(*) FROM assessment WHERE status = 'in_progress'") == [(1,)]
    assert sample_store.open_assessment(TODAY) == sample.id
    # the reopened one's answers are all still there, and so are the other's
    assert len(sample_store.assessment_answers(sample.id)) == 24
    assert sample_store.assessment_answers(new_id) == {"alignment.1": AnswerRecord(3)}


def test_reopen_an_assessment_already_in_progress_keeps_it_in_progress(sample_store):
    new_id = sample_store.open_assessment(TODAY)
    sample_store.reopen_assessment(new_id)
    assert {s.id: s.status for s in sample_store.assessments()}[new_id] == "in_progress"


def test_assessments_are_newest_first_with_answered_counts(sample_store):
    (sample,) = sample_store.assessments()
    today_id = sample_store.open_assessment(TODAY)
    for question, level in (("alignment.1", 3), ("alignment.2", 2), ("okr.1", 1)):
        sample_store.save_answer(today_id, question, level)
    sample_store.complete_assessment(today_id)
    # taken on an earlier day, but created last: sorts by date, not by id
    january_id = sample_store.open_assessment(date(2026, 1, 10))
    sample_store.save_answer(january_id, "data.1", 2)

    assert sample_store.assessments() == (
        AssessmentSummary(today_id, TODAY, "complete", 3),
        AssessmentSummary(sample.id, SAMPLE_TAKEN_ON, "complete", 24),
        AssessmentSummary(january_id, date(2026, 1, 10), "in_progress", 1),
    )


def test_assessments_on_the_same_day_newest_id_first(empty_store):
    first = empty_store.open_assessment(TODAY)
    empty_store.complete_assessment(first)
    second = empty_store.open_assessment(TODAY)
    assert [s.id for s in empty_store.assessments()] == [second, first]


def test_assessments_survive_reopening_the_file(sample_db):
    store = Store.open(sample_db)
    try:
        assessment_id = store.open_assessment(TODAY)
        store.save_answer(assessment_id, "leading.3", 2, "SPI only")
    finally:
        store.close()
    store = Store.open(sample_db)
    try:
        assert store.open_assessment(TODAY) == assessment_id
        assert store.assessment_answers(assessment_id) == {"leading.3": AnswerRecord(2, "SPI only")}
    finally:
        store.close()


# --------------------------------------------------------------------------- evidence facts


def _expected_facts(portfolio, today: date) -> calc.EvidenceFacts:
    """The evidence counts worked out from the parsed sample file, without the database."""
    kpis = [k for k in portfolio.kpis if k["active"]]
    last = {k["code"]: max((m["period"] for m in k["measurements"]), default=None) for k in kpis}
    projects = [p for p in portfolio.projects if p["status"] in ("active", "on_hold", "done")]

    # the current cycle: the open one that contains today
    (cycle,) = [c for c in portfolio.cycles if c["start"] <= today <= c["end"] and c["status"] == "open"]
    until = min(today, cycle["end"])
    due = done = 0
    for objective in portfolio.objectives:
        if objective["cycle"] != cycle["name"] or objective["status"] == "archived":
            continue
        for key_result in objective["key_results"]:
            weeks_due, weeks_done = calc.check_in_weeks(
                [c["on"] for c in key_result["check_ins"]], cycle["start"], until
            )
            due += weeks_due
            done += weeks_done

    return calc.EvidenceFacts(
        kpis=len(kpis),
        # A target band counts as a target.
        kpis_with_target=sum(k["target"] is not None or k["band_low"] is not None for k in kpis),
        kpis_with_owner=sum(bool(k["owner"].strip()) for k in kpis),
        kpis_with_goal=sum(bool(k["goal"]) for k in kpis),
        kpis_on_cadence=sum(
            not calc.is_overdue(last[k["code"]], today, calc.cadence_days(k["cadence"])) for k in kpis
        ),
        kpis_reviewed=sum(not calc.review_overdue(k["last_reviewed"], today) for k in kpis),
        kpis_leading=sum(k["indicator"] == "leading" for k in kpis),
        projects=len(projects),
        projects_aligned=sum(bool(p["goal"]) for p in projects),
        check_in_weeks_due=due,
        check_in_weeks_done=done,
    )


def test_evidence_facts_of_the_sample(sample_store, sample_portfolio):
    expected = _expected_facts(sample_portfolio, TODAY)
    assert sample_store.evidence_facts(TODAY) == expected


def test_evidence_facts_of_the_sample_are_not_trivial(sample_portfolio):
    # guards the comparison above against an accidentally empty or all-good sample
    expected = _expected_facts(sample_portfolio, TODAY)
    assert expected.kpis > 0 and expected.projects > 0 and expected.check_in_weeks_due > 0
    # the retired KPI is left out
    assert expected.kpis < len(sample_portfolio.kpis)
    # a proposed project is not counted
    assert expected.projects < len(sample_portfolio.projects)
    # some practice is imperfect, so the evidence says something
    assert expected.kpis_reviewed < expected.kpis
    assert expected.check_in_weeks_done < expected.check_in_weeks_due
    assert 0 < expected.kpis_leading < expected.kpis
    assert expected.projects_aligned < expected.projects


def test_evidence_facts_check_in_weeks_of_2026_q4(sample_store, sample_portfolio):
    # 2026-Q4 starts Thu 2026-10-01; 2026-11-20 is day 50. Weeks 0..6 (Oct 1 - Nov 18) are over;
    # week 7 (Nov 19 - Nov 25) is in progress, and no sample key result has a check-in in it yet,
    # so it is not missed yet -> 7 weeks due per key result.
    q4_key_results = [
        kr for o in sample_portfolio.objectives if o["cycle"] == "2026-Q4" for kr in o["key_results"]
    ]
    assert not any(c["on"] >= date(2026, 11, 19) for kr in q4_key_results for c in kr["check_ins"])
    # weeks done: one per distinct week with a check-in, counted by hand from the check-in days
    done = sum(
        len({(c["on"] - date(2026, 10, 1)).days // 7 for c in kr["check_ins"]}) for kr in q4_key_results
    )
    facts = sample_store.evidence_facts(TODAY)
    assert facts.check_in_weeks_done == done
    assert facts.check_in_weeks_due == 7 * len(q4_key_results)


def test_evidence_facts_of_an_empty_store_are_zero(empty_store):
    facts = empty_store.evidence_facts(TODAY)
    for field in dataclasses.fields(facts):
        assert getattr(facts, field.name) == 0, field.name
    # and no share, no stage follows from them
    assert all(item.share is None and item.implied_stage is None for item in calc.evidence(facts))


def test_evidence_facts_follow_a_retired_kpi(sample_store, sample_portfolio):
    before = sample_store.evidence_facts(TODAY)
    leading = next(k["code"] for k in sample_portfolio.kpis if k["active"] and k["indicator"] == "leading")
    sample_store.set_kpi_active(leading, False)
    after = sample_store.evidence_facts(TODAY)
    assert after.kpis == before.kpis - 1
    assert after.kpis_leading == before.kpis_leading - 1


def test_evidence_facts_change_with_a_review(sample_store, sample_portfolio):
    overdue = [
        k["code"]
        for k in sample_portfolio.kpis
        if k["active"] and calc.review_overdue(k["last_reviewed"], TODAY)
    ]
    assert overdue, "the sample should have a KPI whose review is overdue"
    before = sample_store.evidence_facts(TODAY)
    sample_store.mark_kpi_reviewed(overdue[0], TODAY)
    assert sample_store.evidence_facts(TODAY).kpis_reviewed == before.kpis_reviewed + 1


def test_evidence_facts_do_not_depend_on_assessments(sample_store):
    before = sample_store.evidence_facts(TODAY)
    assessment_id = sample_store.open_assessment(TODAY)
    sample_store.save_answer(assessment_id, "alignment.1", 5)
    assert sample_store.evidence_facts(TODAY) == before


# --------------------------------------------------------------------------- draft objective


def test_create_draft_objective_in_the_sample(sample_store, sample_portfolio):
    existing = {o["code"] for o in sample_portfolio.objectives}
    code, cycle = sample_store.create_draft_objective(
        "Raise leading indicators to Established", "Grace Whitfield", TODAY
    )
    assert cycle == "2026-Q4"
    assert code == "Q4-O4"  # in the style of the cycle's own codes
    assert code not in existing
    # the codes that are really in the file: unique
    codes = [row[0] for row in _rows(sample_store, "SELECT code FROM objective")]
    assert len(codes) == len(set(codes)) == len(existing) + 1

    overview = sample_store.overview(TODAY)
    assert overview.cycle is not None and overview.cycle.name == "2026-Q4"
    row = next(o for o in overview.objectives if o.code == code)
    assert row.title == "Raise leading indicators to Established"
    assert row.owner == "Grace Whitfield"
    assert row.status == "draft"
    assert row.key_result_count == 0
    rows = _rows(
        sample_store,
        "SELECT c.name FROM objective o JOIN cycle c ON c.id = o.cycle_id WHERE o.code = ?",
        code,
    )
    assert rows == [("2026-Q4",)]


def test_create_draft_objective_uses_the_first_free_number(sample_store):
    # the sample's codes are "Q4-O1" style: Q4-O1…Q4-O3 are taken
    code, _ = sample_store.create_draft_objective("First", "", TODAY)
    assert code == "Q4-O4"


def test_create_draft_objective_twice_gives_different_codes(sample_store):
    first, cycle_a = sample_store.create_draft_objective("First", "A", TODAY)
    second, cycle_b = sample_store.create_draft_objective("Second", "B", TODAY)
    assert first != second
    assert cycle_a == cycle_b == "2026-Q4"
    codes = {o.code for o in sample_store.overview(TODAY).objectives}
    assert {first, second} <= codes
    # no cycle was added: the open 2026-Q4 was used
    assert _rows(sample_store, "SELECT count(*) FROM cycle") == [(2,)]


def test_create_draft_objective_does_not_count_as_evidence_of_check_ins(sample_store):
    before = sample_store.evidence_facts(TODAY)
    sample_store.create_draft_objective("New", "", TODAY)
    # a draft without key results adds no check-in weeks
    assert sample_store.evidence_facts(TODAY) == before


def test_create_draft_objective_on_an_empty_store_creates_the_cycle(empty_store):
    code, cycle = empty_store.create_draft_objective("Raise metric definition to Developing", "Me", TODAY)
    assert (code, cycle) == ("2026-Q4-O1", "2026-Q4")
    assert _rows(empty_store, 'SELECT name, start, "end", status FROM cycle') == [
        ("2026-Q4", "2026-10-01", "2026-12-31", "open")
    ]
    overview = empty_store.overview(TODAY)
    assert overview.cycle is not None
    assert (overview.cycle.name, overview.cycle.start, overview.cycle.end) == (
        "2026-Q4",
        date(2026, 10, 1),
        date(2026, 12, 31),
    )
    assert overview.cycle.status == "open"
    (row,) = overview.objectives
    assert (row.code, row.title, row.owner, row.status) == (
        "2026-Q4-O1",
        "Raise metric definition to Developing",
        "Me",
        "draft",
    )

    # a second one goes into the same cycle
    code2, cycle2 = empty_store.create_draft_objective("Another", "Me", TODAY)
    assert (code2, cycle2) == ("2026-Q4-O2", "2026-Q4")
    assert _rows(empty_store, "SELECT count(*) FROM cycle") == [(1,)]


@pytest.mark.parametrize(
    ("today", "name", "start", "end"),
    [
        (date(2027, 2, 10), "2027-Q1", "2027-01-01", "2027-03-31"),
        (date(2027, 4, 1), "2027-Q2", "2027-04-01", "2027-06-30"),
        (date(2027, 9, 30), "2027-Q3", "2027-07-01", "2027-09-30"),
    ],
)
def test_create_draft_objective_creates_the_quarter_of_the_day(empty_store, today, name, start, end):
    code, cycle = empty_store.create_draft_objective("T", "", today)
    assert (code, cycle) == (f"{name}-O1", name)
    assert _rows(empty_store, 'SELECT name, start, "end" FROM cycle') == [(name, start, end)]


def test_create_draft_objective_after_the_open_cycle_ends_makes_the_next_quarter(sample_store):
    # on 2027-01-05 no open cycle contains the day: 2027-Q1 is created, 2026-Q4 is left alone
    code, cycle = sample_store.create_draft_objective("Next quarter", "", date(2027, 1, 5))
    assert (code, cycle) == ("2027-Q1-O1", "2027-Q1")
    assert _rows(sample_store, "SELECT name FROM cycle ORDER BY start") == [
        ("2026-Q3",),
        ("2026-Q4",),
        ("2027-Q1",),
    ]
