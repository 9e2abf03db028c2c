"""The quarterly reports (``reports.md``, Quarterly 1-3): built from plain data, no database.

- :func:`pi_management_report`: each PI against its trigger for every
  service, pooled by primary client group and by service type (the formula on
  summed numerators and denominators, ``tasks.pi_pooled``), how many services
  breached, eight-quarter trend charts, every breach with the provider's
  explanation, and how complete the returns are.
- :func:`late_returns_report`: late and non-returns, by provider, for the
  quarter and the year to date.
- :func:`national_extract_report`: one row per service with an accepted
  return, columns of ``data_contracts.national_extract``, as CSV (and as a
  workbook and page like every report).

PI figures come from accepted returns only: a returned return's figures are
not yet agreed. Deadlines are those after any agreed extension, so a return
in its extension is not late.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from data_contracts.national_extract import (
    EXTRACT_COUNT_COLUMNS,
    EXTRACT_PI_COLUMNS,
    NATIONAL_EXTRACT_COLUMNS,
)
from data_contracts.pi_workbook import SERVICE_TYPES
from reports.model import Chart, Column, ColumnKind, Report, Section, Table
from reports.periods import QuarterKey, quarter_label, quarter_period_name, quarters_ending
from reports.periods import year_to_date as quarters_of_year_to_date
from reports.pi_data import ServiceQuarter
from reports.safe_cells import inert
from spmon.programme import PI_NAMES
from tasks.calendar import days_in_quarter
from tasks.pi_pooled import PooledPi, pool
from tasks.pi_rules import two_decimals

PI_TITLES = {
    "KPI1": "Independent living",
    "KPI2": "Planned moves on",
    "SPI1": "Availability",
    "SPI2": "Utilisation",
    "SPI3": "Staffing",
    "SPI4": "Throughput",
}
TREND_QUARTERS = 8
Triggers = Mapping[str, Mapping[str, float]]  # year -> PI -> trigger


@dataclass(frozen=True)
class QuarterlyInput:
    """What the quarterly reports read: the quarter, the as-at date, and the services' quarters.

    ``quarters`` holds every service quarter of the eight quarters ending with
    the report's quarter (at least), ``triggers`` each year's triggers.
    """

    year: str
    quarter: str
    as_at: date
    quarters: tuple[ServiceQuarter, ...]
    triggers: Triggers

    @property
    def period(self) -> str:
        """``2025-26-Q2``."""
        return quarter_period_name(self.year, self.quarter)

    @property
    def label(self) -> str:
        """``Q2 2025/26``."""
        return quarter_label(self.year, self.quarter)

    def of_quarter(self, key: QuarterKey | None = None) -> list[ServiceQuarter]:
        """The service quarters of one quarter (default the report's), by service ID."""
        wanted = key or (self.year, self.quarter)
        return sorted((q for q in self.quarters if q.key == wanted), key=lambda q: q.service_id)

    def trigger(self, year: str, pi: str) -> float | None:
        """A year's trigger of a PI (None when the year has no settings)."""
        return self.triggers.get(year, {}).get(pi)


def breaches(value: float | None, trigger: float | None) -> bool | None:
    """Strictly below the trigger (unrounded); None when there is no value or trigger."""
    if value is None or trigger is None:
        return None
    return value < trigger


def yes_no(flag: bool | None) -> str:
    """``Yes``, ``No`` or blank."""
    return "" if flag is None else ("Yes" if flag else "No")


def pooled_by(
    quarters: Iterable[ServiceQuarter], group: Callable[[ServiceQuarter], str]
) -> dict[str, dict[str, PooledPi]]:
    """Each group's pooled PIs over its accepted returns."""
    members: dict[str, list[ServiceQuarter]] = defaultdict(list)
    for quarter in quarters:
        members[group(quarter)].append(quarter)
    return {name: pool(q.fractions for q in held if q.accepted) for name, held in sorted(members.items())}


# PI management report ----------------------------------------------------------------------------

PI_VALUE_COLUMNS = tuple(Column(pi.lower(), pi, "percent") for pi in PI_NAMES)


def pi_management_report(data: QuarterlyInput) -> Report:
    """The PI management report for the CSG and the Commissioning Body."""
    current = data.of_quarter()
    triggers = {pi: data.trigger(data.year, pi) for pi in PI_NAMES}
    trigger_text = ", ".join(f"{pi} {triggers[pi]:g}" for pi in PI_NAMES if triggers[pi] is not None)
    summary = Section(
        "Summary",
        tables=(_pi_summary_table(current, triggers), _completeness_table(current, data.as_at)),
        paragraphs=(
            _completeness_sentence(current, data.label),
            f"Triggers for {data.year}: {trigger_text}. A PI breaches when it is strictly below its "
            "trigger. Group figures are pooled: the formula applied to the summed numerators and "
            "denominators of the group's accepted returns, never an average of percentages.",
        ),
    )
    sections = (
        summary,
        Section("Every service", tables=(_services_table(current),)),
        Section(
            "By primary client group and service type",
            tables=(
                _group_table("By client group", "client_group", "Client group", current, triggers),
                _group_table("By service type", "service_type", "Service type", current, triggers),
            ),
        ),
        Section(
            "Trend over the last eight quarters",
            tables=tuple(_trend_table(data, pi) for pi in PI_NAMES),
            paragraphs=("Pooled values of all services and of each service type, quarter by quarter.",),
        ),
        Section("Breaches and the providers' explanations", tables=(_breaches_table(current, triggers),)),
    )
    return Report(
        kind="pi-management",
        title="PI management report",
        period=data.period,
        period_label=data.label,
        as_at=data.as_at,
        sections=sections,
        audience="the Core Strategy Group and the Commissioning Body",
    )


def _pi_summary_table(current: Sequence[ServiceQuarter], triggers: Mapping[str, float | None]) -> Table:
    pooled = pool(q.fractions for q in current if q.accepted)
    rows = []
    for pi in PI_NAMES:
        applies = [q for q in current if pi in q.applicable]
        with_value = [q for q in applies if q.accepted and q.pis.get(pi) is not None]
        breaching = [q for q in with_value if breaches(q.pis.get(pi), triggers[pi])]
        rows.append(
            {
                "pi": pi,
                "name": PI_TITLES[pi],
                "trigger": triggers[pi],
                "applies": len(applies),
                "with_value": len(with_value),
                "breaching": len(breaching),
                "numerator": pooled[pi].numerator if pooled[pi].services else None,
                "denominator": pooled[pi].denominator if pooled[pi].services else None,
                "pooled": pooled[pi].value,
                "pooled_breach": yes_no(breaches(pooled[pi].value, triggers[pi])),
            }
        )
    return Table(
        sheet="PI summary",
        title="Each PI against its trigger, all services",
        columns=(
            Column("pi", "PI"),
            Column("name", "Name"),
            Column("trigger", "Trigger", "number"),
            Column("applies", "Services it applies to", "int"),
            Column("with_value", "Services with a value", "int"),
            Column("breaching", "Services breaching", "int"),
            Column("numerator", "Pooled numerator", "number"),
            Column("denominator", "Pooled denominator", "number"),
            Column("pooled", "Pooled value", "percent"),
            Column("pooled_breach", "Pooled value breaches"),
        ),
        rows=tuple(rows),
        note="Services with a value: accepted returns where the PI applies and its inputs gave a value.",
        charts=(Chart("Services breaching each PI", "pi", ("breaching",), kind="bar", y_label="services"),),
    )


def _completeness_rows(current: Sequence[ServiceQuarter], as_at: date) -> list[dict[str, Any]]:
    by_provider: dict[str, list[ServiceQuarter]] = defaultdict(list)
    for quarter in current:
        by_provider[quarter.provider_id].append(quarter)
    rows = []
    for provider_id, held in sorted(by_provider.items()):
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
                "not_received": sum(q.first_received is None for q in held),
                "late": outcomes["late"],
                "complete": 100 * accepted / len(held),
            }
        )
    return rows


