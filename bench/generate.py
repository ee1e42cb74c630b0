"""A seeded synthetic portfolio for the benchmark, written straight into the app's tables.

    python -m bench.generate PATH [--scale tiny|medium|large] [--seed N]

The large scale is the portfolio of a big PMO seen on 2026-11-20: 2,000 projects with monthly
status updates, 200 weekly KPIs with ten years of measurements (520 each, 104,000), eight OKR
cycles 2025-Q1..2026-Q4 (the last one open) holding 500 objectives of 4 key results with 13
check-ins each (26,000), and 10 maturity self-assessments answering every question of the bank.

The schema is made by `Store.open` (so it is exactly the app's); the rows go in with sqlite3
`executemany` into the tables of `pmo_tui.models` (their columns read from the models), in one
transaction, the foreign keys checked once at the end: the large portfolio takes a few seconds.
The same seed gives the same file.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pmo_tui.schema import PORTFOLIO_TABLES

TODAY = date(2026, 11, 20)


@dataclass(frozen=True)
class Scale:
    goals: int
    projects: int
    update_months: int  # at most this many monthly status updates per project
    kpis: int
    measurements: int  # weekly measurements per KPI
    objectives: int  # over all cycles
    key_results: int  # per objective
    check_ins: int  # per key result
    assessments: int


SCALES = {
    "large": Scale(
        goals=8,
        projects=2000,
        update_months=12,
        kpis=200,
        measurements=520,
        objectives=500,
        key_results=4,
        check_ins=13,
        assessments=10,
    ),
    "tiny": Scale(
        goals=3,
        projects=24,
        update_months=6,
        kpis=12,
        measurements=40,
        objectives=24,
        key_results=4,
        check_ins=13,
        assessments=2,
    ),
    # More KPIs than the overview has tiles, more projects than its first batch of rows: for the
    # tests of what the app does with a portfolio too large to show at once.
    "medium": Scale(
        goals=4,
        projects=400,
        update_months=4,
        kpis=30,
        measurements=60,
        objectives=40,
        key_results=4,
        check_ins=13,
        assessments=2,
    ),
}

CYCLES = [f"{year}-Q{quarter}" for year in (2025, 2026) for quarter in (1, 2, 3, 4)]

# --------------------------------------------------------------------------- word pools

FIRST = [
    "Priya",
    "Daniel",
    "Lena",
    "Mei",
    "Arjun",
    "Samuel",
    "Chloe",
    "Grace",
    "Tomasz",
    "Amara",
    "Rafael",
    "Helena",
    "Jonas",
    "Fatima",
    "Oliver",
    "Sofia",
    "Kwame",
    "Ines",
    "Mateo",
    "Yuki",
    "Hannah",
    "Omar",
    "Elif",
    "Lucas",
    "Nadia",
    "Ravi",
    "Astrid",
    "Diego",
    "Leila",
    "Marcus",
]
LAST = [
    "Raman",
    "Kowalczyk",
    "Hoffmann",
    "Tanaka",
    "Patel",
    "Adeyemi",
    "Martin",
    "Whitfield",
    "Wierzbicki",
    "Okafor",
    "Quintero",
    "Marsh",
    "Lindqvist",
    "Haddad",
    "Bennett",
    "Rossi",
    "Mensah",
    "Carvalho",
    "Fernández",
    "Sato",
    "Becker",
    "Nasser",
    "Yilmaz",
    "Moreau",
]
GOALS = [
    ("Grow digital revenue", "Raise the share of revenue from online and mobile channels to 45 % by 2028."),
    (
        "Improve operational efficiency",
        "Take 8 % out of the cost to serve through automation and fewer systems.",
    ),
    ("Deliver a better customer experience", "Lift the customer NPS from +18 to +35."),
    (
        "Stay compliant and reduce risk",
        "No material regulatory findings; every critical risk has a tested control.",
    ),
    (
        "Modernise the technology estate",
        "Retire the legacy platforms and move 80 % of workloads to the cloud.",
    ),
    ("Build a data-driven organisation", "Every decision forum works from one governed set of figures."),
    ("Expand into new markets", "Launch in three new countries with a local partner each."),
    ("Grow and keep our people", "Voluntary attrition under 9 % and internal moves over 30 % of hires."),
]
ACTIONS = [
    "Upgrade",
    "Migrate",
    "Consolidate",
    "Replace",
    "Automate",
    "Roll out",
    "Redesign",
    "Integrate",
    "Decommission",
    "Pilot",
    "Harden",
    "Standardise",
    "Launch",
    "Rebuild",
]
SUBJECTS = [
    "ERP finance ledger",
    "CRM",
    "customer portal",
    "mobile app",
    "data warehouse",
    "payroll system",
    "supplier onboarding",
    "identity management",
    "contact centre",
    "billing engine",
    "HR platform",
    "document management",
    "network core",
    "pricing engine",
    "claims workflow",
    "inventory system",
    "analytics platform",
    "e-commerce checkout",
    "field service app",
    "treasury system",
    "risk register",
    "service desk",
    "intranet",
]
PLACES = [
    "EMEA",
    "Americas",
    "APAC",
    "Nordics",
    "UK",
    "DACH",
    "Iberia",
    "group",
    "retail",
    "wholesale",
    "manufacturing",
    "logistics",
    "head office",
    "online",
    "B2B",
]
UPDATE_COMMENTS = [
    "",
    "",
    "",
    "Steering committee approved the revised plan",
    "Vendor delivery slipped a week",
    "Test phase started",
    "Two key people on leave this month",
    "Scope change approved",
    "Go-live rehearsal passed",
    "Budget reforecast after the supplier quote",
    "Data migration found incomplete records",
    "Back on plan after the recovery sprint",
]
OBJECTIVE_TITLES = [
    "Make delivery more predictable",
    "Put reporting on a single source of truth",
    "Cut the cost to serve",
    "Win back customer trust",
    "Ship the new platform safely",
    "Raise the quality of our releases",
    "Grow online revenue",
    "Close the audit findings",
    "Make the service desk faster",
    "Retire the legacy estate",
    "Build the data team",
    "Launch in a new market",
    "Improve supplier performance",
    "Grow our people",
]
KR_COMMENTS = [
    "",
    "",
    "",
    "On plan",
    "Blocked on the vendor",
    "Recovered after the holidays",
    "Figures from the monthly report",
    "New estimate from the team",
    "Risk raised to steering",
]
NOTES = ["", "", "", "", "", "", "", "", "estimated", "late data from one region", "restated"]

# (code, name, unit, direction, start, target, warning, indicator, nature, description)
KPI_TEMPLATES = [
    (
        "ONTIME",
        "Projects on time",
        "%",
        "higher",
        72,
        80,
        70,
        "lagging",
        "quantitative",
        "Share of projects whose forecast finish is on or before the planned finish.",
    ),
    (
        "BUDGET",
        "Projects within budget",
        "%",
        "higher",
        78,
        85,
        75,
        "lagging",
        "quantitative",
        "Share of projects whose estimate at completion is within the budget.",
    ),
    (
        "UTIL",
        "Resource utilisation",
        "%",
        "higher",
        74,
        80,
        70,
        "lagging",
        "quantitative",
        "Hours booked to project work divided by the hours available in the delivery pool.",
    ),
    (
        "SAT",
        "Stakeholder satisfaction",
        "%",
        "higher",
        71,
        85,
        75,
        "lagging",
        "qualitative",
        "Share of sponsors rating the PMO's support 4 or 5 out of 5 in the pulse survey.",
    ),
    (
        "DEFECT",
        "Escaped defects",
        "count",
        "lower",
        42,
        20,
        30,
        "lagging",
        "quantitative",
        "Defects found in production in the week, from the service desk.",
    ),
    (
        "CYCLE",
        "Change lead time",
        "days",
        "lower",
        19,
        10,
        14,
        "leading",
        "quantitative",
        "Median days from an approved change request to its release.",
    ),
    (
        "RISKS",
        "Open critical risks",
        "count",
        "lower",
        38,
        20,
        30,
        "leading",
        "quantitative",
        "Critical risks open across the projects at the end of the week.",
    ),
    (
        "NPS",
        "Customer NPS",
        "points",
        "higher",
        14,
        35,
        20,
        "lagging",
        "qualitative",
        "Net promoter score of the weekly customer survey.",
    ),
    (
        "FCR",
        "First contact resolution",
        "%",
        "higher",
        64,
        80,
        70,
        "leading",
        "quantitative",
        "Share of contacts resolved at the first touch.",
    ),
    (
        "COST",
        "Cost to serve",
        "EUR",
        "lower",
        12.4,
        10.5,
        11.5,
        "lagging",
        "quantitative",
        "Operating cost per served customer in the week.",
    ),
    (
        "AVAIL",
        "Service availability",
        "%",
        "higher",
        99.2,
        99.9,
        99.5,
        "lagging",
        "quantitative",
        "Minutes the core services were up, over the minutes in the week.",
    ),
    (
        "BACKLOG",
        "Approved backlog",
        "items",
        "lower",
        260,
        150,
        200,
        "leading",
        "quantitative",
        "Approved work items not yet started at the end of the week.",
    ),
    (
        "THRU",
        "Throughput",
        "items",
        "higher",
        48,
        60,
        50,
        "leading",
        "quantitative",
        "Work items finished in the week.",
    ),
    (
        "ATTR",
        "Voluntary attrition",
        "%",
        "lower",
        11.5,
        9,
        10.5,
        "lagging",
        "quantitative",
        "Leavers in the last twelve months over the average head count.",
    ),
    (
        "TRAIN",
        "Training hours per head",
        "hours",
        "higher",
        1.1,
        2,
        1.5,
        "leading",
        "quantitative",
        "Training hours booked in the week per person.",
    ),
    (
        "SLA",
        "Tickets within SLA",
        "%",
        "higher",
        86,
        95,
        90,
        "lagging",
        "quantitative",
        "Service tickets closed within their service level.",
    ),
    (
        "REV",
        "Digital revenue share",
        "%",
        "higher",
        31,
        45,
        38,
        "lagging",
        "quantitative",
        "Share of the week's revenue from online and mobile channels.",
    ),
    (
        "AUDIT",
        "Open audit findings",
        "count",
        "lower",
        24,
        5,
        12,
        "lagging",
        "quantitative",
        "Audit findings not yet closed.",
    ),
    (
        "SUPPLY",
        "Supplier on-time delivery",
        "%",
        "higher",
        83,
        95,
        88,
        "lagging",
        "quantitative",
        "Supplier deliveries received on the agreed date.",
    ),
    (
        "ENERGY",
        "Energy per unit",
        "kWh",
        "lower",
        3.2,
        2.5,
        2.9,
        "lagging",
        "quantitative",
        "Energy used per unit produced.",
    ),
]
KPI_AREAS = ["EMEA", "AMER", "APAC", "NORD", "UK", "DACH", "IBER", "RETL", "WHSL", "MFG"]
# Derived KPIs read the project figures; a few of the large set are of that kind.
DERIVED = {"ONTIME": "on_time_pct", "BUDGET": "within_budget_pct", "RISKS": "open_risks"}
CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 31, "quarterly": 92, "yearly": 366}


# --------------------------------------------------------------------------- helpers


def _month_end(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return min(date(year, month + 1, min(day.day, 28)), date(9999, 12, 31))


def _quarter_bounds(name: str) -> tuple[date, date]:
    year, quarter = int(name[:4]), int(name[-1])
    start = date(year, 3 * quarter - 2, 1)
    return start, _month_end(year, 3 * quarter)


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


class _Generator:
    def __init__(self, scale: Scale, seed: int) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.people = [f"{first} {last}" for first in FIRST for last in LAST]
        self.rng.shuffle(self.people)
        self.people = self.people[: max(12, scale.projects // 15)]
        self.rows: dict[str, list[dict]] = {}

    def person(self) -> str:
        return self.rng.choice(self.people)

    # ------------------------------------------------------------------ goals

    def goals(self) -> None:
        self.rows["strategic_goal"] = [
            {
                "id": i,
                "code": f"G{i}",
                "name": name,
                "description": text,
                "owner": self.person(),
                "active": True,
            }
            for i, (name, text) in enumerate(GOALS[: self.scale.goals], start=1)
        ]

    def goal_id(self, share: float = 0.85) -> int | None:
        return self.rng.randint(1, self.scale.goals) if self.rng.random() < share else None

    # ------------------------------------------------------------------ projects

    def projects(self) -> None:
        rng = self.rng
        projects, updates = [], []
        update_id = 0
        for pid in range(1, self.scale.projects + 1):
            status = rng.choices(["active", "done", "proposed", "on_hold", "cancelled"], [55, 22, 8, 6, 9])[0]
            months = rng.randint(6, 30)
            if status == "proposed":
                start = TODAY + timedelta(days=rng.randint(10, 200))
            elif status == "done":
                start = TODAY - timedelta(days=rng.randint(months * 30 + 20, months * 30 + 900))
            else:
                start = TODAY - timedelta(days=rng.randint(20, months * 30 - 10))
            planned_finish = start + timedelta(days=months * 30)
            budget = round(math.exp(rng.uniform(math.log(60_000), math.log(18_000_000))), -3)
            expected = round(budget * rng.uniform(0.7, 2.2), -3)
            # SPI and CPI of the project: most near 1, a tail of troubled ones.
            spi = _clip(rng.gauss(1.0, 0.07) - (0.15 if rng.random() < 0.08 else 0), 0.55, 1.25)
            cpi = _clip(rng.gauss(1.01, 0.06) - (0.12 if rng.random() < 0.08 else 0), 0.6, 1.25)
            actual_finish = None
            realised = 0.0
            if status == "done":
                delay = max(0, round((1 / spi - 1) * months * 30))
                actual_finish = min(planned_finish + timedelta(days=delay), TODAY - timedelta(days=5))
                realised = round(expected * rng.uniform(0.2, 0.9), -3)
            projects.append(
                {
                    "id": pid,
                    "code": f"PRJ-{pid:04d}",
                    "name": f"{rng.choice(ACTIONS)} {rng.choice(SUBJECTS)} ({rng.choice(PLACES)})",
                    "owner": self.person(),
                    "status": status,
                    "strategic_goal_id": self.goal_id(),
                    "start": start,
                    "planned_finish": planned_finish,
                    "actual_finish": actual_finish,
                    "budget": budget,
                    "expected_benefit": expected,
                    "realised_benefit": realised,
                }
            )
            if status == "proposed":
                continue
            last_day = min(actual_finish or TODAY, TODAY)
            if status in ("on_hold", "cancelled"):
                last_day = min(last_day, TODAY - timedelta(days=rng.randint(20, 120)))
            ends = []
            year, month = last_day.year, last_day.month
            while len(ends) < self.scale.update_months:
                day = _month_end(year, month)
                if day <= start:
                    break
                if day <= last_day:
                    ends.append(day)
                year, month = (year - 1, 12) if month == 1 else (year, month - 1)
            ends.reverse()
            total_days = max(1, (planned_finish - start).days)
            change_requests = 0
            for day in ends:
                share = _clip((day - start).days / total_days, 0.0, 1.0)
                planned_value = round(budget * share, -2)
                spi = _clip(spi + rng.gauss(0, 0.015), 0.5, 1.3)
                cpi = _clip(cpi + rng.gauss(0, 0.012), 0.55, 1.3)
                earned = round(min(budget, planned_value * spi), -2)
                change_requests += rng.random() < 0.2
                # A project a little behind expects to catch up; only a clear lag moves the finish.
                delay = round((0.96 / spi - 1) * total_days) if spi < 0.96 else 0
                update_id += 1
                updates.append(
                    {
                        "id": update_id,
                        "project_id": pid,
                        "on": day,
                        "forecast_finish": actual_finish or planned_finish + timedelta(days=delay),
                        "planned_value": planned_value,
                        "earned_value": earned,
                        "actual_cost": round(earned / cpi, -2),
                        "change_requests": change_requests,
                        "open_risks": max(0, round(rng.gauss(4, 3))),
                        "satisfaction": round(_clip(rng.gauss(78, 9), 30, 100))
                        if rng.random() < 0.7
                        else None,
                        "comment": rng.choice(UPDATE_COMMENTS),
                    }
                )
        self.rows["project"] = projects
        self.rows["project_update"] = updates

    # ------------------------------------------------------------------ KPIs

    def kpis(self) -> None:
        rng = self.rng
        kpis, measurements = [], []
        combos = [(t, a) for a in KPI_AREAS for t in KPI_TEMPLATES]
        # The latest full week ends on the Sunday before today.
        latest = TODAY - timedelta(days=TODAY.weekday() + 1)
        measurement_id = 0
        for kid in range(1, self.scale.kpis + 1):
            template, area = combos[(kid - 1) % len(combos)]
            code, name, unit, direction, begin, target, warning, indicator, nature, text = template
            round_to = 0 if abs(target) >= 50 and unit not in ("%",) else 1
            source = "entered"
            if area == "EMEA" and code in DERIVED:
                source = DERIVED[code]
            kpis.append(
                {
                    "id": kid,
                    "code": f"{code}-{area}",
                    "name": f"{name} ({area})",
                    "description": text,
                    "unit": unit,
                    "direction": direction,
                    "target": target,
                    "warning": warning,
                    "indicator": indicator,
                    "nature": nature,
                    "owner": self.person(),
                    "cadence": "weekly",
                    "cadence_days": CADENCE_DAYS["weekly"],
                    "strategic_goal_id": self.goal_id(0.8),
                    "source": source,
                    "active": rng.random() > 0.04,
                    "last_reviewed": TODAY - timedelta(days=rng.randint(3, 220)),
                }
            )
            # A few KPIs have stopped being measured: they show as overdue.
            last = latest - timedelta(weeks=rng.randint(2, 8)) if rng.random() < 0.05 else latest
            # Ten years: from a worse start drifting towards (and sometimes past) the target.
            span = abs(target - begin) or abs(target) * 0.1 or 1.0
            reach = rng.uniform(0.5, 1.25)
            noise = span * rng.uniform(0.03, 0.12)
            count = self.scale.measurements
            for week in range(count):
                share = week / max(1, count - 1)
                trend = begin + (target - begin) * reach * share
                season = span * 0.08 * math.sin(2 * math.pi * week / 52 + kid)
                value = trend + season + rng.gauss(0, noise)
                if unit == "%":
                    value = _clip(value, 0, 100)
                elif direction == "lower" or unit in ("count", "items", "hours", "days", "EUR", "kWh"):
                    value = max(0.0, value)
                measurement_id += 1
                measurements.append(
                    {
                        "id": measurement_id,
                        "kpi_id": kid,
                        "period": last - timedelta(weeks=count - 1 - week),
                        "value": round(value, round_to + 1),
                        "note": rng.choice(NOTES),
                    }
                )
        self.rows["kpi"] = kpis
        self.rows["measurement"] = measurements

    # ------------------------------------------------------------------ OKRs

    def okrs(self) -> None:
        from pmo_tui import calculations as calc

        rng = self.rng
        cycles, objectives, key_results, check_ins = [], [], [], []
        per_cycle = [self.scale.objectives // len(CYCLES)] * len(CYCLES)
        for i in range(self.scale.objectives - sum(per_cycle)):
            per_cycle[-1 - i] += 1  # the spare ones go to the latest cycles
        kpi_rows = self.rows["kpi"]
        objective_id = kr_id = check_in_id = 0
        previous: list[dict] = []
        for cid, (name, count) in enumerate(zip(CYCLES, per_cycle, strict=True), start=1):
            start, end = _quarter_bounds(name)
            is_open = cid == len(CYCLES)
            cycles.append(
                {
                    "id": cid,
                    "name": name,
                    "start": start,
                    "end": end,
                    "status": "open" if is_open else "closed",
                }
            )
            if is_open:
                # This cycle is under way: check-ins twice a week (Mon, Thu) up to last week.
                monday = TODAY - timedelta(days=TODAY.weekday())
                days = [
                    d
                    for d in (start + timedelta(days=n) for n in range((monday - start).days))
                    if d.weekday() in (0, 3)
                ]
                days = days[-self.scale.check_ins :]
            else:
                days = [
                    start + timedelta(days=(4 - start.weekday()) % 7 + 7 * week)
                    for week in range(self.scale.check_ins)
                ]
                days = [min(d, end) for d in days]
            company: list[dict] = []
            this_cycle: list[dict] = []
            for number in range(1, count + 1):
                objective_id += 1
                code = f"{name}-O{number}"
                status = "active"
                if not is_open:
                    status = "archived" if rng.random() < 0.04 else "done"
                elif rng.random() < 0.05:
                    status = "draft"
                parent = rng.choice(company)["id"] if company and rng.random() < 0.6 else None
                carried = None
                if previous and rng.random() < 0.12:
                    carried = rng.choice(previous)["id"]
                objective = {
                    "id": objective_id,
                    "code": code,
                    "title": f"{rng.choice(OBJECTIVE_TITLES)} in {rng.choice(PLACES)}",
                    "cycle_id": cid,
                    "owner": self.person(),
                    "strategic_goal_id": self.goal_id(0.9),
                    "parent_id": parent,
                    "carried_from_id": carried,
                    "status": status,
                    "grade": None,
                }
                if number <= max(2, count // 8):
                    company.append(objective)
                this_cycle.append(objective)
                scores = []
                for k in range(1, self.scale.key_results + 1):
                    kr_id += 1
                    kind = rng.choices(
                        ["increase", "decrease", "within_band", "milestone"], [45, 20, 10, 25]
                    )[0]
                    kpi = (
                        rng.choice(kpi_rows)
                        if kind in ("increase", "decrease") and rng.random() < 0.3
                        else None
                    )
                    unit, band_low, band_high = "", None, None
                    if kind == "milestone":
                        baseline, target = 0.0, 1.0
                        title = f"{rng.choice(ACTIONS)} the {rng.choice(SUBJECTS)} live"
                    elif kind == "within_band":
                        unit = "%"
                        band_low, band_high = float(rng.randint(75, 85)), float(rng.randint(88, 95))
                        baseline, target = band_low, band_high
                        title = f"Keep utilisation between {band_low:g} % and {band_high:g} %"
                    else:
                        unit = kpi["unit"] if kpi else rng.choice(["%", "count", "days", "EUR k"])
                        low, high = sorted((rng.uniform(5, 60), rng.uniform(60, 120)))
                        baseline, target = (
                            (round(low), round(high)) if kind == "increase" else (round(high), round(low))
                        )
                        if kpi:
                            baseline, target = float(kpi["target"]) * 0.85, float(kpi["target"])
                            if kind == "decrease":
                                baseline, target = float(kpi["target"]) * 1.2, float(kpi["target"])
                        title = (
                            f"{'Raise' if kind == 'increase' else 'Cut'} {rng.choice(SUBJECTS)} figure "
                            f"from {baseline:g} to {target:g}"
                        )
                    original, reason = None, ""
                    if rng.random() < 0.05 and kind in ("increase", "decrease"):
                        original, reason = target * 1.1, "Target reset after the mid-cycle review"
                    # Where the key result ends up, as a share of the way to its target.
                    reach = _clip(rng.gauss(0.72, 0.28), 0.0, 1.15)
                    values = []
                    for n, day in enumerate(days, start=1):
                        share = reach * n / len(days)
                        if kind == "milestone":
                            value = 1.0 if (n == len(days) and reach > 0.7) else 0.0
                        elif kind == "within_band":
                            value = round(rng.uniform(band_low - 4, band_high + 3), 1)
                        else:
                            value = round(
                                baseline
                                + (target - baseline) * share
                                + rng.gauss(0, abs(target - baseline) * 0.04),
                                2,
                            )
                        values.append(value)
                        check_in_id += 1
                        check_ins.append(
                            {
                                "id": check_in_id,
                                "key_result_id": kr_id,
                                "on": day,
                                "value": value,
                                "confidence": round(_clip(rng.gauss(0.5 + reach * 0.3, 0.15), 0.1, 1.0), 1),
                                "comment": rng.choice(KR_COMMENTS),
                            }
                        )
                    archived = rng.random() < 0.02
                    grade = None
                    if not is_open and status == "done" and not archived:
                        grade = round(
                            calc.key_result_progress(kind, baseline, target, values, band_low, band_high), 2
                        )
                        scores.append((grade, 1.0))
                    key_results.append(
                        {
                            "id": kr_id,
                            "code": f"{code}-KR{k}",
                            "title": title,
                            "objective_id": objective_id,
                            "kind": kind,
                            "unit": unit,
                            "baseline": float(baseline),
                            "target": float(target),
                            "band_low": band_low,
                            "band_high": band_high,
                            "weight": 1.0,
                            "owner": self.person() if rng.random() < 0.7 else "",
                            "kpi_id": kpi["id"] if kpi else None,
                            "original_target": original,
                            "target_change_reason": reason,
                            "grade": grade,
                            "archived": archived,
                        }
                    )
                if scores:
                    objective["grade"] = round(calc.objective_progress(scores), 2)
                objectives.append(objective)
            previous = this_cycle
        self.rows["cycle"] = cycles
        self.rows["objective"] = objectives
        self.rows["key_result"] = key_results
        self.rows["check_in"] = check_ins

    # ------------------------------------------------------------------ maturity

    def assessments(self) -> None:
        from pmo_tui.portfolio_file import shipped_question_ids

        rng = self.rng
        questions = sorted(shipped_question_ids())
        count = self.scale.assessments
        assessments, answers = [], []
        answer_id = 0
        levels = {q: rng.randint(1, 2) for q in questions}
        for aid in range(1, count + 1):
            # Quarterly, the latest on 2026-09-15.
            taken = _add_months(date(2026, 9, 15), -3 * (count - aid))
            # updated_at stays empty, as the app leaves it.
            assessments.append({"id": aid, "taken_on": taken, "status": "complete", "updated_at": None})
            for question in questions:
                if rng.random() < 0.25:
                    levels[question] = min(5, levels[question] + 1)
                elif rng.random() < 0.05:
                    levels[question] = max(1, levels[question] - 1)
                answer_id += 1
                answers.append(
                    {
                        "id": answer_id,
                        "assessment_id": aid,
                        "question_id": question,
                        "level": levels[question],
                        "comment": "Evidence in the PMO handbook" if rng.random() < 0.1 else "",
                    }
                )
        self.rows["assessment"] = assessments
        self.rows["answer"] = answers

    def build(self) -> dict[str, list[dict]]:
        self.goals()
        self.projects()
        self.kpis()
        self.okrs()
        self.assessments()
        return self.rows


# Parents before children, so the foreign keys hold at every insert (the schema's own order).
TABLE_ORDER = list(PORTFOLIO_TABLES)


def _sql_value(value: object) -> object:
    """A Python value as the app's columns store it in SQLite (dates as ISO text, booleans as 0/1)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def generate(path: Path | str, scale: str = "large", seed: int = 2026) -> dict[str, int]:
    """Write the portfolio of `scale` into a new database at `path`; returns the row counts."""
    import sqlite3

    from pmo_tui import models
    from pmo_tui.store import Store

    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} exists; the generator writes a new file only")
    Store.open(path).close()  # the app's own schema, application id and version
    rows = _Generator(SCALES[scale], seed).build()
    tables = models.SQLModel.metadata.tables  # those pmo_tui.models defines
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        for name in TABLE_ORDER:
            if not rows.get(name):
                continue
            # Every column of the app's table, by name: a missing or unknown field fails here.
            columns = [column.name for column in tables[name].columns]
            unknown = set(rows[name][0]) - set(columns)
            if unknown:
                raise KeyError(f"{name} has no column {sorted(unknown)}")
            defaults = {
                column.name: column.default.arg
                if column.default is not None and not callable(column.default.arg)
                else None
                for column in tables[name].columns
            }
            statement = (
                f'INSERT INTO "{name}" ({", ".join(f"{c!r}".replace(chr(39), chr(34)) for c in columns)}) '
                f"VALUES ({', '.join('?' * len(columns))})"
            )
            connection.executemany(
                statement,
                (
                    tuple(_sql_value(row[c] if c in row else defaults[c]) for c in columns)
                    for row in rows[name]
                ),
            )
        # The foreign keys were not enforced row by row (plain sqlite3): checked once, here.
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise sqlite3.IntegrityError(f"foreign keys broken: {broken[:5]}")
        # The triggers left a random revision, and Store.open a random identity: both from the
        # scale and seed instead, so that the same portfolio is the same file, byte for byte (a
        # different one gets others). Two files that share them hold the same rows, so the
        # overview cache, keyed by them, still shows each its own data.
        seeded = random.Random(f"{scale} {seed}")
        connection.execute(
            "UPDATE revision SET n = ?, identity = ? WHERE id = 1",
            (seeded.getrandbits(63), f"{seeded.getrandbits(128):032x}"),
        )
        connection.execute("COMMIT")
        # No ANALYZE: the app never runs one, so users' files carry no statistics either.
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()
    return {name: len(rows.get(name, ())) for name in TABLE_ORDER}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path, help="the database file to create (must not exist)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="large")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        counts = generate(args.path, args.scale, args.seed)
    except FileExistsError as error:
        print(f"bench.generate: {error}", file=sys.stderr)
        return 2
    took = time.perf_counter() - started
    print(f"{args.path}: " + ", ".join(f"{n} {t}" for t, n in counts.items()) + f" in {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
