"""Gathering the reports' inputs from the database, as it stood on the as-at date.

Each function reads; none writes. Risk levels are judged afresh as at the
as-at date, and since when a level holds and what changed in a month come
from the history **derived** from the data (``tasks.contract_management.history.derive_history``),
never from the ``risk_change`` table (a cache the risk flow keeps for other
readers). So a report for any past period, run on demand on a database
where the risk flow never ran, equals the one a database with nightly risk
runs publishes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import event, select
from sqlmodel import Session, col

from data_contracts.qaf_tables import AgreedGrade, DGradeFollowUp, QafReturn, d_grade_follow_ups
from data_contracts.reason_words import in_words
from data_contracts.risk_tables import CLAUSES, GREEN, HIGH, LOW, PRIORITY, Action, Meeting
from data_contracts.tables import ContractRecord, PiReturn
from foundation.programme import Programme
from reports.contracts_update import ContractsUpdateInput
from reports.inputs import ActionRow, ClauseRow, GradeRow, RiskChangeRow, ServiceRiskRow
from reports.meeting_schedule import MeetingFigures, MeetingRow, MeetingScheduleInput, ScheduledRow
from reports.packs import PACK_QUARTERS, PackInput
from reports.periods import first_of_month, last_of_month, month_label, quarters_ending
from reports.pi_data import contracts_of, gather_service_quarters, triggers_by_year
from reports.quarterly_input import TREND_QUARTERS, QuarterlyInput
from reports.returns_status import (
    DGradeRow,
    ExtendedRow,
    QafStatusRow,
    ReceivedRow,
    ReturnsStatusInput,
    VisitRow,
)
from tasks.calendar.dates import as_utc, london_date, year_of, year_start
from tasks.calendar.deadlines import load_deadlines
from tasks.contract_management.chasing import awaiting_resubmission, non_returns
from tasks.contract_management.facts import (
    CURRENT_STATUSES,
    FactSource,
    ServiceRisk,
    accepted_currents,
    gather_qaf_facts,
    latest_current,
    pi_rows_as_at,
    qaf_rows_as_at,
    status_then,
    taken_order,
)
from tasks.contract_management.history import History, derive_history, schedule_as_at
from tasks.contract_management.meetings import compliance_between, load_meetings, qaf_timetable

# Names and risks ---------------------------------------------------------------------------------


def latest_contracts(session: Session, up_to_year: str) -> dict[str, ContractRecord]:
    """Each service's latest contract record up to the year."""
    statement = (
        select(ContractRecord)
        .where(col(ContractRecord.year) <= up_to_year)
        .order_by(col(ContractRecord.year))
    )
    return {c.service_id: c for c in session.execute(statement).scalars()}


RISK_STATE = "spmon.reports.risk_state"  # the session's cache of risk_state, cleared by every flush


def risk_state(
    session: Session, programme: Programme, as_at: date, risks: Sequence[ServiceRisk] | None = None
) -> tuple[FactSource, list[ServiceRisk], History]:
    """One load of the facts, the services judged as at the date, and their history up to it.

    Kept on the session (``session.info``) for the reports of one run, which
    all ask for the same date: the Contracts Update and the meeting schedule
    derive it once. Anything the session writes (a flush) forgets it.
    """
    cache = session.info.get(RISK_STATE)
    if cache is None:
        cache = session.info[RISK_STATE] = {}
        event.listen(session, "after_flush", _forget_risk_state)
    key = (as_at, programme.model_dump_json())
    if key not in cache:
        source = FactSource.load(session, programme, year_of(as_at))
        history = derive_history(source, as_at)  # first: judging the day then reuses the facts it cut
        cache[key] = (source, source.evaluate_all(as_at), history)
    source, judged, history = cache[key]
    return source, judged if risks is None else list(risks), history


def _forget_risk_state(session: Session, _context: object) -> None:
    session.info.get(RISK_STATE, {}).clear()


def risk_rows(
    contracts: dict[str, ContractRecord], risks: Sequence[ServiceRisk], history: History
) -> tuple[list[ClauseRow], list[ServiceRiskRow]]:
    """Every clause of the judged services and each service's overall risk, with since when they hold."""
    clauses, services = [], []
    for risk in sorted(risks, key=lambda r: r.service_id):
        name = contracts[risk.service_id].service_name if risk.service_id in contracts else ""
        for result in risk.results:
            clauses.append(
                ClauseRow(
                    service_id=risk.service_id,
                    provider_id=risk.provider_id,
                    clause=result.clause,
                    level=result.level,
                    detail=result.detail,
                    since=history.since(risk.service_id, result.clause, result.level),
                    service_name=name,
                )
            )
        services.append(
            ServiceRiskRow(
                service_id=risk.service_id,
                provider_id=risk.provider_id,
                service_name=name,
                overall=risk.overall,
                priority=risk.priority,
                high_clauses=tuple(r.clause for r in risk.results if r.level == HIGH),
                since=history.since(risk.service_id, PRIORITY, risk.priority),
            )
        )
    return clauses, services