def _completeness_table(current: Sequence[ServiceQuarter], as_at: date) -> Table:
    return Table(
        sheet="Completeness",
        title="How complete the returns are, by provider",
        columns=(
            Column("provider_id", "Provider ID"),
            Column("provider_name", "Provider"),
            Column("services", "Services", "int"),
            Column("received", "Received", "int"),
            Column("accepted", "Accepted", "int"),
            Column("returned", "Returned for correction", "int"),
            Column("not_received", "Not received", "int"),
            Column("late", "Received late", "int"),
            Column("complete", "Complete (% accepted)", "percent"),
        ),
        rows=tuple(_completeness_rows(current, as_at)),
    )


def _completeness_sentence(current: Sequence[ServiceQuarter], label: str) -> str:
    total = len(current)
    if not total:
        return f"No service has a contract for {label}."
    accepted = sum(q.accepted for q in current)
    returned = sum(q.status == "returned" for q in current)
    missing = sum(q.first_received is None for q in current)
    return (
        f"{total} services had a return for {label}: {accepted} accepted "
        f"({two_decimals(100 * accepted / total)}%), {returned} returned for correction, "
        f"{missing} not received."
    )


def _status_text(quarter: ServiceQuarter) -> str:
    return quarter.status or "not received"


def _services_table(current: Sequence[ServiceQuarter]) -> Table:
    rows = []
    for quarter in current:
        row: dict[str, Any] = {
            "service_id": quarter.service_id,
            "service_name": quarter.service_name,
            "provider_id": quarter.provider_id,
            "client_group": quarter.client_group,
            "service_type": quarter.service_type,
            "status": _status_text(quarter),
            "breaches": ";".join(quarter.breaches) if quarter.accepted else "",
        }
        for pi in PI_NAMES:
            row[pi.lower()] = quarter.pis.get(pi) if quarter.accepted else None
        rows.append(row)
    return Table(
        sheet="Services",
        title="Each service's PIs",
        columns=(
            Column("service_id", "Service ID"),
            Column("service_name", "Service"),
            Column("provider_id", "Provider ID"),
            Column("client_group", "Client group"),
            Column("service_type", "Service type"),
            Column("status", "Return"),
            *PI_VALUE_COLUMNS,
            Column("breaches", "Breaches"),
        ),
        rows=tuple(rows),
        note="Values of accepted returns; blank where a PI does not apply, has no value, or the return "
        "is not accepted.",
    )


