"""The reports' feedback inputs (``feedback.md``, Exports and reports), as the data stood on the as-at date.

- the open feedback and audit items of the monthly returns status
  (``tasks.feedback.due``, the same list as ``spmon feedback due export``);
- the quarterly feedback summary for the CSG and the Commissioning Body:
  consultations held (closed) in the quarter, and the stakeholder ratings of
  the replies received in the quarter, pooled by client group and by service type;
- each provider pack's ratings and open items, its own services only.

Only what had happened by the as-at date counts: a reply received later, a
report sent later, an audit held later are not seen, so a past period's
report is the same whenever it is run. No text a stakeholder wrote is
gathered here: the ratings are the five answers, never the comments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from data_contracts.feedback_tables import Consultation, QuestionnaireReply
from data_contracts.tables import ContractRecord
from foundation.programme import Programme
from reports.pack_feedback import PackFeedback, RatingRow
from reports.packs import PackInput
from reports.periods import QuarterKey
from reports.returns_status import ReturnsStatusInput
from tasks.calendar.dates import quarter_period
from tasks.feedback.consultations import (
    WarningContext,
    consultation_warnings,
    held_day,
    minimum_sample,
    report_due,
    report_late,
)
from tasks.feedback.cycle import CYCLE_MONTHS, add_months
from tasks.feedback.due import DueItem, due_items
from tasks.feedback.facts import current_replies, feedback_programme, received_on
from tasks.feedback.priority import priority_from_risk
from tasks.feedback.summaries import average_scores

OFFICERS_ONLY = ("questionnaire_chase",)  # which stakeholder has not replied is not the provider's business


@dataclass(frozen=True)
class ConsultationRow:
    """A consultation held in the quarter, with its sample, response rate, warnings and report."""

    consultation_id: str
    provider_id: str
    service_id: str
    method: str
    held_on: date
    service_users: int
    minimum: int | None
    contacted: int | None
    responses: int | None
    warnings: str
    report_due: date | None
    report_sent_on: date | None
    report_late: bool | None
    adverse: bool
    complaint_raised: bool


@dataclass(frozen=True)
class FeedbackSummaryInput:
    """The quarter's service-user consultations and stakeholder ratings."""

    period: QuarterKey  # (year, quarter)
    as_at: date
    consultations: tuple[ConsultationRow, ...]
    by_client_group: tuple[RatingRow, ...]
    by_service_type: tuple[RatingRow, ...]


def open_items(session: Session, programme: Programme, as_at: date) -> tuple[DueItem, ...]:
    """Every open feedback and audit item as at the date."""
    return tuple(due_items(session, feedback_programme(programme), as_at))


def with_feedback_items(
    session: Session, programme: Programme, data: ReturnsStatusInput
) -> ReturnsStatusInput:
    """The returns status input with the open feedback and audit items as at its date."""
    return replace(data, feedback_items=open_items(session, programme, data.as_at))


def replies_as_at(session: Session, first: date, last: date) -> list[QuestionnaireReply]:
    """The current replies as at ``last`` that were received from ``first`` on."""
    replies = session.execute(select(QuestionnaireReply)).scalars()
    return [r for r in current_replies(replies, last) if received_on(r) >= first]


def rating_rows(
    replies: Iterable[QuestionnaireReply], group_of: Callable[[QuestionnaireReply], str]
) -> tuple[RatingRow, ...]:
    """Average score per aspect over every reply of each group (pooled), with the counts."""
    groups: dict[str, list[QuestionnaireReply]] = defaultdict(list)
    for reply in replies:
        groups[group_of(reply)].append(reply)
    rows = []
    for group in sorted(groups):
        summary = average_scores(groups[group])
        rows.append(RatingRow(group, summary.replies, summary.adverse, summary.averages))
    return tuple(rows)


def consultation_row(c: Consultation, context: WarningContext, as_at: date) -> ConsultationRow:
    """A consultation's figures as at the date (a report sent after it is not yet sent)."""
    sent = c.report_sent_on if c.report_sent_on and c.report_sent_on <= as_at else None
    return ConsultationRow(
        consultation_id=c.consultation_id,
        provider_id=c.provider_id,
        service_id=c.service_id,
        method=c.method,
        held_on=held_day(c) or as_at,
        service_users=c.service_users,
        minimum=minimum_sample(c.method, c.service_users),
        contacted=c.contacted,
        responses=c.responses,
        warnings=";".join(consultation_warnings(c, context)),
        report_due=report_due(c),
        report_sent_on=sent,
        report_late=report_late(c, as_at),
        adverse=c.adverse,
        complaint_raised=c.complaint_raised,
    )


def gather_feedback_summary(
    session: Session, programme: Programme, year: str, quarter: str, as_at: date
) -> FeedbackSummaryInput:
    """The quarter's consultations (held in it, by the as-at date) and its replies' ratings."""
    first, last = quarter_period(year, quarter)
    last = min(last, as_at)
    contracts = {c.service_id: c for c in session.execute(select(ContractRecord)).scalars() if c.year <= year}
    context = WarningContext(programme, priority_from_risk(session, programme))
    consultations = sorted(
        (
            c
            for c in session.execute(select(Consultation)).scalars()
            if (day := held_day(c)) is not None and first <= day <= last
        ),
        key=lambda c: (held_day(c), c.consultation_id),
    )
    replies = replies_as_at(session, first, last)

    def attribute(name: str) -> Callable[[QuestionnaireReply], str]:
        return lambda r: getattr(contracts[r.service_id], name) if r.service_id in contracts else "unknown"

    return FeedbackSummaryInput(
        period=(year, quarter),
        as_at=as_at,
        consultations=tuple(consultation_row(c, context, as_at) for c in consultations),
        by_client_group=rating_rows(replies, attribute("client_group")),
        by_service_type=rating_rows(replies, attribute("service_type")),
    )


def with_pack_feedback(session: Session, programme: Programme, packs: Sequence[PackInput]) -> list[PackInput]:
    """Each pack with its services' ratings (replies received in the 24 months to its date) and open items."""
    if not packs:
        return []
    as_at = packs[0].as_at
    items = open_items(session, programme, as_at)
    replies = replies_as_at(session, add_months(as_at, -CYCLE_MONTHS), as_at)
    result = []
    for pack in packs:
        mine = set(pack.service_ids)
        ratings = rating_rows((r for r in replies if r.service_id in mine), lambda r: r.service_id)
        own_items = tuple(
            i
            for i in items
            if i.service_id in mine and i.provider_id == pack.provider_id and i.kind not in OFFICERS_ONLY
        )
        result.append(replace(pack, feedback=PackFeedback(ratings, own_items)))
    return result
