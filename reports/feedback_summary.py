"""The quarterly feedback summary for the CSG and the Commissioning Body (``feedback.md``, Exports).

Two parts: the **service-user feedback summary** (consultations closed in the
quarter by method: how many, service users contacted and responding, the
response rate, reports sent on time, adverse feedback and complaints; then
each consultation with its minimum sample and warnings) and the
**stakeholder ratings summary** (average score per aspect by client group and
by service type over the replies received in the quarter, pooled: every
score of the group's replies averaged, never an average of averages; with
the adverse replies counted). It shows figures and ratings only, never what
a stakeholder wrote.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from reports.columns import columns
from reports.gather_feedback import ConsultationRow, FeedbackSummaryInput
from reports.model import Chart, Report, Section, Table, attribute_rows
from reports.pack_feedback import ratings_table
from reports.periods import quarter_label
from reports.quarterly_frame import quarterly_report

BY_METHOD = ("method", "consultations", "contacted", "responses", "response_rate", "on_time",
             "adverse_feedback", "complaints")  # fmt: skip
CONSULTATION_FIELDS = ("consultation_id", "provider_id", "service_id", "method", "held_on", "service_users",
                       "minimum", "contacted", "responses", "warnings", "report_due", "report_sent_on",
                       "report_late")  # fmt: skip
POOLED = (
    "Average scores pool every score of the group's replies (Excellent 5 to V.Poor 1); "
    "Don't know is left out."
)


def feedback_summary_report(data: FeedbackSummaryInput) -> Report:
    """The quarter's feedback summary."""
    label = quarter_label(*data.period)
    held = data.consultations
    complaints = sum(1 for c in held if c.complaint_raised)
    adverse_replies = sum(r.adverse for r in data.by_client_group)
    replies = sum(r.replies for r in data.by_client_group)
    sections = (
        Section(
            "Service-user feedback",
            tables=(_by_method(held), _consultations(held)),
            paragraphs=(
                f"Consultations closed (or held) in {label}, as at {data.as_at.isoformat()}. The response "
                "rate is responses over service users contacted, pooled over the method's consultations.",
            ),
        ),
        Section(
            "Stakeholder ratings",
            tables=(
                ratings_table(
                    data.by_client_group,
                    "client_group",
                    "Ratings by client group",
                    f"Stakeholder ratings by client group, {label}",
                    POOLED,
                ),
                ratings_table(
                    data.by_service_type,
                    "service_type",
                    "Ratings by service type",
                    f"Stakeholder ratings by service type, {label}",
                    POOLED,
                ),
            ),  # fmt: skip
            paragraphs=(
                f"Questionnaire replies received in {label} (the latest reply to each questionnaire).",
            ),
        ),
    )
    headline = (
        f"{label}: {len(held)} service-user consultations closed, {complaints} with a complaint raised; "
        f"{replies} stakeholder replies, {adverse_replies} adverse.",
    )
    return quarterly_report(
        "feedback-summary", "Feedback summary", data.period, data.as_at, sections, headline
    )


def _rate(responses: int, contacted: int) -> float | None:
    return round(100 * responses / contacted, 2) if contacted else None


def _by_method(held: Sequence[ConsultationRow]) -> Table:
    groups: dict[str, list[ConsultationRow]] = defaultdict(list)
    for c in held:
        groups[c.method].append(c)
    rows: list[dict[str, Any]] = []
    for method in sorted(groups):
        mine = groups[method]
        contacted = sum(c.contacted or 0 for c in mine)
        responses = sum(c.responses or 0 for c in mine)
        rows.append(
            {
                "method": method,
                "consultations": len(mine),
                "contacted": contacted,
                "responses": responses,
                "response_rate": _rate(responses, contacted),
                "on_time": sum(1 for c in mine if c.report_late is False),
                "adverse_feedback": sum(1 for c in mine if c.adverse),
                "complaints": sum(1 for c in mine if c.complaint_raised),
            }
        )
    return Table(
        sheet="Consultations by method",
        title="Service-user consultations by method",
        columns=columns(*BY_METHOD),
        rows=tuple(rows),
        charts=(Chart("Response rate by method", "method", ("response_rate",), kind="bar", percent=True),)
        if rows
        else (),
        empty="No consultation closed in the quarter.",
    )


def _consultations(held: Sequence[ConsultationRow]) -> Table:
    return Table(
        sheet="Consultations",
        title="Each consultation closed in the quarter",
        columns=columns(*CONSULTATION_FIELDS),
        rows=tuple(
            {**row, "report_late": {True: "yes", False: "no"}.get(row["report_late"], "not yet due")}
            for row in attribute_rows(held, *CONSULTATION_FIELDS)
        ),
        note="Minimum: the procedure's table for interviews and groups, the sample calculator for "
        "questionnaires, none for informal gatherings.",
        empty="No consultation closed in the quarter.",
    )