# Contracts Update --------------------------------------------------------------------------------


def gather_contracts_update(
    session: Session,
    programme: Programme,
    month: date,
    as_at: date,
    risks: Sequence[ServiceRisk] | None = None,
) -> ContractsUpdateInput:
    """Clauses and services as at the date, and the changes of level the data made in the month up to it.

    ``risks``: the services judged as at the date, when the caller has them already.
    """
    _, risks, history = risk_state(session, programme, as_at, risks)
    contracts = latest_contracts(session, year_of(as_at))
    clauses, services = risk_rows(contracts, risks, history)
    first, last = first_of_month(month), min(last_of_month(month), as_at)
    changes = tuple(
        RiskChangeRow(
            service_id=c.service_id,
            provider_id=c.provider_id,
            subject=c.subject,
            from_level=c.from_level,
            to_level=c.to_level,
            changed_on=c.changed_on,
            detail=c.detail,
        )
        for c in history.between(first, last)
        if c.subject in (*CLAUSES, PRIORITY)
        and not (c.from_level is None and c.to_level in (LOW, GREEN))  # first judged, and fine: no news
    )
    return ContractsUpdateInput(month, as_at, tuple(clauses), changes, tuple(services))


# Meeting schedule --------------------------------------------------------------------------------


def provider_names(session: Session) -> dict[str, str]:
    """Each provider's name, from its latest contract record."""
    statement = select(ContractRecord).order_by(col(ContractRecord.year))
    return {c.provider_id: c.provider_name for c in session.execute(statement).scalars()}


def _meeting_row(meeting: Meeting, names: dict[str, str]) -> MeetingRow:
    return MeetingRow(
        provider_id=meeting.provider_id,
        provider_name=names.get(meeting.provider_id, ""),
        planned_date=meeting.planned_date,
        completed_date=meeting.completed_date,
        officer=meeting.officer,
        replanned_from=meeting.replanned_from,
    )


def _figures(meetings: Sequence[Meeting], period: str, first: date, last: date) -> MeetingFigures:
    found = compliance_between(meetings, first, last)
    return MeetingFigures(period, found.planned, found.completed)


def gather_meeting_schedule(
    session: Session,
    programme: Programme,
    month: date,
    as_at: date,
    risks: Sequence[ServiceRisk] | None = None,
) -> MeetingScheduleInput:
    """The month's and year's compliance, the month's and overdue meetings, and next month's due."""
    meetings = load_meetings(session)
    names = provider_names(session)
    first, last = first_of_month(month), last_of_month(month)
    year = year_of(first)
    year_first = date(year_start(year), 4, 1)
    by_month = []
    cursor = year_first
    while cursor <= first:
        by_month.append(_figures(meetings, month_label(cursor), cursor, last_of_month(cursor)))
        cursor += relativedelta(months=1)
    source, risks, history = risk_state(session, programme, as_at, risks)
    next_first = first + relativedelta(months=1)
    next_last = last_of_month(next_first)
    by_provider: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        by_provider[meeting.provider_id].append(meeting)
    overdue: list[ScheduledRow] = []
    due: list[ScheduledRow] = []
    for scheduled in schedule_as_at(programme, source, risks, history, as_at):
        if scheduled.due > next_last:
            continue
        planned = open_meeting(by_provider.get(scheduled.provider_id, []), as_at)
        row = ScheduledRow(
            service_id=scheduled.service_id,
            provider_id=scheduled.provider_id,
            priority=scheduled.priority,
            interval_months=scheduled.interval_months,
            last_completed=scheduled.last_completed,
            due=scheduled.due,
            planned=planned.planned_date if planned else None,
        )
        (overdue if scheduled.is_overdue(as_at) else due).append(row)
    return MeetingScheduleInput(
        month=month,
        as_at=as_at,
        month_figures=_figures(meetings, month_label(month), first, last),
        year_figures=_figures(meetings, f"{year} to the end of {month_label(month)}", year_first, last),
        by_month=tuple(by_month),
        in_month=tuple(_meeting_row(m, names) for m in meetings if first <= m.planned_date <= last),
        overdue=tuple(overdue),
        due_next_month=tuple(due),
        next_month=month_label(next_first),
    )


def open_meeting(meetings: Sequence[Meeting], as_at: date) -> Meeting | None:
    """The provider's earliest meeting not completed by the as-at date (its next planned meeting)."""
    return min(
        (m for m in meetings if m.completed_date is None or m.completed_date > as_at),
        key=lambda m: m.planned_date,
        default=None,
    )


