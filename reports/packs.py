"""The contract-management pack of one provider (``reports.md``, Quarterly 4). Plain data in, a report out.

The pack is sent to the provider, so it holds that provider's data only:
its services (from the contract records of the report's year), their last
four quarters' PIs against the triggers (a table per service, and a small
chart per PI with its trigger), returns timeliness, QAF grades, current
clause risks and open actions.
:func:`pack_report` refuses input that names another provider's service.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from data_contracts.clause_words import clause_in_words, clauses_in_words
from data_contracts.risk_tables import AMBER, HIGH, MEDIUM, RED
from foundation.programme import PI_NAMES
from reports.columns import columns
from reports.inputs import ActionRow, ClauseRow, GradeRow, ServiceRiskRow
from reports.late_returns import TIMELINESS_COLUMNS, timeliness_row
from reports.model import Chart, Column, Report, Section, Table
from reports.pack_feedback import PackFeedback, pack_feedback_sections
from reports.periods import QuarterKey, quarter_label, quarter_period_name
from reports.pi_data import ServiceQuarter
from reports.pi_management_summary import status_text
from reports.quarterly_input import pis_in_words, received_at_of, source_file_of

PACK_QUARTERS = 4
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9_-]+")


def safe_name(text: str) -> str:
    """Text fit for a file or sheet name: letters, digits, ``_`` and ``-`` only."""
    return _UNSAFE_IN_NAME.sub("_", text).strip("_") or "unknown"


@dataclass(frozen=True)
class PackInput:
    """One provider's data for its pack.

    ``quarters``: its services' quarters (the last four, ending with the
    report's), ``triggers``: each year's triggers; ``risks``, ``clauses``,
    ``grades`` and ``actions`` as at the as-at date.
    """

    provider_id: str
    provider_name: str
    year: str
    quarter: str
    as_at: date
    quarter_keys: tuple[QuarterKey, ...]
    quarters: tuple[ServiceQuarter, ...]
    triggers: Mapping[str, Mapping[str, float]]
    risks: tuple[ServiceRiskRow, ...] = ()
    clauses: tuple[ClauseRow, ...] = ()
    grades: tuple[GradeRow, ...] = ()
    actions: tuple[ActionRow, ...] = ()
    feedback: PackFeedback = PackFeedback()  # ratings and open items (``reports.pack_feedback``)

    @property
    def service_names(self) -> dict[str, str]:
        """Each of its services' name, by service ID."""
        return {q.service_id: q.service_name for q in self.quarters}

    @property
    def service_ids(self) -> list[str]:
        """The provider's services: those with a contract for the report's quarter, else any listed."""
        current = {q.service_id for q in self.quarters if q.key == (self.year, self.quarter)}
        return sorted(current or {q.service_id for q in self.quarters})

    def foreign_services(self) -> set[str]:
        """Service IDs in the input that are not the provider's (must be none)."""
        named = (
            {q.service_id for q in self.quarters}
            | {r.service_id for r in self.risks}
            | {c.service_id for c in self.clauses}
            | {g.service_id for g in self.grades}
            | {a.service_id for a in self.actions if a.service_id}
        )
        foreign = named - set(self.service_ids)
        foreign |= {q.service_id for q in self.quarters if q.provider_id != self.provider_id}
        foreign |= {r.service_id for r in self.risks if r.provider_id != self.provider_id}
        foreign |= {c.service_id for c in self.clauses if c.provider_id != self.provider_id}
        foreign |= {
            a.service_id or "(all services)" for a in self.actions if a.provider_id != self.provider_id
        }
        return foreign


