"""The PI management report's summary: each PI against its trigger over all services, and completeness.

Every figure of the summary (and of the report's headline) is counted from
these tables' rows, so the words and the tables cannot disagree. A quarter
whose agreed extension still runs is "extended to DATE", never "not received".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from foundation.programme import PI_NAMES
from reports.columns import columns
from reports.late_returns import by_provider
from reports.model import Chart, Column, Table
from reports.pi_data import ServiceQuarter
from reports.previous_quarter import compared
from reports.quarterly_input import PI_TITLES, breaches, yes_no
from tasks.pi.pooled import pool
from tasks.pi.rules import two_decimals


def pi_summary_table(
    current: Sequence[ServiceQuarter],
    triggers: Mapping[str, float | None],
    before: Sequence[ServiceQuarter] = (),
    before_triggers: Mapping[str, float | None] | None = None,
    before_label: str = "previous quarter",
) -> Table:
    """Each PI over all services: who it applies to, who breached, the pooled value, beside last quarter's."""
    pooled = pool(q.fractions for q in current if q.accepted)
    pooled_before = pool(q.fractions for q in before if q.accepted)
    before_triggers = before_triggers or triggers
    rows = []
    for pi in PI_NAMES:
        applies = [q for q in current if pi in q.applicable]
        with_value = [q for q in applies if q.accepted and q.pis.get(pi) is not None]
        breaching = [q for q in with_value if breaches(q.pis.get(pi), triggers[pi])]
        breaching_before = (
            sum(
                1
                for q in before
                if pi in q.applicable and q.accepted and breaches(q.pis.get(pi), before_triggers[pi])
            )
            if before
            else None
        )
        value_before = pooled_before[pi].value if before else None
        rows.append(
            {
                "pi": pi,
                "name": PI_TITLES[pi],
                "trigger": triggers[pi],
                "applies": len(applies),
                "with_value": len(with_value),
                **compared("breaching", len(breaching), breaching_before),
                "numerator": pooled[pi].numerator if pooled[pi].services else None,
                "denominator": pooled[pi].denominator if pooled[pi].services else None,
                **compared("pooled", pooled[pi].value, value_before),
                "pooled_breach": yes_no(breaches(pooled[pi].value, triggers[pi])),
            }
        )
    return Table(
        sheet="PI summary",
        title="Each PI against its trigger, all services",
        columns=columns(
            "pi",
            Column("name", "Name"),
            "trigger",
            Column("applies", "Services it applies to", "int"),
            Column("with_value", "Services with a value", "int"),
            "breaching",
            Column("breaching_before", f"Breaching {before_label}", "int"),
            Column("breaching_change", "Change in breaching", "int"),
            Column("pooled", "Pooled value", "percent"),
            Column("pooled_before", f"Pooled value {before_label}", "percent"),
            Column("pooled_change", "Change (points)", "percent"),
            Column("pooled_breach", "Pooled value breaches"),
            Column("numerator", "Pooled numerator", "number"),
            Column("denominator", "Pooled denominator", "number"),
        ),
        rows=tuple(rows),
        note="Services with a value: accepted returns where the PI applies and its inputs gave a value. "
        "Change: this quarter less the previous (points of percentage for the pooled value).",
        charts=(
            Chart(
                "Services breaching each PI",
                "pi",
                ("breaching", "breaching_before"),
                kind="bar",
                y_label="Services breaching",
                x_label="PI",
            ),
        ),
    )


def extended(quarter: ServiceQuarter, as_at: date) -> bool:
    """Nothing received yet, but an agreed extension still runs: not a non-return."""
    return quarter.state(as_at).startswith("extended to")


def not_received(quarter: ServiceQuarter, as_at: date) -> bool:
    """Nothing received by the deadline (after any extension): a non-return."""
    return quarter.first_received is None and quarter.state(as_at) == "non-return"


def not_yet_due(quarter: ServiceQuarter, as_at: date) -> bool:
    """Nothing received, and the deadline has not passed: neither missing nor late yet."""
    return quarter.first_received is None and quarter.state(as_at) == "not yet due"


def status_text(quarter: ServiceQuarter, as_at: date) -> str:
    """The current return's status, else "extended to DATE", "not received" or "not yet due"."""
    if quarter.status:
        return quarter.status
    state = quarter.state(as_at)
    return "not received" if state == "non-return" else state


def completeness_sentence(current: Sequence[ServiceQuarter], label: str, as_at: date) -> str:
    """How many services had a return, and what became of them, in one sentence."""
    total = len(current)
    if not total:
        return f"No service has a contract for {label}."
    accepted = sum(q.accepted for q in current)
    returned = sum(q.status == "returned" for q in current)
    missing = sum(not_received(q, as_at) for q in current)
    waiting = sum(not_yet_due(q, as_at) for q in current)
    running = [q.state(as_at) for q in current if extended(q, as_at)]
    due = f", {waiting} not yet due" if waiting else ""
    still = f", {len(running)} with an extension still running ({'; '.join(running)})" if running else ""
    return (
        f"{total} services had a return for {label}: {accepted} accepted "
        f"({two_decimals(100 * accepted / total)}%), {returned} returned for correction, "
        f"{missing} not received{due}{still}."
    )


def _completeness_rows(current: Sequence[ServiceQuarter], as_at: date) -> list[dict[str, Any]]:
    rows = []
    for provider_id, held in by_provider(current):
        outcomes = Counter(q.outcome(as_at) for q in held)
        accepted = sum(q.accepted for q in held)
        rows.append(
            {
                "provider_id": provider_id,
                "provider_name": held[0].provider_name,
                "services": len(held),
                "received": sum(q.first_received is not None for q in held),
                "accepted": accepted,
                "returned": sum(q.status == "returned" for q in held),
                "not_received": sum(not_received(q, as_at) for q in held),
                "not_yet_due": sum(not_yet_due(q, as_at) for q in held),
                "extended": sum(extended(q, as_at) for q in held),
                "late": outcomes["late"],
                "complete": 100 * accepted / len(held),
            }
        )
    return rows


def completeness_table(current: Sequence[ServiceQuarter], as_at: date) -> Table:
    """Each provider's returns: received, accepted, returned, missing, not yet due, extended, late."""
    return Table(
        sheet="Completeness",
        title="How complete the returns are, by provider",
        columns=columns(
            "provider_id",
            "provider_name",
            "services",
            Column("received", "Received", "int"),
            Column("accepted", "Accepted", "int"),
            Column("returned", "Returned for correction", "int"),
            Column("not_received", "Not received", "int"),
            Column("not_yet_due", "Not yet due", "int"),
            Column("extended", "Extension running", "int"),
            Column("late", "Received late", "int"),
            Column("complete", "Complete (% accepted)", "percent"),
        ),
        rows=tuple(_completeness_rows(current, as_at)),
    )
