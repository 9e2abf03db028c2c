"""The PI management report (``reports.md``, Quarterly 1).

Each PI against its trigger for every service, pooled by primary client
group and by service type (the formula on summed numerators and
denominators, ``tasks.pi.pooled``), how many services breached,
eight-quarter trend charts, every breach with the provider's explanation,
and how complete the returns are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from data_contracts.pi_workbook import SERVICE_TYPES
from foundation.programme import PI_NAMES
from reports.columns import columns
from reports.model import Chart, Column, Report, Section, Table
from reports.periods import quarter_label, quarters_ending
from reports.pi_data import ServiceQuarter
from reports.quarterly_input import (
    PI_TITLES,
    TREND_QUARTERS,
    QuarterlyInput,
    breaches,
    pis_in_words,
    pooled_by,
    previous_quarter,
    received_at_of,
    source_file_of,
    yes_no,
)
from tasks.pi.pooled import pool
from tasks.pi.rules import two_decimals

PI_VALUE_COLUMNS = tuple(Column(pi.lower(), pi, "percent") for pi in PI_NAMES)
# Where a figure comes from: the return's file and when it was received.
TRACE_COLUMNS = (Column("source_file", "Source file"), Column("received_at", "Received (UTC)", "datetime"))


def pi_management_report(data: QuarterlyInput) -> Report:
    """The PI management report for the CSG and the Commissioning Body."""
    current = data.of_quarter()
    accepted_by_key: dict[tuple[str, str], list[ServiceQuarter]] = defaultdict(list)
    for quarter in data.quarters:  # once, not once a PI and quarter
        if quarter.accepted:
            accepted_by_key[quarter.key].append(quarter)
    before_key = previous_quarter(data.year, data.quarter)
    before = data.of_quarter(before_key)
    before_label = quarter_label(*before_key)
    triggers = {pi: data.trigger(data.year, pi) for pi in PI_NAMES}
    before_triggers = {pi: data.trigger(before_key[0], pi) for pi in PI_NAMES}
    trigger_text = ", ".join(f"{pi} {triggers[pi]:g}" for pi in PI_NAMES if triggers[pi] is not None)
    summary_table = _pi_summary_table(current, triggers, before, before_triggers, before_label)
    summary = Section(
        "Summary",
        tables=(summary_table, _completeness_table(current, data.as_at)),
        paragraphs=(
            _completeness_sentence(current, data.label, data.as_at),
            f"Triggers for {data.year}: {trigger_text}. A PI breaches when it is strictly below its "
            "trigger. Group figures are pooled: the formula applied to the summed numerators and "
            "denominators of the group's accepted returns, never an average of percentages. "
            f"Each figure is shown beside the previous quarter's ({before_label}) and the change.",
        ),
    )
    sections = (
        summary,
        Section("Every service", tables=(_services_table(current, data.as_at),)),
        Section(
            "By primary client group and service type",
            tables=(
                _group_table("By client group", "client_group", "Client group", current, triggers),
                _group_table("By service type", "service_type", "Service type", current, triggers),
            ),
            paragraphs=(
                "Each group's pooled value of each PI (groups as rows, PIs as columns). A blank: the "
                "PI does not apply to the group's services or none of them has an accepted value. "
                "Groups with no accepted return are left out.",
            ),
        ),
        Section(
            "Trend over the last eight quarters",
            tables=tuple(_trend_table(data, pi, accepted_by_key) for pi in PI_NAMES),
            paragraphs=(
                "Pooled values of all services and of each service type, quarter by quarter, against "
                "the trigger (dashed). A gap in a line: no accepted return with a value that quarter.",
            ),
        ),
        Section("Breaches and the providers' explanations", tables=(_breaches_table(current, triggers),)),
        Section(
            "How the group figures are pooled",
            tables=(
                _group_detail_table(
                    "Client group pooling", "client_group", "Client group", current, triggers
                ),
                _group_detail_table(
                    "Service type pooling", "service_type", "Service type", current, triggers
                ),
            ),
            paragraphs=(
                "One row per group and PI with accepted values: what the pooled value is computed from.",
            ),
        ),
    )
    return Report(
        kind="pi-management",
        title="PI management report",
        period=data.period,
        period_label=data.label,
        as_at=data.as_at,
        sections=sections,
        audience="the Core Strategy Group and the Commissioning Body",
        headline=pi_headline(data, current, summary_table, before_label),
    )


def pi_headline(
    data: QuarterlyInput, current: Sequence[ServiceQuarter], summary: Table, before_label: str
) -> tuple[str, ...]:
    """What needs attention, in a few sentences: completeness, pooled breaches, the most breached PIs."""
    if not current:
        return (f"No service has a contract for {data.label}.",)
    sentences = [_completeness_sentence(current, data.label, data.as_at)]
    below = [r for r in summary.rows if r["pooled_breach"] == "Yes"]
    if below:
        sentences.append(
            "Below the trigger across all services: "
            + "; ".join(
                f"{r['pi']} {r['name']} {two_decimals(r['pooled'])}% (trigger {r['trigger']:g})"
                for r in below
            )
            + "."
        )
    else:
        sentences.append("Every PI pooled across all services is at or above its trigger.")
    breached = sorted((r for r in summary.rows if r["breaching"]), key=lambda r: (-r["breaching"], r["pi"]))
    if breached:
        parts = []
        for r in breached[:3]:
            change = r["breaching_change"]
            moved = (
                ""
                if change is None
                else (f", {_signed(change)} on {before_label}" if change else ", as in " + before_label)
            )
            parts.append(f"{r['pi']} {r['name']} {r['breaching']}{moved}")
        sentences.append("Services breaching, most first: " + "; ".join(parts) + ".")
    else:
        sentences.append("No accepted return breached a trigger.")
    missing = [q for q in current if q.outcome(data.as_at) == "non-return"]
    if missing:
        providers = len({q.provider_id for q in missing})
        sentences.append(
            f"{len(missing)} service{'s' if len(missing) != 1 else ''} of {providers} "
            f"provider{'s' if providers != 1 else ''} sent no return by the deadline "
            "(see Late and non-returns)."
        )
    return tuple(sentences)


def _signed(number: float) -> str:
    """``+3``, ``-2``, ``+1.25``."""
    if isinstance(number, int):
        return f"{number:+d}"
    return f"{number:+.2f}".rstrip("0").rstrip(".")


def _change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None:
        return None
    return now - before


def _pi_summary_table(
    current: Sequence[ServiceQuarter],
    triggers: Mapping[str, float | None],
    before: Sequence[ServiceQuarter] = (),
    before_triggers: Mapping[str, float | None] | None = None,
    before_label: str = "previous quarter",
) -> Table:
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
                "breaching": len(breaching),
                "breaching_before": breaching_before,
                "breaching_change": _change(len(breaching), breaching_before),
                "numerator": pooled[pi].numerator if pooled[pi].services else None,
                "denominator": pooled[pi].denominator if pooled[pi].services else None,
                "pooled": pooled[pi].value,
                "pooled_before": value_before,
                "pooled_change": _change(pooled[pi].value, value_before),
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
                "not_received": sum(_not_received(q, as_at) for q in held),
                "extended": sum(_extended(q, as_at) for q in held),
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
            Column("extended", "Extension running", "int"),
            Column("late", "Received late", "int"),
            Column("complete", "Complete (% accepted)", "percent"),
        ),
        rows=tuple(_completeness_rows(current, as_at)),
    )


def _extended(quarter: ServiceQuarter, as_at: date) -> bool:
    """Nothing received yet, but an agreed extension still runs: not a non-return."""
    return quarter.state(as_at).startswith("extended to")


def _not_received(quarter: ServiceQuarter, as_at: date) -> bool:
    return quarter.first_received is None and not _extended(quarter, as_at)


def _completeness_sentence(current: Sequence[ServiceQuarter], label: str, as_at: date) -> str:
    total = len(current)
    if not total:
        return f"No service has a contract for {label}."
    accepted = sum(q.accepted for q in current)
    returned = sum(q.status == "returned" for q in current)
    missing = sum(_not_received(q, as_at) for q in current)
    extended = [q.state(as_at) for q in current if _extended(q, as_at)]
    running = f", {len(extended)} with an extension still running ({'; '.join(extended)})" if extended else ""
    return (
        f"{total} services had a return for {label}: {accepted} accepted "
        f"({two_decimals(100 * accepted / total)}%), {returned} returned for correction, "
        f"{missing} not received{running}."
    )


def _status_text(quarter: ServiceQuarter, as_at: date) -> str:
    """The current return's status, else "extended to DATE", "not received" or "not yet due"."""
    if quarter.status:
        return quarter.status
    state = quarter.state(as_at)
    return "not received" if state == "non-return" else state


