"""The returns status report's input, as the database stood on the as-at date.

PI returns received in the month, QAF statuses, visits to arrange, D grades
followed up and running extensions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.qaf_tables import AgreedGrade, DGradeFollowUp, QafReturn, d_grade_follow_ups
from data_contracts.reason_words import in_words
from data_contracts.tables import PiReturn
from foundation.programme import Programme
from reports.model import row_from
from reports.periods import first_of_month, last_of_month
from reports.pi_data import contracts_of
from reports.returns_status import (
    DGradeRow,
    ExtendedRow,
    QafStatusRow,
    ReceivedRow,
    ReturnsStatusInput,
    VisitRow,
)
from tasks.calendar.dates import as_utc, london_date, year_of
from tasks.calendar.deadlines import load_deadlines
from tasks.contract_management.chasing import awaiting_of, chasing_years, non_returns_of, service_quarters
from tasks.contract_management.facts import (
    CURRENT_STATUSES,
    accepted_currents,
    latest_current,
    qaf_rows_as_at,
    received_by,
    status_then,
    taken_order,
)
from tasks.contract_management.meetings import load_meetings, qaf_timetable


def received_in_month(session: Session, month: date, as_at: date) -> list[ReceivedRow]:
    """PI register rows received in the month (up to the as-at date), with their status as at that date."""
    first, last = first_of_month(month), min(last_of_month(month), as_at)
    window = (
        datetime.combine(first - timedelta(days=1), time(), UTC),
        datetime.combine(last + timedelta(days=2), time(), UTC),
    )
    statement = select(PiReturn).where(
        col(PiReturn.received_at) >= window[0], col(PiReturn.received_at) < window[1]
    )
    found = [
        row
        for row in session.execute(statement).scalars()
        if first <= london_date(as_utc(row.received_at)) <= last
    ]
    keys = {(row.service_id, row.year, row.quarter) for row in found if row.quarter}
    current = {key: latest_current(held) for key, held in quarter_rows_as_at(session, keys, as_at).items()}
    rows = [
        ReceivedRow(
            received_on=london_date(as_utc(row.received_at)),
            source_file=row.source_file,
            service_id=row.service_id,
            year=row.year,
            quarter=row.quarter,
            status=_status_as_at(row, current.get((row.service_id, row.year, row.quarter))),
            reasons="" if row.status == "duplicate" else row.reasons,
        )
        for row in found
    ]
    order = {"": 0, "Q1": 1, "Q2": 2, "Q3": 3, "Q4": 4}
    return sorted(rows, key=lambda r: (r.received_on, r.source_file, order.get(r.quarter, 9)))


def quarter_rows_as_at(
    session: Session, keys: set[tuple[str, str, str]], as_at: date
) -> dict[tuple[str, str, str], list[PiReturn]]:
    """The rows of the quarters received on or before the as-at date (quarantined aside).

    Only the quarters' years and quarters are read, not every return the services ever sent.
    """
    if not keys:
        return {}
    statement = select(PiReturn).where(
        col(PiReturn.service_id).in_(sorted({service_id for service_id, _, _ in keys})),
        col(PiReturn.year).in_(sorted({year for _, year, _ in keys})),
        col(PiReturn.quarter).in_(sorted({quarter for _, _, quarter in keys})),
        col(PiReturn.status) != "quarantined",
    )
    rows: dict[tuple[str, str, str], list[PiReturn]] = defaultdict(list)
    for row in session.execute(statement).scalars():
        key = (row.service_id, row.year, row.quarter)
        if key in keys and received_by(row.received_at, as_at):
            rows[key].append(row)
    return rows


def _status_as_at(row: PiReturn, current: PiReturn | None) -> str:
    if not row.quarter or row.status not in CURRENT_STATUSES:
        return row.status  # file-level rows, duplicates and quarantined files keep theirs
    if current is not None and row.id == current.id:
        return status_then(row)
    return "superseded"


def qaf_statuses(session: Session, as_at: date) -> list[QafStatusRow]:
    """Each provider with a contract in the as-at date's year: its QAF's due date and when it came."""
    year = year_of(as_at)
    contracts = contracts_of(session, [year])
    providers = sorted({c.provider_id for c in contracts})
    names = {c.provider_id: c.provider_name for c in contracts}
    timetable = qaf_timetable(load_meetings(session), as_at)
    received: dict[str, date] = {}
    mine: dict[str, list[QafReturn]] = defaultdict(list)
    for row in qaf_rows_as_at(session, providers, as_at):
        if row.year == year:
            day = london_date(as_utc(row.received_at))
            received[row.provider_id] = min(day, received.get(row.provider_id, day))
            mine[row.provider_id].append(row)
    rows = []
    for provider_id in providers:
        entry = timetable.get(provider_id)
        status, reasons = _qaf_current(mine.get(provider_id, []))
        rows.append(
            QafStatusRow(
                provider_id=provider_id,
                provider_name=names[provider_id],
                year=year,
                meeting_date=entry.meeting_date if entry else None,
                due=entry.due if entry else None,
                received_on=received.get(provider_id),
                current_status=status,
                reasons=reasons,
            )
        )
    return rows


def _qaf_current(returns: Sequence[QafReturn]) -> tuple[str | None, str]:
    """A provider's QAFs of the year: ``returned`` (reasons in words) if any current one is, else accepted."""
    latest: dict[str, QafReturn] = {}
    for row in sorted(returns, key=taken_order):
        if row.status in CURRENT_STATUSES:
            latest[row.service_ids] = row
    statuses = {key: status_then(row) for key, row in latest.items()}
    returned = [latest[key] for key, status in sorted(statuses.items()) if status == "returned"]
    if returned:
        return "returned", "; ".join(in_words(row.reasons) for row in returned)
    return ("accepted", "") if statuses else (None, "")


