"""The forms of the OKR area: cycles, objectives, key results and check-ins, checked field by field."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from pmo_tui import calculations as calc
from pmo_tui.failures import explain
from pmo_tui.formatting import plain_number
from pmo_tui.records import (
    CheckInRecord,
    CycleInfo,
    CycleOffer,
    GoalOption,
    KeyResultRow,
    KpiDetail,
    ObjectiveRow,
)
from pmo_tui.screens.dialogs import Based, FormField, FormScreen, values_of
from pmo_tui.store import NotFound
from pmo_tui.validation import (
    KEY_RESULT_KINDS,
    MILESTONE_ACCEPTS,
    OBJECTIVE_STATUSES,
    WEIGHT_ACCEPTS,
    InvalidInput,
    accepts,
    check_check_in,
    check_cycle,
    check_key_result,
    check_objective,
    parse_number,
    parse_text,
)
from pmo_tui.widgets.okr_text import KIND_LABELS

if TYPE_CHECKING:
    from pmo_tui.app import PmoApp


async def _store_call(function: Callable, *args, **kwargs) -> dict[str, str] | object:
    """Run one data-layer action off the interface thread; a refused value becomes a field message."""
    try:
        return await asyncio.to_thread(function, *args, **kwargs)
    except InvalidInput as error:
        return {error.field: error.message}
    except NotFound as error:
        return {"": explain(error)}  # "deleted by another session": failures.explain


def cycle_form(
    app: PmoApp,
    cycle: CycleInfo | None,
    after: CycleInfo | None = None,
    saved: Callable[[str], None] | None = None,
) -> FormScreen:
    """Create a cycle (the quarter after `after` is suggested), or rename and re-date `cycle`."""
    if cycle is not None:
        name, start, end = cycle.name, cycle.start, cycle.end
    else:
        name, start, end = (
            calc.following_quarter(after.end)
            if after
            else (calc.quarter_name(app.today), calc.quarter_start(app.today), calc.quarter_end(app.today))
        )

    def fields_for(name: str, start: date, end: date) -> list[FormField]:
        return [
            FormField("name", "Name", name, placeholder="e.g. 2027-Q1"),
            FormField("start", "Starts", start.isoformat(), hint="YYYY-MM-DD"),
            FormField(
                "end", "Ends", end.isoformat(), hint="YYYY-MM-DD; the check-ins and pace count to this day"
            ),
        ]

    fields = fields_for(name, start, end)
    based = None
    if cycle is not None:

        def reread(name: str = cycle.name) -> tuple[dict[str, str], int]:
            stored = next((c for c in app.store.cycles(app.today) if c.name == name), None)
            if stored is None:
                raise NotFound(f"no cycle named “{name}” (renamed or deleted meanwhile?)")
            return values_of(fields_for(stored.name, stored.start, stored.end)), stored.version

        based = Based(cycle.version, reread)

    async def save(values: dict[str, str]) -> dict[str, str]:
        definition, errors = check_cycle(values)
        if definition is None:
            return errors
        result = await _store_call(
            app.store.save_cycle,
            definition,
            original_name=cycle.name if cycle else None,
            expected_version=based.version if based else None,
        )
        if isinstance(result, dict):
            return result
        app.notify(f"Cycle {definition.name} saved.", markup=False)
        if saved:
            saved(definition.name)
        return {}

    return FormScreen(f"Edit cycle {cycle.name}" if cycle else "New cycle", fields, save, based=based)


def objective_form(
    app: PmoApp,
    *,
    cycles: tuple[str, ...],
    objectives: tuple[tuple[str, str], ...],
    goals: tuple[GoalOption, ...],
    cycle: str,
    objective: ObjectiveRow | None = None,
    saved: Callable[[str], None] | None = None,
) -> FormScreen:
    """Create an objective in `cycle`, or edit `objective`; `saved` hears the code."""
    goal_choices = (
        ("none", ""),
        *((g.name, g.code) for g in goals if g.active or (objective and g.code == objective.goal_code)),
    )
    own = objective.code if objective else None
    parent_choices = (
        ("none", ""),
        *((f"{code} · {title}", code) for code, title in objectives if code != own),
    )

    def fields_for(objective: ObjectiveRow | None) -> list[FormField]:
        return [
            FormField(
                "title",
                "Objective",
                objective.title if objective else "",
                placeholder="Qualitative and ambitious, e.g. Make delivery predictable",
            ),
            FormField("owner", "Owner", objective.owner if objective else ""),
            FormField(
                "goal",
                "Strategic goal",
                (objective.goal_code or "") if objective else "",
                choices=goal_choices,
            ),
            FormField(
                "parent",
                "Parent objective",
                (objective.parent_code or "") if objective else "",
                choices=parent_choices,
                hint="The higher objective this one contributes to",
            ),
            FormField(
                "cycle",
                "Cycle",
                objective.cycle if objective else cycle,
                choices=tuple((name, name) for name in cycles),
            ),
            FormField(
                "status",
                "Status",
                objective.status if objective else "active",
                choices=tuple((status, status) for status in OBJECTIVE_STATUSES),
            ),
        ]

    fields = fields_for(objective)
    based = None
    if objective is not None:

        def reread(code: str = objective.code) -> tuple[dict[str, str], int]:
            board = app.store.okr_board(app.today, holding=code)
            stored = next((o for o in board.objectives if o.code == code), None)
            if stored is None:
                raise NotFound(f"no objective with code “{code}” (deleted meanwhile?)")
            return values_of(fields_for(stored)), stored.version

        based = Based(objective.version, reread)

    async def save(values: dict[str, str]) -> dict[str, str]:
        definition, errors = check_objective(
            values, {g.code for g in goals}, set(cycles), {code for code, _ in objectives}
        )
        if definition is None:
            return errors
        result = await _store_call(
            app.store.save_objective,
            definition,
            original_code=own,
            expected_version=based.version if based else None,
        )
        if isinstance(result, dict):
            return result
        app.notify(f"Objective {result} saved.", markup=False)
        if saved:
            saved(str(result))
        return {}

    return FormScreen(
        f"Edit objective {own}" if own else f"New objective in {cycle}", fields, save, based=based
    )


def key_result_form(
    app: PmoApp,
    *,
    objective: ObjectiveRow,
    kpis: tuple[tuple[str, str], ...],
    key_result: KeyResultRow | None = None,
    saved: Callable[[str], None] | None = None,
) -> FormScreen:
    """Create a key result under `objective`, or edit `key_result` (a moved target asks why)."""
    kr = key_result
    kpi_choices = (("none", ""), *((f"{code} · {name}", code) for code, name in kpis))

    def fields_for(kr: KeyResultRow | None) -> list[FormField]:
        return [
            FormField(
                "title",
                "Key result",
                kr.title if kr else "",
                placeholder="Measurable, e.g. Projects on time from 60% to 80%",
            ),
            FormField(
                "kind",
                "Kind",
                kr.kind if kr else "increase",
                choices=tuple((KIND_LABELS[k], k) for k in KEY_RESULT_KINDS),
            ),
            FormField("unit", "Unit", kr.unit if kr else "", placeholder="%, count, days…"),
            FormField(
                "baseline",
                "Baseline",
                plain_number(kr.baseline) if kr else "",
                hint=f"{accepts()} (a milestone: {MILESTONE_ACCEPTS}, blank is 0): where it starts",
            ),
            FormField(
                "target",
                "Target",
                plain_number(kr.target) if kr else "",
                hint=f"{accepts()} (a milestone: {MILESTONE_ACCEPTS}, blank is 1): where it should be "
                "at the cycle's end",
            ),
            FormField(
                "band_low",
                "Band from",
                plain_number(kr.band_low) if kr else "",
                hint=f"{accepts()}, only to stay within a band",
            ),
            FormField(
                "band_high",
                "Band to",
                plain_number(kr.band_high) if kr else "",
                hint=f"{accepts()}, only to stay within a band",
            ),
            FormField(
                "weight",
                "Weight",
                plain_number(kr.weight) if kr else "1",
                hint=f"{WEIGHT_ACCEPTS}: its share in the objective's progress",
            ),
            FormField("owner", "Owner", kr.owner if kr else objective.owner),
            FormField(
                "kpi",
                "Linked KPI",
                (kr.kpi_code or "") if kr else "",
                choices=kpi_choices,
                hint="The check-in offers the KPI's latest measurement",
            ),
        ]

    fields = fields_for(kr)
    based = None
    if kr is not None:

        def reread(code: str = kr.code) -> tuple[dict[str, str], int]:
            _, stored = app.store.key_result_detail(code, app.today)
            return values_of(fields_for(stored)), stored.version

        based = Based(kr.version, reread)
    if kr is not None and kr.check_ins:
        fields.append(
            FormField(
                "reason",
                "Why the target moves",
                "",
                hint=f"Needed only if the target changes: {len(kr.check_ins)} check-ins were made "
                f"against {plain_number(kr.target)}",
            )
        )

    async def save(values: dict[str, str]) -> dict[str, str]:
        definition, errors = check_key_result(
            values, {code for code, _ in kpis} | ({kr.kpi_code} if kr and kr.kpi_code else set())
        )
        if definition is None:
            return errors
        result = await _store_call(
            app.store.save_key_result,
            objective.code,
            definition,
            original_code=kr.code if kr else None,
            today=app.today,
            expected_version=based.version if based else None,
        )
        if isinstance(result, dict):
            return result
        app.notify(f"Key result {result} saved.", markup=False)
        if saved:
            saved(str(result))
        return {}

    title = f"Edit key result {kr.code}" if kr else f"New key result for {objective.code}"
    return FormScreen(title, fields, save, based=based)


def check_in_form(app: PmoApp, key_result: KeyResultRow, check_in: CheckInRecord | None = None) -> FormScreen:
    """Correct a past check-in, or add one on another day than today."""
    latest = key_result.latest
    shown = check_in or latest  # what the fields start from
    milestone = key_result.kind == "milestone"
    based = None
    if check_in is not None:

        def reread(code: str = key_result.code, check_in_id: int = check_in.id) -> tuple[dict[str, str], int]:
            _, stored_kr = app.store.key_result_detail(code, app.today)
            stored = next((c for c in stored_kr.check_ins if c.id == check_in_id), None)
            if stored is None:
                raise NotFound("that check-in no longer exists (deleted meanwhile?)")
            return {
                "on": stored.on.isoformat(),
                "value": plain_number(stored.value),
                "confidence": plain_number(round(stored.confidence * 10, 1)),
                "comment": stored.comment,
            }, stored.version

        based = Based(check_in.version, reread)
    fields = [
        FormField(
            "on",
            "Date",
            (check_in.on if check_in else app.today).isoformat(),
            hint="YYYY-MM-DD, within the key result's cycle and not after today",
        ),
        FormField(
            "value",
            f"Value ({key_result.unit})" if key_result.unit else "Value",
            plain_number(check_in.value if check_in else latest.value if latest else None),
            hint=f"{MILESTONE_ACCEPTS}: 1 when done, 0 when not" if milestone else accepts(),
        ),
        FormField(
            "confidence",
            "Confidence (0–10)",
            plain_number(round(shown.confidence * 10, 1)) if shown else "5",
            hint=f"{accepts(0, 10)}: how sure the owner is of reaching the target",
        ),
        FormField("comment", "Comment", check_in.comment if check_in else ""),
    ]

    async def save(values: dict[str, str]) -> dict[str, str]:
        entry, errors = check_check_in(values)
        if entry is None:
            return errors
        if check_in is None:
            result = await _store_call(
                app.store.record_check_in,
                key_result.code,
                entry.on,
                entry.value,
                entry.confidence,
                entry.comment,
                today=app.today,
            )
        else:
            result = await _store_call(
                app.store.correct_check_in,
                check_in.id,
                entry.on,
                entry.value,
                entry.confidence,
                entry.comment,
                today=app.today,
                expected_version=based.version if based else None,
            )
        if isinstance(result, dict):
            return result
        app.notify(f"{key_result.code}: check-in of {entry.on.isoformat()} saved.", markup=False)
        return {}

    title = (
        f"{key_result.code}: correct the check-in of {check_in.on.isoformat()}"
        if check_in
        else f"{key_result.code}: add a check-in"
    )
    return FormScreen(title, fields, save, based=based)


def offer_label(offer: CycleOffer) -> str:
    """How a cycle offered for a new OKR reads: "2027-Q1 · next, new: 2027-01-01 to 2027-03-31"."""
    said = "new: " if not offer.exists else ""
    return f"{offer.name} · {offer.which}, {said}{offer.start.isoformat()} to {offer.end.isoformat()}"


def okr_from_kpi_form(
    app: PmoApp,
    detail: KpiDetail,
    offer: tuple[CycleOffer, ...],
    saved: Callable[[str], None] | None = None,
) -> FormScreen:
    """An objective with one key result tied to this KPI, from its latest value to a target, in
    the current cycle or the next (`offer`, from Store.okr_cycle_offer)."""
    kpi = detail.summary
    created = next((o for o in offer if not o.exists), None)
    fields = [
        FormField(
            "title",
            "Objective",
            f"Bring {kpi.name} to target",
            hint="Say what changes; the key result is created from the KPI",
        ),
        FormField(
            "cycle",
            "Cycle",
            offer[0].name if offer else "",
            choices=tuple((offer_label(o), o.name) for o in offer),
            hint=f"Saving creates {created.name}, as long as the cycle before it"
            if created
            else "The current cycle or the next",
        ),
        FormField("owner", "Owner", kpi.owner),
        FormField(
            "target",
            f"Key result target ({kpi.unit})" if kpi.unit else "Key result target",
            plain_number(kpi.target if kpi.band is None else calc.nearer_band_edge(kpi.band, kpi.value)),
            hint=f"{accepts()}, from the latest value {plain_number(kpi.value) or 'none'}; "
            + (
                f"{kpi.direction} is better"
                if kpi.band is None
                else "the KPI's band becomes the key result's"
            ),
        ),
    ]

    async def save(values: dict[str, str]) -> dict[str, str]:
        errors: dict[str, str] = {}
        parsed: dict[str, object] = {}
        for name, parse in (
            ("title", lambda t: parse_text(t, "title", required=True, limit=200)),
            ("owner", lambda t: parse_text(t, "owner")),
            ("target", lambda t: parse_number(t, "target")),
        ):
            try:
                parsed[name] = parse(values[name])
            except InvalidInput as error:
                errors[name] = error.message
        if errors:
            return errors
        result = await _store_call(
            app.store.start_okr_from_kpi,
            kpi.code,
            parsed["title"],
            parsed["owner"],
            parsed["target"],
            app.today,
            values["cycle"],
        )
        if isinstance(result, dict):
            return result
        app.notify(f"Objective {result} started from {kpi.code} in {values['cycle']}.", markup=False)
        if saved:
            saved(str(result))
        return {}

    return FormScreen(f"Start an OKR from {kpi.code}", fields, save)