def pack_report(data: PackInput) -> Report:
    """The provider's contract-management pack."""
    foreign = data.foreign_services()
    if foreign:
        raise ValueError(f"pack of {data.provider_id} given other providers' services: {sorted(foreign)}")
    period = quarter_period_name(data.year, data.quarter)
    label = quarter_label(data.year, data.quarter)
    first, last = quarter_label(*data.quarter_keys[0]), quarter_label(*data.quarter_keys[-1])
    sections = (
        Section("Your services", tables=(_services_table(data),)),
        Section(
            f"Performance indicators, {first} to {last}",
            tables=tuple(_service_pi_table(data, service_id) for service_id in data.service_ids),
            paragraphs=(
                "Values of accepted returns against the year's triggers; a PI breaches when it is "
                "strictly below its trigger. Blank where the PI has no value or the return is not "
                "accepted.",
            ),
        ),
        Section("Returns timeliness", tables=(_timeliness_table(data),)),
        Section("QAF grades", tables=(_grades_table(data),)),
        Section("Current clause risks", tables=(_clauses_table(data),)),
        Section("Open actions", tables=(_actions_table(data),)),
        *pack_feedback_sections(data.feedback, data.as_at),
    )
    return Report(
        kind="pack",
        title=f"Contract-management pack: {data.provider_name} ({data.provider_id})",
        period=period,
        period_label=label,
        as_at=data.as_at,
        sections=sections,
        audience=data.provider_name or data.provider_id,
        stem=f"pack-{safe_name(data.provider_id)}-{period}-as-at-{data.as_at.isoformat()}",
        headline=pack_headline(data),
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def pack_headline(data: PackInput) -> tuple[str, ...]:
    """What needs the provider's attention, in a few sentences built from its own data."""
    sentences = []
    names = data.service_names
    label = quarter_label(data.year, data.quarter)
    red = [r for r in data.risks if r.priority == RED]
    amber = [r for r in data.risks if r.priority == AMBER]
    if red or amber:
        parts = []
        if red:
            parts.append(
                f"{_plural(len(red), 'service')} RED ({', '.join(_named(r.service_id, names) for r in red)})"
            )
        if amber:
            parts.append(f"{_plural(len(amber), 'service')} AMBER")
        sentences.append("Priority: " + " and ".join(parts) + ".")
    else:
        sentences.append(f"Every service is GREEN (low risk) as at {data.as_at.isoformat()}.")
    high = [c for c in data.clauses if c.level == HIGH]
    medium = [c for c in data.clauses if c.level == MEDIUM]
    if high:
        sentences.append(
            "High risk: "
            + "; ".join(f"{clause_in_words(c.clause)} for {_named(c.service_id, names)}" for c in high)
            + "."
        )
    if medium:
        sentences.append(
            f"Medium risk: {clauses_in_words(sorted({c.clause for c in medium}))} "
            f"({_plural(len(medium), 'clause')})."
        )
    current = [q for q in data.quarters if q.key == (data.year, data.quarter)]
    breaching = [q for q in current if q.accepted and q.breaches]
    if breaching:
        sentences.append(
            f"Below a trigger in {label}: "
            + "; ".join(f"{_named(q.service_id, names)} ({pis_in_words(q.breaches)})" for q in breaching)
            + "."
        )
    returned = [q for q in current if q.status == "returned"]
    missing = [q for q in current if q.outcome(data.as_at) == "non-return"]
    if returned:
        sentences.append(
            f"{_plural(len(returned), 'return')} for {label} returned for correction: please resubmit."
        )
    if missing:
        sentences.append(f"{_plural(len(missing), 'return')} for {label} not received: please send it now.")
    overdue = [a for a in data.actions if a.days_overdue(data.as_at)]
    if overdue:
        sentences.append(f"{_plural(len(overdue), 'action')} past its target date (see Open actions).")
    return tuple(sentences)


def _named(service_id: str, names: Mapping[str, str]) -> str:
    name = names.get(service_id, "")
    return f"{service_id} {name}".strip()


def _services_table(data: PackInput) -> Table:
    latest = {q.service_id: q for q in sorted(data.quarters, key=lambda q: q.key)}
    risks = {r.service_id: r for r in data.risks}
    rows = []
    for service_id in data.service_ids:
        quarter, risk = latest[service_id], risks.get(service_id)
        rows.append(
            {
                "service_id": service_id,
                "service_name": quarter.service_name,
                "client_group": quarter.client_group,
                "service_type": quarter.service_type,
                "units": quarter.contracted_units,
                "pis": ", ".join(quarter.applicable),
                "overall": risk.overall if risk else "",
                "priority": risk.priority if risk else "",
            }
        )
    return Table(
        sheet="Services",
        title="Your services",
        columns=columns(
            "service_id",
            "service_name",
            "client_group",
            "service_type",
            Column("units", "Contracted units", "int"),
            Column("pis", "PIs that apply"),
            Column("overall", "Overall risk", "level"),
            "priority",
        ),
        rows=tuple(rows),
    )


def _status(quarter: ServiceQuarter | None, as_at: date) -> str:
    """As in the PI management report ("extended to DATE" while an extension runs), or "no contract"."""
    return "no contract" if quarter is None else status_text(quarter, as_at)


def _service_pi_table(data: PackInput, service_id: str) -> Table:
    held = {q.key: q for q in data.quarters if q.service_id == service_id}
    applicable = [pi for pi in PI_NAMES if any(pi in q.applicable for q in held.values())]
    rows = []
    for key in data.quarter_keys:
        quarter = held.get(key)
        row: dict[str, Any] = {"quarter": quarter_label(*key), "status": _status(quarter, data.as_at)}
        for pi in applicable:
            accepted = quarter is not None and quarter.accepted
            row[pi.lower()] = quarter.pis.get(pi) if accepted and quarter is not None else None
            row[f"{pi.lower()}_trigger"] = data.triggers.get(key[0], {}).get(pi)
        accepted = quarter is not None and quarter.accepted
        row["breaches"] = pis_in_words(quarter.breaches) if quarter is not None and accepted else ""
        row["source_file"] = source_file_of(quarter) if quarter is not None else ""
        row["received_at"] = received_at_of(quarter) if quarter is not None else None
        rows.append(row)
    fields: list[str | Column] = ["quarter", Column("status", "Return")]
    for pi in applicable:
        fields += [
            Column(pi.lower(), pi, "percent"),
            Column(f"{pi.lower()}_trigger", f"{pi} trigger", "number"),
        ]
    fields += ["breaches", "source_file", "received_at"]
    name = held[max(held)].service_name if held else ""
    series = tuple(pi.lower() for pi in applicable) + tuple(f"{pi.lower()}_trigger" for pi in applicable)
    return Table(
        sheet=f"{safe_name(service_id)[:27]} PIs",
        title=f"{service_id} {name}: PIs against triggers",
        columns=columns(*fields),
        rows=tuple(rows),
        charts=(
            Chart(
                f"{service_id}: each PI against its trigger",
                "quarter",
                series,
                y_label="%",
                dashed=tuple(f"{pi.lower()}_trigger" for pi in applicable),
                x_label="Quarter",
                panels=True,
                percent=True,
            ),
        )
        if applicable
        else (),
    )


def _timeliness_table(data: PackInput) -> Table:
    quarters = sorted(data.quarters, key=lambda q: (q.service_id, q.key))
    return Table(
        sheet="Timeliness",
        title="Returns timeliness, last four quarters",
        columns=columns("service_id", "service_name", *TIMELINESS_COLUMNS),
        rows=tuple(timeliness_row(q, data.as_at) for q in quarters),
    )


def _grades_table(data: PackInput) -> Table:
    names = data.service_names
    rows = [
        {
            "service_id": g.service_id,
            "service_name": names.get(g.service_id, ""),
            "year": g.year,
            "objective": g.objective,
            "grade": g.grade,
            "basis": "agreed" if g.agreed_on else "claimed (provisional)",
            "agreed_on": g.agreed_on,
            "plan_received": g.plan_received,
            "revalidated_on": g.revalidated_on,
            "improved": "" if g.improved is None else ("Yes" if g.improved else "No"),
        }
        for g in sorted(data.grades, key=lambda g: (g.service_id, g.year, g.objective))
    ]
    return Table(
        sheet="QAF grades",
        title="QAF grades, latest year",
        columns=columns(
            "service_id",
            "service_name",
            "year",
            "objective",
            Column("grade", "Grade"),
            Column("basis", "Basis"),
            Column("agreed_on", "Agreed on", "date"),
            Column("plan_received", "Improvement plan received", "date"),
            Column("revalidated_on", "Re-validated on", "date"),
            Column("improved", "Improved"),
        ),
        rows=tuple(rows),
        empty="No QAF grades held.",
    )


def _clauses_table(data: PackInput) -> Table:
    names = data.service_names
    rows = [
        {
            "service_id": c.service_id,
            "service_name": c.service_name or names.get(c.service_id, ""),
            "clause_name": clause_in_words(c.clause),
            "level": c.level,
            "detail": c.detail,
            "since": c.since,
            "clause": c.clause,
        }
        for c in data.clauses
    ]
    return Table(
        sheet="Clause risks",
        title=f"Desk-top audit clauses as at {data.as_at.isoformat()}",
        columns=columns(
            "service_id",
            "service_name",
            Column("clause_name", "Clause"),
            "level",
            "detail",
            "since",
            Column("clause", "Clause code"),
        ),
        rows=tuple(rows),
    )


def _actions_table(data: PackInput) -> Table:
    names = data.service_names
    rows = [
        {
            "service_id": a.service_id or "all services",
            "service_name": names.get(a.service_id, "") if a.service_id else "",
            "description": a.description,
            "owner": a.owner,
            "target_date": a.target_date,
            "days_overdue": a.days_overdue(data.as_at),
        }
        for a in sorted(data.actions, key=lambda a: (a.target_date, a.service_id, a.description))
        if a.is_open(data.as_at)
    ]
    return Table(
        sheet="Open actions",
        title="Open improvement-plan actions",
        columns=columns(
            "service_id",
            "service_name",
            Column("description", "Action"),
            Column("owner", "Owner"),
            Column("target_date", "Target date", "date"),
            Column("days_overdue", "Days past target", "int"),
        ),
        rows=tuple(rows),
        empty="No open actions.",
    )