def _group_table(
    sheet: str,
    attribute: str,
    heading: str,
    current: Sequence[ServiceQuarter],
    triggers: Mapping[str, float | None],
) -> Table:
    groups = pooled_by(current, lambda q: str(getattr(q, attribute)))
    rows = []
    for name, pooled in groups.items():
        members = [q for q in current if getattr(q, attribute) == name]
        for pi in PI_NAMES:
            if not any(pi in q.applicable for q in members):
                continue
            breaching = sum(
                1 for q in members if q.accepted and breaches(q.pis.get(pi), triggers[pi]) is True
            )
            rows.append(
                {
                    "group": name,
                    "pi": pi,
                    "services": pooled[pi].services,
                    "numerator": pooled[pi].numerator if pooled[pi].services else None,
                    "denominator": pooled[pi].denominator if pooled[pi].services else None,
                    "value": pooled[pi].value,
                    "trigger": triggers[pi],
                    "breach": yes_no(breaches(pooled[pi].value, triggers[pi])),
                    "breaching": breaching,
                }
            )
    return Table(
        sheet=sheet,
        title=f"Pooled PIs by {heading.lower()}",
        columns=(
            Column("group", heading),
            Column("pi", "PI"),
            Column("services", "Services pooled", "int"),
            Column("numerator", "Numerator", "number"),
            Column("denominator", "Denominator", "number"),
            Column("value", "Pooled value", "percent"),
            Column("trigger", "Trigger", "number"),
            Column("breach", "Pooled value breaches"),
            Column("breaching", "Services breaching", "int"),
        ),
        rows=tuple(rows),
    )


