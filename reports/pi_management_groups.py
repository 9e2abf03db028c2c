"""The PI management report's pooled figures: by client group and service type, and the trend.

A group's PI is the formula applied to the summed numerators and denominators
of its accepted returns (``tasks.pi.pooled``), never an average of
percentages. Groups with nothing pooled this quarter are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from data_contracts.pi_workbook import SERVICE_TYPES
from foundation.programme import PI_NAMES
from reports.columns import columns
from reports.model import Chart, Column, Table
from reports.periods import quarter_label, quarters_ending
from reports.pi_data import ServiceQuarter
from reports.previous_quarter import compared, compared_columns
from reports.quarterly_input import (
    PI_TITLES,
    TREND_QUARTERS,
    QuarterlyInput,
    breaches,
    pis_in_words,
    pooled_by,
    yes_no,
)
from tasks.pi.pooled import PooledPi, pool


def _value(pooled: Mapping[str, PooledPi] | None, pi: str) -> float | None:
    return pooled[pi].value if pooled is not None and pooled[pi].services else None


def group_table(
    sheet: str,
    attribute: str,
    heading: str,
    current: Sequence[ServiceQuarter],
    triggers: Mapping[str, float | None],
    before: Sequence[ServiceQuarter] = (),
    before_label: str = "previous quarter",
) -> Table:
    """Groups as rows, PIs as columns: each group's pooled value beside its previous quarter's.

    Groups with nothing pooled this quarter are left out.
    """
    groups = pooled_by(current, lambda q: str(getattr(q, attribute)))
    earlier = pooled_by(before, lambda q: str(getattr(q, attribute)))
    members: dict[str, list[ServiceQuarter]] = defaultdict(list)
    for quarter in current:
        members[str(getattr(quarter, attribute))].append(quarter)
    rows = []
    for name, pooled in groups.items():
        if not any(pooled[pi].services for pi in PI_NAMES):
            continue  # no accepted return with a value: nothing to show
        held = members[name]
        row: dict[str, Any] = {
            "group": name,
            "services": len(held),
            "accepted": sum(q.accepted for q in held),
        }
        for pi in PI_NAMES:
            row |= compared(pi.lower(), _value(pooled, pi), _value(earlier.get(name), pi))
        below = [pi for pi in PI_NAMES if breaches(pooled[pi].value, triggers[pi])]
        row["below"] = pis_in_words(below) if below else "none"
        row["breaching"] = sum(
            1 for q in held if q.accepted and any(breaches(q.pis.get(pi), triggers[pi]) for pi in PI_NAMES)
        )
        rows.append(row)
    return Table(
        sheet=sheet,
        title=f"Pooled PIs by {heading.lower()}",
        columns=columns(
            Column("group", heading),
            "services",
            Column("accepted", "Accepted returns", "int"),
            *(c for pi in PI_NAMES for c in compared_columns(pi.lower(), pi, "percent", before_label)),
            Column("below", "Pooled PIs below their trigger"),
            Column("breaching", "Services breaching any PI", "int"),
        ),
        rows=tuple(rows),
        note=f"Beside each PI: the group's pooled value for {before_label} and the change (points).",
        empty="No group has an accepted return.",
    )


def group_detail_table(
    sheet: str,
    attribute: str,
    heading: str,
    current: Sequence[ServiceQuarter],
    triggers: Mapping[str, float | None],
) -> Table:
    """One row per group and PI pooled: the summed numerator and denominator the value comes from."""
    groups = pooled_by(current, lambda q: str(getattr(q, attribute)))
    rows = []
    for name, pooled in groups.items():
        members = [q for q in current if getattr(q, attribute) == name]
        for pi in PI_NAMES:
            if not pooled[pi].services:
                continue  # nothing pooled: not a row
            breaching = sum(
                1 for q in members if q.accepted and breaches(q.pis.get(pi), triggers[pi]) is True
            )
            rows.append(
                {
                    "group": name,
                    "pi": pi,
                    "services": pooled[pi].services,
                    "numerator": pooled[pi].numerator,
                    "denominator": pooled[pi].denominator,
                    "value": pooled[pi].value,
                    "trigger": triggers[pi],
                    "breach": yes_no(breaches(pooled[pi].value, triggers[pi])),
                    "breaching": breaching,
                }
            )
    return Table(
        sheet=sheet,
        title=f"How the {heading.lower()} figures are pooled: summed numerators and denominators",
        columns=columns(
            Column("group", heading),
            "pi",
            Column("services", "Services pooled", "int"),
            Column("numerator", "Numerator", "number"),
            Column("denominator", "Denominator", "number"),
            Column("value", "Pooled value", "percent"),
            "trigger",
            Column("breach", "Pooled value breaches"),
            "breaching",
        ),
        rows=tuple(rows),
        empty="Nothing pooled.",
    )


def trend_table(
    data: QuarterlyInput, pi: str, accepted_by_key: Mapping[tuple[str, str], Sequence[ServiceQuarter]]
) -> Table:
    """One PI pooled over all services and over each service type, for the last eight quarters."""
    keys = quarters_ending(data.year, data.quarter, TREND_QUARTERS)
    types = [
        t for t in SERVICE_TYPES if any(pi in q.applicable and q.service_type == t for q in data.quarters)
    ]
    types += sorted({q.service_type for q in data.quarters if pi in q.applicable} - set(types))
    type_keys = {service_type: f"type_{n}" for n, service_type in enumerate(types)}
    rows = []
    for key in keys:
        held = accepted_by_key.get(key, ())
        everything = pool(q.fractions for q in held)[pi]
        row: dict[str, Any] = {
            "quarter": quarter_label(*key),
            "all": everything.value,
            "services": everything.services,
            "trigger": data.trigger(key[0], pi),
        }
        for service_type, column in type_keys.items():
            row[column] = pool(q.fractions for q in held if q.service_type == service_type)[pi].value
        rows.append(row)
    type_columns = tuple(
        Column(column, service_type, "percent") for service_type, column in type_keys.items()
    )
    return Table(
        sheet=f"Trend {pi}",
        title=f"{pi} {PI_TITLES[pi]}: pooled, last eight quarters",
        columns=columns(
            "quarter",
            Column("all", "All services", "percent"),
            *type_columns,
            "trigger",
            Column("services", "Services pooled", "int"),
        ),
        rows=tuple(rows),
        charts=(
            Chart(
                f"{pi} {PI_TITLES[pi]}",
                "quarter",
                ("all", *type_keys.values(), "trigger"),
                y_label="Pooled value (%)",
                dashed=("trigger",),
                x_label="Quarter (a gap: no accepted return with a value)",
                percent=True,
            ),
        ),
    )
