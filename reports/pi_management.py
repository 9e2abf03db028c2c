"""The PI management report (``reports.md``, Quarterly 1): the report and its headline.

Each PI against its trigger for every service, pooled by primary client
group and by service type (the formula on summed numerators and
denominators, ``tasks.pi.pooled``), how many services breached,
eight-quarter trend charts, every breach with the provider's explanation,
and how complete the returns are; each figure beside the previous
quarter's and the change. The tables are built in ``pi_management_summary``
(all services, completeness), ``pi_management_services`` (each service,
each breach) and ``pi_management_groups`` (pooled groups, the trend).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from foundation.programme import PI_NAMES
from reports.model import Report, Section, Table
from reports.periods import quarter_label
from reports.pi_data import ServiceQuarter
from reports.pi_management_groups import group_detail_table, group_table, trend_table
from reports.pi_management_services import breaches_table, services_table
from reports.pi_management_summary import completeness_sentence, completeness_table, pi_summary_table
from reports.previous_quarter import signed
from reports.quarterly_frame import quarterly_report
from reports.quarterly_input import QuarterlyInput, previous_quarter
from tasks.pi.rules import two_decimals


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
    summary_table = pi_summary_table(current, triggers, before, before_triggers, before_label)
    summary = Section(
        "Summary",
        tables=(summary_table, completeness_table(current, data.as_at)),
        paragraphs=(
            completeness_sentence(current, data.label, data.as_at),
            f"Triggers for {data.year}: {trigger_text}. A PI breaches when it is strictly below its "
            "trigger. Group figures are pooled: the formula applied to the summed numerators and "
            "denominators of the group's accepted returns, never an average of percentages. "
            f"Each figure is shown beside the previous quarter's ({before_label}) and the change.",
        ),
    )
    sections = (
        summary,
        Section("Every service", tables=(services_table(current, data.as_at, before, before_label),)),
        Section(
            "By primary client group and service type",
            tables=(
                group_table(
                    "By client group", "client_group", "Client group", current, triggers, before, before_label
                ),
                group_table(
                    "By service type", "service_type", "Service type", current, triggers, before, before_label
                ),
            ),
            paragraphs=(
                "Each group's pooled value of each PI (groups as rows, PIs as columns). A blank: the "
                "PI does not apply to the group's services or none of them has an accepted value. "
                "Groups with no accepted return are left out.",
            ),
        ),
        Section(
            "Trend over the last eight quarters",
            tables=tuple(trend_table(data, pi, accepted_by_key) for pi in PI_NAMES),
            paragraphs=(
                "Pooled values of all services and of each service type, quarter by quarter, against "
                "the trigger (dashed). A gap in a line: no accepted return with a value that quarter.",
            ),
        ),
        Section("Breaches and the providers' explanations", tables=(breaches_table(current, triggers),)),
        Section(
            "How the group figures are pooled",
            tables=(
                group_detail_table("Client group pooling", "client_group", "Client group", current, triggers),
                group_detail_table("Service type pooling", "service_type", "Service type", current, triggers),
            ),
            paragraphs=(
                "One row per group and PI with accepted values: what the pooled value is computed from.",
            ),
        ),
    )
    return quarterly_report(
        "pi-management",
        "PI management report",
        (data.year, data.quarter),
        data.as_at,
        sections,
        headline=pi_headline(data, current, summary_table, before_label),
    )


def pi_headline(
    data: QuarterlyInput, current: Sequence[ServiceQuarter], summary: Table, before_label: str
) -> tuple[str, ...]:
    """What needs attention, in a few sentences: completeness, pooled breaches, the most breached PIs."""
    if not current:
        return (f"No service has a contract for {data.label}.",)
    sentences = [completeness_sentence(current, data.label, data.as_at)]
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
                else (f", {signed(change)} on {before_label}" if change else ", as in " + before_label)
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