def _trend_table(data: QuarterlyInput, pi: str) -> Table:
    keys = quarters_ending(data.year, data.quarter, TREND_QUARTERS)
    types = [
        t for t in SERVICE_TYPES if any(pi in q.applicable and q.service_type == t for q in data.quarters)
    ]
    types += sorted({q.service_type for q in data.quarters if pi in q.applicable} - set(types))
    type_keys = {service_type: f"type_{n}" for n, service_type in enumerate(types)}
    rows = []
    for key in keys:
        held = [q for q in data.quarters if q.key == key and q.accepted]
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
        columns=(
            Column("quarter", "Quarter"),
            Column("all", "All services", "percent"),
            *type_columns,
            Column("trigger", "Trigger", "number"),
            Column("services", "Services pooled", "int"),
        ),
        rows=tuple(rows),
        charts=(
            Chart(
                f"{pi} {PI_TITLES[pi]}",
                "quarter",
                ("all", *type_keys.values(), "trigger"),
                y_label="%",
                dashed=("trigger",),
            ),
        ),
    )


def _breaches_table(current: Sequence[ServiceQuarter], triggers: Mapping[str, float | None]) -> Table:
    rows = [
        {
            "service_id": q.service_id,
            "provider_id": q.provider_id,
            "pi": pi,
            "value": q.pis.get(pi),
            "trigger": triggers[pi],
            "explanation": q.comments,
        }
        for q in current
        if q.accepted
        for pi in q.breaches
    ]
    return Table(
        sheet="Breaches",
        title="Every breach with the provider's explanation",
        columns=(
            Column("service_id", "Service ID"),
            Column("provider_id", "Provider ID"),
            Column("pi", "PI"),
            Column("value", "Value", "percent"),
            Column("trigger", "Trigger", "number"),
            Column("explanation", "Provider's explanation"),
        ),
        rows=tuple(rows),
        note="Breaches of accepted returns (each explained by the provider). Returns with an "
        "unexplained breach were returned and appear under Every service.",
        empty="No accepted return breached a trigger.",
    )


# Late and non-returns ---------------------------------------------------------------------------


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
    sections = (
        Section(
            f"The quarter, {data.label}",
            tables=(
                _late_by_provider(
                    "Quarter by provider", f"Late and non-returns, {data.label}", quarter_rows, data.as_at
                ),
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
                _late_by_provider(
                    "Year to date by provider", "Late and non-returns, year to date", ytd, data.as_at
                ),
                _late_detail(detail, data.as_at),
            ),
        ),
    )
    return Report(
        kind="late-returns",
        title="Late and non-returns",
        period=data.period,
        period_label=data.label,
        as_at=data.as_at,
        sections=sections,
        audience="the Core Strategy Group and the Commissioning Body",
    )


def _late_by_provider(sheet: str, title: str, quarters: Sequence[ServiceQuarter], as_at: date) -> Table:
    by_provider: dict[str, list[ServiceQuarter]] = defaultdict(list)
    for quarter in quarters:
        by_provider[quarter.provider_id].append(quarter)
    rows = []
    for provider_id, held in sorted(by_provider.items()):
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
        columns=(
            Column("provider_id", "Provider ID"),
            Column("provider_name", "Provider"),
            Column("due", "Returns due", "int"),
            Column("late", "Late", "int"),
            Column("non_returns", "Non-returns", "int"),
            Column("total", "Late and non-returns", "int"),
        ),
        rows=tuple(rows),
        charts=(Chart(title, "provider_id", ("late", "non_returns"), kind="bar", y_label="returns"),),
    )


TIMELINESS_COLUMNS: tuple[Column, ...] = (
    Column("year", "Year"),
    Column("quarter", "Quarter"),
    Column("deadline", "Deadline", "date"),
    Column("extension", "Extended to", "date"),
    Column("received", "First received", "date"),
    Column("days_late", "Days late", "int"),
    Column("outcome", "Outcome"),
    Column("status", "Current return"),
)