def _services_table(current: Sequence[ServiceQuarter], as_at: date) -> Table:
    rows = []
    for quarter in current:
        row: dict[str, Any] = {
            "service_id": quarter.service_id,
            "service_name": quarter.service_name,
            "provider_id": quarter.provider_id,
            "provider_name": quarter.provider_name,
            "client_group": quarter.client_group,
            "service_type": quarter.service_type,
            "status": _status_text(quarter, as_at),
            "breaches": pis_in_words(quarter.breaches) if quarter.accepted else "",
            "breach_codes": ";".join(quarter.breaches) if quarter.accepted else "",
            "source_file": source_file_of(quarter),
            "received_at": received_at_of(quarter),
        }
        for pi in PI_NAMES:
            row[pi.lower()] = quarter.pis.get(pi) if quarter.accepted else None
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
            *PI_VALUE_COLUMNS,
            "breaches",
            Column("breach_codes", "Breach codes"),
            *TRACE_COLUMNS,
        ),
        rows=tuple(rows),
        note="Values of accepted returns; blank where a PI does not apply, has no value, or the return "
        "is not accepted. Source file and received: the return the figures come from.",
    )


def _group_table(
    sheet: str,
    attribute: str,
    heading: str,
    current: Sequence[ServiceQuarter],
    triggers: Mapping[str, float | None],
) -> Table:
    """Groups as rows, PIs as columns: each group's pooled value; groups with nothing pooled left out."""
    groups = pooled_by(current, lambda q: str(getattr(q, attribute)))
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
        below = []
        for pi in PI_NAMES:
            row[pi.lower()] = pooled[pi].value if pooled[pi].services else None
            if breaches(pooled[pi].value, triggers[pi]):
                below.append(pi)
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
            Column("services", "Services", "int"),
            Column("accepted", "Accepted returns", "int"),
            *PI_VALUE_COLUMNS,
            Column("below", "Pooled PIs below their trigger"),
            Column("breaching", "Services breaching any PI", "int"),
        ),
        rows=tuple(rows),
        empty="No group has an accepted return.",
    )


def _group_detail_table(
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


def _trend_table(
    data: QuarterlyInput, pi: str, accepted_by_key: Mapping[tuple[str, str], Sequence[ServiceQuarter]]
) -> Table:
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


def _breaches_table(current: Sequence[ServiceQuarter], triggers: Mapping[str, float | None]) -> Table:
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