def visits_to_arrange(session: Session, as_at: date) -> list[VisitRow]:
    """Accepted current QAFs (as at the date) that need a validation visit and have no agreed grade yet."""
    returns: list[QafReturn] = [
        row
        for row in session.execute(select(QafReturn).where(col(QafReturn.status) != "quarantined")).scalars()
        if london_date(as_utc(row.received_at)) <= as_at
    ]
    statement = select(AgreedGrade).where(col(AgreedGrade.date_agreed) <= as_at)
    graded = {(g.provider_id, g.year, g.service_ids) for g in session.execute(statement).scalars()}
    rows = [
        VisitRow(
            provider_id=row.provider_id,
            year=row.year,
            service_ids=row.service_ids,
            received_on=london_date(as_utc(row.received_at)),
            reasons=row.visit_reasons,
        )
        for row in accepted_currents(returns)
        if row.visit and (row.provider_id, row.year, row.service_ids) not in graded
    ]
    return sorted(rows, key=lambda v: (v.received_on, v.provider_id, v.service_ids))


def d_grades_as_at(session: Session, as_at: date) -> list[DGradeRow]:
    """Agreed D grades (agreed by the date) with a plan or re-validation pending, or no improvement."""
    rows = []
    for follow_up in d_grade_follow_ups(session):
        if follow_up.date_agreed > as_at:
            continue
        seen = _as_at(follow_up, as_at)
        state = seen.state(as_at)
        if state == "improved":
            continue
        rows.append(row_from(DGradeRow, seen, state=state))
    return rows


def _as_at(follow_up: DGradeFollowUp, as_at: date) -> DGradeFollowUp:
    """The follow-up as it stood on the date: later plans and re-validations not yet known."""
    plan = follow_up.plan_received if follow_up.plan_received and follow_up.plan_received <= as_at else None
    revalidated = (
        follow_up.revalidated_on
        if plan and follow_up.revalidated_on and follow_up.revalidated_on <= as_at
        else None
    )
    return replace(
        follow_up,
        plan_received=plan,
        revalidated_on=revalidated,
        improved=follow_up.improved if revalidated else None,
    )


def extended_quarters(session: Session, programme: Programme, as_at: date) -> list[ExtendedRow]:
    """Quarters past their programme deadline on the as-at date, within a running extension, none received."""
    deadlines = load_deadlines(session, programme)
    running = {
        key: until
        for key, until in deadlines.extensions.items()
        if until >= as_at and (deadline := deadlines.of("", key[1], key[2])) is not None and deadline < as_at
    }
    if not running:
        return []
    received = quarter_rows_as_at(session, set(running), as_at)
    providers = {
        (c.service_id, c.year): c.provider_id for c in contracts_of(session, [y for _, y, _ in running])
    }
    rows = [
        ExtendedRow(
            service_id=service_id,
            provider_id=providers.get((service_id, year), ""),
            year=year,
            quarter=quarter,
            deadline=deadlines.of("", year, quarter) or until,
            until=until,
        )
        for (service_id, year, quarter), until in running.items()
        if not received.get((service_id, year, quarter)) and (service_id, year) in providers
    ]
    return sorted(rows, key=lambda r: (r.until, r.service_id, r.year, r.quarter))


def gather_returns_status(
    session: Session, programme: Programme, month: date, as_at: date
) -> ReturnsStatusInput:
    """Everything the returns status report lists, as at the date."""
    quarters = service_quarters(session, programme, as_at, chasing_years(as_at))  # once for both lists
    return ReturnsStatusInput(
        month=month,
        as_at=as_at,
        received=tuple(received_in_month(session, month, as_at)),
        awaiting=tuple(awaiting_of(quarters, as_at)),
        non_returns=tuple(non_returns_of(quarters, as_at)),
        qafs=tuple(qaf_statuses(session, as_at)),
        visits=tuple(visits_to_arrange(session, as_at)),
        d_grades=tuple(d_grades_as_at(session, as_at)),
        extended=tuple(extended_quarters(session, programme, as_at)),
    )
