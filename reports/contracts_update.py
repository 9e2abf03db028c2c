"""The Contracts Update (``reports.md``, Monthly 1).

Every service with a Medium or High clause as at the month's end (clause,
detail, since when), what changed in the month (new, escalated, reduced,
resolved), and the RED services. ``reports.gather`` fills the input.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from data_contracts.clause_words import clause_in_words, clauses_in_words
from data_contracts.risk_tables import RED
from reports.columns import columns
from reports.inputs import AT_RISK, LEVEL_RANK, ClauseRow, RiskChangeRow, ServiceRiskRow
from reports.model import Column, Report, Section, Table, attribute_rows
from reports.monthly_frame import counted, listed, monthly_report
from reports.periods import month_label


@dataclass(frozen=True)
class ContractsUpdateInput:
    """Clauses and services as at the as-at date, and the changes recorded in the month."""

    month: date
    as_at: date
    clauses: tuple[ClauseRow, ...]  # every clause of every service (Low ones are left out)
    changes: tuple[RiskChangeRow, ...]  # changes in the month up to the as-at date (derived from the data)
    services: tuple[ServiceRiskRow, ...]


def contracts_update_report(data: ContractsUpdateInput) -> Report:
    """The Contracts Update for the CSG."""
    at_risk = sorted(
        (c for c in data.clauses if c.level in AT_RISK),
        key=lambda c: (-LEVEL_RANK[c.level], c.service_id, c.clause),
    )
    changes = sorted(data.changes, key=lambda c: (c.changed_on, c.service_id, c.subject))
    red = sorted((s for s in data.services if s.priority == RED), key=lambda s: s.service_id)
    services = {c.service_id for c in at_risk}
    highs, mediums = sum(c.level == "High" for c in at_risk), sum(c.level == "Medium" for c in at_risk)
    sentence = (
        f"As at {data.as_at.isoformat()}, {counted(len(services), 'service')} "
        f"{'has' if len(services) == 1 else 'have'} a Medium or High clause "
        f"({highs} High, {mediums} Medium); "
        f"{counted(len(red), 'service')} {'is' if len(red) == 1 else 'are'} RED."
    )
    counts = Counter(c.change for c in changes)
    changed = (
        f"In {month_label(data.month)}: {counts['new']} new, {counts['escalated']} escalated, "
        f"{counts['reduced']} reduced and {counts['resolved']} resolved."
    )
    sections = (
        Section("Medium and High clauses", tables=(_clauses_table(at_risk),), paragraphs=(sentence,)),
        Section("What changed in the month", tables=(_changes_table(changes),), paragraphs=(changed,)),
        Section("RED services", tables=(_red_table(red),)),
    )
    return monthly_report(
        "contracts-update",
        "Contracts Update",
        data.month,
        data.as_at,
        sections,
        _headline(data, changes, red),
    )


def _headline(
    data: ContractsUpdateInput, changes: list[RiskChangeRow], red: list[ServiceRiskRow]
) -> tuple[str, ...]:
    """What the CSG must see first: escalations in the month, and the RED services."""
    month = month_label(data.month)
    up = [c for c in changes if c.change in ("new", "escalated") and c.subject != "priority"]
    to_high = [c for c in up if c.to_level == "High"]
    sentences = []
    if to_high:
        sentences.append(
            f"Risen to High in {month}: "
            + listed(
                [
                    f"{c.service_id} {clause_in_words(c.subject)} ({c.movement}, {c.changed_on.isoformat()})"
                    for c in to_high
                ]
            )
            + "."
        )
    others = [c for c in up if c.to_level != "High"]
    if others:
        sentences.append(
            f"Risen to Medium in {month}: "
            + listed(
                [f"{c.service_id} {clause_in_words(c.subject)} ({c.changed_on.isoformat()})" for c in others]
            )
            + "."
        )
    if not up:
        sentences.append(f"No clause rose in {month}.")
    if red:
        sentences.append(
            f"{counted(len(red), 'service')} RED as at {data.as_at.isoformat()}: "
            + listed([s.service_id for s in red])
            + "."
        )
    else:
        sentences.append(f"No service is RED as at {data.as_at.isoformat()}.")
    return tuple(sentences)


def _clause_row(clause: ClauseRow) -> dict[str, Any]:
    """A clause as a person reads it, its code kept in a column of its own."""
    (row,) = attribute_rows([clause], "service_id", "service_name", "provider_id", "level", "detail", "since")
    return {**row, "clause": clause_in_words(clause.clause), "clause_code": clause.clause}


def _change_row(change: RiskChangeRow) -> dict[str, Any]:
    (row,) = attribute_rows(
        [change], "changed_on", "service_id", "provider_id", "change", "movement", "detail"
    )
    return {**row, "subject": clause_in_words(change.subject), "clause_code": change.subject}


def _clauses_table(clauses: list[ClauseRow]) -> Table:
    return Table(
        sheet="Medium and High clauses",
        title="Services with a Medium or High clause",
        columns=columns(
            "service_id",
            "service_name",
            "provider_id",
            "clause",
            "level",
            "detail",
            "since",
            "clause_code",
        ),
        rows=tuple(_clause_row(c) for c in clauses),
        note="Since: the day the data brought the clause to this level (a deadline passing, a return "
        "arriving, a meeting re-planned, an action's target passing), whenever the report is run.",
        empty="No service has a Medium or High clause.",
    )


def _changes_table(changes: list[RiskChangeRow]) -> Table:
    return Table(
        sheet="Changes",
        title="Changes of level in the month, each on the day the data made it",
        columns=columns(
            Column("changed_on", "Date", "date"),
            "service_id",
            "provider_id",
            Column("subject", "Clause"),
            Column("change", "Change"),
            Column("movement", "From and to"),
            "detail",
            "clause_code",
        ),
        rows=tuple(_change_row(c) for c in changes),
        empty="No clause or priority changed level in the month.",
    )


def _red_table(red: list[ServiceRiskRow]) -> Table:
    return Table(
        sheet="RED services",
        title="RED services (a High clause)",
        columns=columns(
            "service_id",
            "service_name",
            "provider_id",
            Column("high_clauses", "High clauses"),
            Column("since", "RED since", "date"),
        ),
        rows=tuple(
            {
                "service_id": s.service_id,
                "service_name": s.service_name,
                "provider_id": s.provider_id,
                "high_clauses": clauses_in_words(s.high_clauses),
                "since": s.since,
            }
            for s in red
        ),
        empty="No service is RED.",
    )
