"""The forms of a project's RAID log: an item (new or edited), and closing one."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from pmo_tui import calculations as calc
from pmo_tui.failures import explain
from pmo_tui.records import RaidItemRecord
from pmo_tui.screens.dialogs import Based, FormField, FormScreen
from pmo_tui.store import NotFound
from pmo_tui.validation import RAID_STATUSES, InvalidInput, accepts, check_raid_item, parse_date

if TYPE_CHECKING:
    from pmo_tui.app import PmoApp

RAID_KIND_LABELS = {
    "risk": "risk: may happen",
    "assumption": "assumption: taken as true",
    "issue": "issue: happening now",
    "decision": "decision: made or needed",
    "action": "action: to be done",
}


def raid_item_form(
    app: PmoApp,
    project_code: str,
    taken_codes: set[str],
    next_codes: Mapping[str, str],
    item: RaidItemRecord | None = None,
) -> FormScreen:
    """Add an item to `project_code`'s RAID log, or edit `item`. `next_codes` holds the code a
    new item of each kind would get: a new item left on the suggested code takes its kind's."""
    today = app.today
    values = (
        item.as_fields()
        if item
        else {"kind": "risk", "code": next_codes["risk"], "status": "open", "raised": today.isoformat()}
    )
    score = accepts(*calc.RAID_SCORE, whole=True)
    fields = [
        FormField(
            "kind",
            "Kind",
            values.get("kind", "risk"),
            choices=tuple((RAID_KIND_LABELS[k], k) for k in calc.RAID_KINDS),
        ),
        FormField(
            "code",
            "Code",
            values.get("code", ""),
            hint="Unique in the project; R1, A1, I1, D1, ACT1 by kind",
        ),
        FormField("title", "Title", values.get("title", ""), placeholder="What it is, in one line"),
        FormField("owner", "Owner", values.get("owner", ""), hint="Who looks after it"),
        FormField("raised", "Raised", values.get("raised", ""), hint="YYYY-MM-DD, not after today"),
        FormField("due", "Due", values.get("due", ""), hint="When it is due or next reviewed (optional)"),
        FormField(
            "probability",
            "Probability",
            values.get("probability", ""),
            hint=f"Risks: {score}, 1 rare to 5 almost certain",
        ),
        FormField("impact", "Impact", values.get("impact", ""), hint=f"Risks: {score}, 1 slight to 5 severe"),
        FormField("note", "Note", values.get("note", ""), placeholder="one line (optional)"),
        FormField(
            "status", "Status", values.get("status", "open"), choices=tuple((s, s) for s in RAID_STATUSES)
        ),
        FormField("closed", "Closed on", values.get("closed", ""), hint="Only once closed"),
        FormField("decided", "Decided on", values.get("decided", ""), hint="Decisions: the day it was made"),
        FormField("decided_by", "Decided by", values.get("decided_by", ""), hint="Decisions: who made it"),
        FormField("rationale", "Rationale", values.get("rationale", ""), hint="Decisions: why, in one line"),
    ]
    original = item.code if item else None
    others = taken_codes - {original} if original else taken_codes
    based = None
    if item is not None:

        def reread(code: str = item.code) -> tuple[dict[str, str], int]:
            stored = app.store.raid_item(project_code, code, today)
            return stored.as_fields(), stored.version

        # Someone else's change since the form opened gets the conflict every edit form shows.
        based = Based(item.version, reread)

    async def save(typed: dict[str, str]) -> dict[str, str]:
        typed = dict(typed)
        suggested = next_codes.get("risk")
        if item is None and typed.get("code", "").strip() == suggested and typed.get("kind") in next_codes:
            typed["code"] = next_codes[typed["kind"]]  # the suggestion follows the kind chosen
        entry, errors = check_raid_item(typed, others, today=today)
        if entry is None:
            return errors
        try:
            await asyncio.to_thread(
                app.store.save_raid_item,
                project_code,
                entry,
                original_code=original,
                expected_version=based.version if based else None,
            )
        except InvalidInput as error:
            return {error.field: error.message}
        except NotFound as error:
            return {"": explain(error)}
        app.notify(f"{project_code}: {entry.kind} {entry.code} saved.", markup=False)
        return {}

    title = f"Edit {project_code} {item.code}" if item else f"{project_code}: new RAID item"
    return FormScreen(title, fields, save, start="title" if item is None else None, based=based)


def close_raid_form(app: PmoApp, item: RaidItemRecord) -> FormScreen:
    """Close an open item on the day it was closed (today by default)."""
    today = app.today

    def reread() -> tuple[dict[str, str], int]:
        stored = app.store.raid_item(item.project_code, item.code, today)
        return {"closed": (stored.closed or today).isoformat()}, stored.version

    based = Based(item.version, reread)
    fields = [
        FormField(
            "closed",
            "Closed on",
            today.isoformat(),
            hint=f"YYYY-MM-DD, from the day raised ({item.raised.isoformat()}) to today",
        )
    ]

    async def save(typed: dict[str, str]) -> dict[str, str]:
        try:
            on: date = parse_date(typed["closed"], "closed")
        except InvalidInput as error:
            return {"closed": error.message}
        try:
            await asyncio.to_thread(
                app.store.close_raid_item,
                item.project_code,
                item.code,
                on,
                today=today,
                expected_version=based.version,
            )
        except InvalidInput as error:
            return {error.field if error.field == "closed" else "": error.message}
        except NotFound as error:
            return {"": explain(error)}
        app.notify(f"{item.project_code} {item.code} closed on {on.isoformat()}.", markup=False)
        return {}

    return FormScreen(
        f"Close {item.project_code} {item.code} · {item.title}", fields, save, editing=True, based=based
    )