def timeliness_row(q: ServiceQuarter, as_at: date) -> dict[str, Any]:
    """One service quarter's timeliness, for the late-returns report and the providers' packs."""
    return {
        "service_id": q.service_id,
        "provider_id": q.provider_id,
        "year": q.year,
        "quarter": q.quarter,
        "deadline": q.deadline,
        "extension": q.extension,
        "received": q.first_received,
        "days_late": q.days_late(as_at),
        "outcome": q.outcome(as_at),
        "status": q.status or "",
    }


def _late_detail(quarters: Sequence[ServiceQuarter], as_at: date) -> Table:
    return Table(
        sheet="Detail",
        title="Each late and non-return, year to date",
        columns=(
            Column("service_id", "Service ID"),
            Column("provider_id", "Provider ID"),
            *TIMELINESS_COLUMNS,
        ),
        rows=tuple(timeliness_row(q, as_at) for q in quarters),
        note="Days late: after the deadline the first file came, or for a non-return, to the as-at date.",
        empty="No late or non-returns.",
    )


# National return extract ------------------------------------------------------------------------


def _count_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def extract_rows(current: Sequence[ServiceQuarter]) -> list[dict[str, Any]]:
    """The extract's rows: services with an accepted return, by service ID (typed values)."""
    rows = []
    for q in sorted((q for q in current if q.accepted), key=lambda q: q.service_id):
        row: dict[str, Any] = {
            "service_id": q.service_id,
            "provider_id": q.provider_id,
            "client_group": q.client_group,
            "service_type": q.service_type,
            "year": q.year,
            "quarter": q.quarter,
            "days_in_quarter": days_in_quarter(q.year, q.quarter),
            "contracted_units": q.contracted_units,
            "frontline_hours_per_week": q.hours_per_week,
        }
        for cell in EXTRACT_COUNT_COLUMNS:
            value = q.values.get(cell)
            row[cell] = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        for pi, column in zip(PI_NAMES, EXTRACT_PI_COLUMNS, strict=True):
            row[column] = q.pis.get(pi)
        rows.append(row)
    return rows


def extract_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    """The extract as CSV text: header row, counts as read, PIs to two decimals, text inert."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=NATIONAL_EXTRACT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        line: dict[str, str] = {}
        for column in NATIONAL_EXTRACT_COLUMNS:
            value = row.get(column)
            if column in EXTRACT_PI_COLUMNS:
                line[column] = two_decimals(value)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                line[column] = _count_text(value)
            else:
                line[column] = "" if value is None else str(inert(str(value)))
        writer.writerow(line)
    return out.getvalue()


def _extract_kind(name: str) -> ColumnKind:
    if name in EXTRACT_PI_COLUMNS:
        return "percent"
    if name in ("days_in_quarter", "contracted_units"):
        return "int"
    if name in EXTRACT_COUNT_COLUMNS or name == "frontline_hours_per_week":
        return "number"
    return "text"


def national_extract_report(data: QuarterlyInput) -> Report:
    """The national return extract: the CSV, with the same rows as a workbook and a page."""
    rows = extract_rows(data.of_quarter())
    columns = tuple(Column(name, name, _extract_kind(name)) for name in NATIONAL_EXTRACT_COLUMNS)
    stem = f"national-extract-{data.period}-as-at-{data.as_at.isoformat()}"
    return Report(
        kind="national-extract",
        title="National return extract",
        period=data.period,
        period_label=data.label,
        as_at=data.as_at,
        sections=(
            Section(
                "Accepted returns",
                tables=(
                    Table(
                        sheet="Extract",
                        title=f"One row per service with an accepted return for {data.label}",
                        columns=columns,
                        rows=tuple(rows),
                        empty="No accepted return for the quarter.",
                    ),
                ),
                paragraphs=(
                    f"The CSV {stem}.csv holds the same rows, in the columns the national return expects.",
                ),
            ),
        ),
        stem=stem,
        extra={f"{stem}.csv": extract_csv(rows)},
    )