# Returns status ----------------------------------------------------------------------------------


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
    """The rows of the quarters received on or before the as-at date (quarantined aside)."""
    rows = pi_rows_as_at(session, sorted({service_id for service_id, _, _ in keys}), as_at)
    return {key: held for key, held in rows.items() if key in keys}


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
        rows.append(
            DGradeRow(
                provider_id=seen.provider_id,
                year=seen.year,
                service_ids=seen.service_ids,
                objective=seen.objective,
                date_agreed=seen.date_agreed,
                plan_due=seen.plan_due,
                plan_received=seen.plan_received,
                revalidation_due=seen.revalidation_due,
                state=state,
            )
        )
    return rows


def _as_at(follow_up: DGradeFollowUp, as_at: date) -> DGradeFollowUp:
    """The follow-up as it stood on the date: later plans and re-validations not yet known."""
    plan = follow_up.plan_received if follow_up.plan_received and follow_up.plan_received <= as_at else None
    revalidated = (
        follow_up.revalidated_on
        if plan and follow_up.revalidated_on and follow_up.revalidated_on <= as_at
        else None
    )
    return DGradeFollowUp(
        provider_id=follow_up.provider_id,
        year=follow_up.year,
        service_ids=follow_up.service_ids,
        objective=follow_up.objective,
        date_agreed=follow_up.date_agreed,
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
    received = pi_rows_as_at(session, sorted({service_id for service_id, _, _ in running}), as_at)
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
    return ReturnsStatusInput(
        month=month,
        as_at=as_at,
        received=tuple(received_in_month(session, month, as_at)),
        awaiting=tuple(awaiting_resubmission(session, programme, as_at)),
        non_returns=tuple(non_returns(session, programme, as_at)),
        qafs=tuple(qaf_statuses(session, as_at)),
        visits=tuple(visits_to_arrange(session, as_at)),
        d_grades=tuple(d_grades_as_at(session, as_at)),
        extended=tuple(extended_quarters(session, programme, as_at)),
    )


# Quarterly ---------------------------------------------------------------------------------------


def gather_quarterly(
    session: Session, programme: Programme, year: str, quarter: str, as_at: date
) -> QuarterlyInput:
    """Every service's quarters of the eight quarters ending with this one, as at the date."""
    keys = quarters_ending(year, quarter, TREND_QUARTERS)
    quarters = gather_service_quarters(session, programme, as_at, keys)
    return QuarterlyInput(
        year=year,
        quarter=quarter,
        as_at=as_at,
        quarters=tuple(quarters),
        triggers=triggers_by_year(programme, [y for y, _ in keys]),
    )


def gather_packs(session: Session, programme: Programme, data: QuarterlyInput) -> list[PackInput]:
    """One pack input per provider with a contract in the report's year, holding only its own data."""
    keys = tuple(quarters_ending(data.year, data.quarter, PACK_QUARTERS))
    current = [q for q in data.quarters if q.key == (data.year, data.quarter)]
    providers = sorted({q.provider_id for q in current})
    _, risks, history = risk_state(session, programme, data.as_at)
    clauses, services = risk_rows(latest_contracts(session, year_of(data.as_at)), risks, history)
    actions = list(session.execute(select(Action).where(col(Action.provider_id).in_(providers))).scalars())
    meetings = load_meetings(session)
    packs = []
    for provider_id in providers:
        mine = sorted({q.service_id for q in current if q.provider_id == provider_id})
        ids = set(mine)
        facts = gather_qaf_facts(session, [(s, provider_id) for s in mine], meetings, data.as_at)
        packs.append(
            PackInput(
                provider_id=provider_id,
                provider_name=next(q.provider_name for q in current if q.provider_id == provider_id),
                year=data.year,
                quarter=data.quarter,
                as_at=data.as_at,
                quarter_keys=keys,
                quarters=tuple(
                    q
                    for q in data.quarters
                    if q.key in keys and q.provider_id == provider_id and q.service_id in ids
                ),
                triggers=data.triggers,
                risks=tuple(s for s in services if s.service_id in ids and s.provider_id == provider_id),
                clauses=tuple(c for c in clauses if c.service_id in ids and c.provider_id == provider_id),
                grades=tuple(
                    GradeRow(
                        service_id=service_id,
                        year=facts[service_id].grades_year,
                        objective=g.objective,
                        grade=g.grade,
                        agreed_on=g.agreed_on,
                        plan_received=g.plan_received,
                        revalidated_on=g.revalidated_on,
                        improved=g.improved,
                    )
                    for service_id in mine
                    for g in facts[service_id].grades
                ),
                actions=tuple(
                    ActionRow(a.provider_id, a.service_id, a.description, a.owner, a.target_date, a.closed_on)
                    for a in actions
                    if a.provider_id == provider_id and a.service_id in ("", *mine)
                ),
            )
        )
    return packs
