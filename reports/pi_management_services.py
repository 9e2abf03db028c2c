"""The PI management report's tables of single services: every service's PIs, and every breach.

Each row names the return its figures come from (source file and received
time), so an analyst can go back from a figure to the workbook. Each PI value
stands beside the service's own value of the previous quarter and the change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from foundation.programme import PI_NAMES
from reports.columns import columns
from reports.model import Column, Table
from reports.pi_data import ServiceQuarter
from reports.pi_management_summary import status_text
from reports.previous_quarter import compared, compared_columns
from reports.quarterly_input import PI_TITLES, pis_in_words, received_at_of, source_file_of

# Where a figure comes from: the return's file and when it was received.
TRACE_COLUMNS = ("source_file", "received_at")


def accepted_value(quarter: ServiceQuarter | None, pi: str) -> float | None:
    """The PI's value of an accepted return; None when there is none (not a zero)."""
    return quarter.pis.get(pi) if quarter is not None and quarter.accepted else None


def services_table(
    current: Sequence[ServiceQuarter],
    as_at: date,
    before: Sequence[ServiceQuarter] = (),
    before_label: str = "previous quarter",
) -> Table:
    """Every service's return and PIs, each PI beside the service's previous quarter and the change."""
    earlier = {q.service_id: q for q in before}
    rows = []
    for quarter in current:
        row: dict[str, Any] = {
            "service_id": quarter.service_id,
            "service_name": quarter.service_name,
            "provider_id": quarter.provider_id,
            "provider_name": quarter.provider_name,
            "client_group": quarter.client_group,
            "service_type": quarter.service_type,
            "status": status_text(quarter, as_at),
            "breaches": pis_in_words(quarter.breaches) if quarter.accepted else "",
            "breach_codes": ";".join(quarter.breaches) if quarter.accepted else "",
            "source_file": source_file_of(quarter),
            "received_at": received_at_of(quarter),
        }
        for pi in PI_NAMES:
            previous = earlier.get(quarter.service_id)
            row |= compared(pi.lower(), accepted_value(quarter, pi), accepted_value(previous, pi))
        rows.append(row)
    return Table(
        sheet="Services",
        title="Each service's PIs",
        columns=columns(
            "service_id",
            "service_name",
            "provider_id",
            "provider_name",
            "client_group",
            "service_type",
            Column("status", "Return"),
            *(c for pi in PI_NAMES for c in compared_columns(pi.lower(), pi, "percent", before_label)),
            "breaches",
            Column("breach_codes", "Breach codes"),
            *TRACE_COLUMNS,
        ),
        rows=tuple(rows),
        note="Values of accepted returns; blank where a PI does not apply, has no value, or the return "
        f"is not accepted. Beside each PI: the service's value for {before_label} and the change "
        "(points). Source file and received: the return the figures come from.",
    )


def breaches_table(current: Sequence[ServiceQuarter], triggers: Mapping[str, float | None]) -> Table:
    """Every breach of an accepted return with the provider's explanation and the return it is in."""
    rows = [
        {
            "service_id": q.service_id,
            "service_name": q.service_name,
            "provider_id": q.provider_id,
            "provider_name": q.provider_name,
            "pi": pi,
            "pi_name": PI_TITLES.get(pi, ""),
            "value": q.pis.get(pi),
            "trigger": triggers[pi],
            "explanation": q.comments,
            "source_file": source_file_of(q),
            "received_at": received_at_of(q),
        }
        for q in current
        if q.accepted
        for pi in q.breaches
    ]
    return Table(
        sheet="Breaches",
        title="Every breach with the provider's explanation",
        columns=columns(
            "service_id",
            "service_name",
            "provider_id",
            "provider_name",
            "pi",
            Column("pi_name", "PI name"),
            Column("value", "Value", "percent"),
            "trigger",
            Column("explanation", "Provider's explanation"),
            *TRACE_COLUMNS,
        ),
        rows=tuple(rows),
        note="Breaches of accepted returns (each explained by the provider). Returns with an "
        "unexplained breach were returned and appear under Every service.",
        empty="No accepted return breached a trigger.",
    )
