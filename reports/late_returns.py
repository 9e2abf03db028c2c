"""Late and non-returns (``reports.md``, Quarterly 2), by provider, for the quarter and the year to date."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from reports.columns import columns
from reports.model import Chart, Column, Report, Section, Table
from reports.periods import QuarterKey
from reports.periods import year_to_date as quarters_of_year_to_date
from reports.pi_data import ServiceQuarter
from reports.quarterly_frame import quarterly_report
from reports.quarterly_input import QuarterlyInput


def late_returns_report(data: QuarterlyInput, year_to_date: Sequence[QuarterKey] | None = None) -> Report:
    """Late and non-returns without an agreed extension, by provider, for the quarter and the year to date.

    ``year_to_date``: the quarters counted (default Q1 of the year to the report's quarter).
    """
    year_to_date = year_to_date or quarters_of_year_to_date(data.year, data.quarter)
    quarter_rows = data.of_quarter()
    ytd = sorted(
        (q for q in data.quarters if q.key in set(year_to_date)),
        key=lambda q: (q.key, q.service_id),
    )
    detail = [q for q in ytd if q.outcome(data.as_at) in ("late", "non-return")]
    quarter_table = _late_by_provider(
        "Quarter by provider", f"Late and non-returns by provider, {data.label}", quarter_rows, data.as_at
    )
    ytd_table = _late_by_provider(
        "Year to date by provider", "Late and non-returns by provider, year to date", ytd, data.as_at
    )
    sections = (
        Section(
            f"The quarter, {data.label}",
            tables=(
                _most_late("Quarter most late", f"Most late and non-returns, {data.label}", quarter_table),
                quarter_table,
            ),
            paragraphs=(
                "A return is late when its first file came after the deadline; a non-return has had "
                "nothing by the as-at date. Deadlines include any agreed extension, so returns within "
                "their extension are neither.",
            ),
        ),
        Section(
            f"The year to date, {year_to_date[0][1]} to {year_to_date[-1][1]} {data.year}",
            tables=(
                _most_late("Year to date most late", "Most late and non-returns, year to date", ytd_table),
                ytd_table,
                _late_detail(detail, data.as_at),
            ),
        ),
    )
    return quarterly_report(
        "late-returns",
        "Late and non-returns",
        (data.year, data.quarter),
        data.as_at,
        sections,
        headline=late_headline(data, quarter_rows, ytd),
    )


def late_headline(
    data: QuarterlyInput, quarter_rows: Sequence[ServiceQuarter], ytd: Sequence[ServiceQuarter]
) -> tuple[str, ...]:
    """The quarter's late and non-returns, the providers with most of them, and the year to date."""
    outcomes = Counter(q.outcome(data.as_at) for q in quarter_rows)
    sentences = [
        f"{data.label}: {outcomes['non-return']} non-returns and {outcomes['late']} late returns "
        f"of {len(quarter_rows) - outcomes['not yet due']} due (extensions agreed are not late)."
    ]
    by_provider: Counter[tuple[str, str]] = Counter(
        (q.provider_id, q.provider_name)
        for q in quarter_rows
        if q.outcome(data.as_at) in ("late", "non-return")
    )
    if by_provider:
        worst = sorted(by_provider.items(), key=lambda item: (-item[1], item[0]))[:3]
        sentences.append(
            "Most late or missing this quarter: "
            + "; ".join(
                f"{name or provider_id} ({provider_id}) {count}" for (provider_id, name), count in worst
            )
            + "."
        )
    year = Counter(q.outcome(data.as_at) for q in ytd)
    sentences.append(f"Year to date: {year['non-return']} non-returns and {year['late']} late returns.")
    return tuple(sentences)


def by_provider(quarters: Sequence[ServiceQuarter]) -> list[tuple[str, list[ServiceQuarter]]]:
    """The quarters of each provider, by provider ID."""
    held: dict[str, list[ServiceQuarter]] = defaultdict(list)
    for quarter in quarters:
        held[quarter.provider_id].append(quarter)
    return sorted(held.items())


def _late_by_provider(sheet: str, title: str, quarters: Sequence[ServiceQuarter], as_at: date) -> Table:
    rows = []
    for provider_id, held in by_provider(quarters):
        outcomes = Counter(q.outcome(as_at) for q in held)
        due = len(held) - outcomes["not yet due"]
        rows.append(
            {
                "provider_id": provider_id,
                "provider_name": held[0].provider_name,
                "due": due,
                "late": outcomes["late"],
                "non_returns": outcomes["non-return"],
                "total": outcomes["late"] + outcomes["non-return"],
            }
        )
    return Table(
        sheet=sheet,
        title=title,
        columns=columns(
            "provider_id",
            "provider_name",
            Column("due", "Returns due", "int"),
            Column("late", "Late", "int"),
            Column("non_returns", "Non-returns", "int"),
            Column("total", "Late and non-returns", "int"),
        ),
        rows=tuple(rows),
    )


MOST_LATE = 20


def _most_late(sheet: str, title: str, by_provider: Table) -> Table:
    """The providers with late or non-returns, most first (at most :data:`MOST_LATE`), charted."""
    rows = sorted(
        (r for r in by_provider.rows if r["total"]),
        key=lambda r: (-r["total"], -r["non_returns"], r["provider_id"]),
    )[:MOST_LATE]
    return Table(
        sheet=sheet,
        title=title,
        columns=by_provider.columns,
        rows=tuple(rows),
        note=f"Providers with any late or non-return, most first (at most {MOST_LATE}); every provider "
        "is in the table that follows.",
        empty="No provider has a late or non-return.",
        charts=(
            Chart(
                title,
                "provider_id",
                ("late", "non_returns"),
                kind="bar",
                y_label="Returns",
                x_label="Provider ID (names in the table)",
            ),
        )
        if rows
        else (),
    )


TIMELINESS_COLUMNS: tuple[str | Column, ...] = (
    "year",
    "quarter",
    "deadline",
    Column("extension", "Extended to", "date"),
    Column("extension_reason", "Reason for lateness"),
    Column("received", "First received", "date"),
    Column("days_late", "Days late", "int"),
    Column("outcome", "Outcome"),
    Column("status", "Current return"),
)


def timeliness_row(q: ServiceQuarter, as_at: date) -> dict[str, Any]:
    """One service quarter's timeliness, for the late-returns report and the providers' packs."""
    return {
        "service_id": q.service_id,
        "service_name": q.service_name,
        "provider_id": q.provider_id,
        "provider_name": q.provider_name,
        "year": q.year,
        "quarter": q.quarter,
        "deadline": q.deadline,
        "extension": q.extension,
        "extension_reason": q.extension_reason,
        "received": q.first_received,
        "days_late": q.days_late(as_at),
        "outcome": q.outcome(as_at),
        "status": q.status or "",
    }


def _late_detail(quarters: Sequence[ServiceQuarter], as_at: date) -> Table:
    return Table(
        sheet="Detail",
        title="Each late and non-return, year to date",
        columns=columns(
            "service_id",
            "service_name",
            "provider_id",
            "provider_name",
            *TIMELINESS_COLUMNS,
        ),
        rows=tuple(timeliness_row(q, as_at) for q in quarters),
        note="Days late: after the deadline the first file came, or for a non-return, to the as-at date.",
        empty="No late or non-returns.",
    )
