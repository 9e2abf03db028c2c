"""The fast paths of the reports give what the slow, one-at-a-time paths give.

The quarterly packs are gathered once for every provider and sliced by
provider; the monthly set judges the services once for its three reports;
the returns status builds its service quarters once for two lists. Each is
compared here with the path it replaced: gathering provider by provider,
judging afresh from a second load, and asking the database once per list.
The authority is ``scenario.py`` and more: a service that moved to another
provider between years, provider-wide and service actions, a re-planned
meeting, QAFs and agreed grades of two providers.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlmodel import Session

from reports.contracts_update import contracts_update_report
from reports.gather import gather_contracts_update, gather_meeting_schedule, gather_returns_status
from reports.gather_quarterly import gather_packs, gather_quarterly
from reports.meeting_schedule import meeting_schedule_report
from reports.packs import PACK_QUARTERS, PackInput
from reports.periods import quarters_ending
from reports.returns_status import returns_status_report
from reports.run import monthly_reports
from tasks.contract_management.chasing import awaiting_resubmission, non_returns
from tasks.contract_management.facts import evaluate_all, gather_qaf_facts
from tasks.contract_management.meetings import load_meetings
from tests.factories.contracts import FLOATING, contract
from tests.factories.meetings import action, meeting
from tests.factories.programmes import programme
from tests.factories.qafs import agreed_grade, qaf_return
from tests.factories.returns import pi_return
from tests.factories.sessions import sqlite_session, utc
from tests.reports import scenario

YEAR, QUARTER, AS_AT = "2025/26", "Q2", scenario.AS_AT
MONTH = date(2025, 10, 1)


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def _build(session: Session) -> None:
    scenario.build(session)
    moved = contract(
        session, "SV201", "PR1", "Single homeless", FLOATING, year="2024/25"
    )  # PR1's, then PR2's
    pi_return(session, moved, "Q4", utc(2025, 4, 9), scenario.SV102_Q2)
    action(session, "PR1", "SV101", "Fix the fire doors", date(2025, 8, 1))
    action(session, "PR1", "", "Review the risk assessments", date(2025, 9, 1), closed=date(2025, 9, 20))
    action(session, "PR3", "", "=Review every support plan", date(2025, 12, 1))
    action(session, "PR2", "SV202", "Test the alarms", date(2025, 7, 1))
    meeting(session, "PR1", date(2026, 3, 20))
    meeting(session, "PR2", date(2025, 12, 1), first=date(2025, 9, 1), replanned_on=date(2025, 7, 1))
    meeting(session, "PR3", date(2025, 6, 2), date(2025, 6, 2))
    qaf_return(session, "PR1", "SV101;SV102", utc(2025, 9, 1), claimed_c1_4="D")
    agreed_grade(session, "PR1", "SV101;SV102", "C1.4", "D", date(2025, 9, 10))
    qaf_return(session, "PR2", "SV201;SV202", utc(2025, 7, 20))
    agreed_grade(session, "PR2", "SV201", "C1.2", "B", date(2025, 8, 1))


def _provider_by_provider(session: Session, pack: PackInput, everything: list[PackInput]) -> None:
    """One pack checked against the slow path: its provider's data picked from the whole, alone."""
    data = gather_quarterly(session, programme(), YEAR, QUARTER, AS_AT)
    keys = tuple(quarters_ending(YEAR, QUARTER, PACK_QUARTERS))
    mine = sorted({q.service_id for q in data.of_quarter() if q.provider_id == pack.provider_id})
    assert pack.service_ids == mine
    assert pack.quarters == tuple(
        q
        for q in data.quarters
        if q.key in keys and q.provider_id == pack.provider_id and q.service_id in mine
    )
    facts = gather_qaf_facts(session, [(s, pack.provider_id) for s in mine], load_meetings(session), AS_AT)
    assert [(g.service_id, g.year, g.objective, g.grade, g.agreed_on) for g in pack.grades] == [
        (s, facts[s].grades_year, g.objective, g.grade, g.agreed_on) for s in mine for g in facts[s].grades
    ]
    others = {s for other in everything if other is not pack for s in other.service_ids}
    assert not others & {*mine, *(c.service_id for c in pack.clauses), *(r.service_id for r in pack.risks)}
    assert not pack.foreign_services()


def test_packs_gathered_once_equal_packs_gathered_provider_by_provider(session: Session) -> None:
    _build(session)
    data = gather_quarterly(session, programme(), YEAR, QUARTER, AS_AT)
    packs = gather_packs(session, programme(), data)
    assert [p.provider_id for p in packs] == ["PR1", "PR2", "PR3"]
    for pack in packs:
        _provider_by_provider(session, pack, packs)
    pr1, pr2, _ = packs
    assert ("C1.4", "D") in {(g.objective, g.grade) for g in pr1.grades if g.agreed_on}
    assert ("C1.2", "B") in {(g.objective, g.grade) for g in pr2.grades if g.agreed_on}
    assert [a.description for a in pr1.actions] == ["Fix the fire doors", "Review the risk assessments"]
    assert [a.description for a in pr2.actions] == ["Test the alarms"]
    assert {q.service_id for q in pr1.quarters} == {"SV101", "SV102"}  # SV201's PR1 year stays out
    assert len({c.service_id for pack in packs for c in pack.clauses}) == 7


def test_monthly_reports_judged_once_equal_reports_judged_afresh(session: Session) -> None:
    _build(session)
    as_at = date(2025, 10, 31)
    fast = monthly_reports(session, programme(), MONTH)
    session.info.clear()  # forget the judged services: the slow path loads and judges again
    risks = evaluate_all(session, programme(), as_at)
    slow = (
        contracts_update_report(gather_contracts_update(session, programme(), MONTH, as_at, risks)),
        meeting_schedule_report(gather_meeting_schedule(session, programme(), MONTH, as_at, risks)),
        returns_status_report(gather_returns_status(session, programme(), MONTH, as_at)),
    )
    assert fast == slow


def test_returns_status_lists_equal_the_lists_asked_for_one_by_one(session: Session) -> None:
    _build(session)
    as_at = date(2025, 10, 31)
    data = gather_returns_status(session, programme(), MONTH, as_at)
    assert data.awaiting == tuple(awaiting_resubmission(session, programme(), as_at))
    assert data.non_returns == tuple(non_returns(session, programme(), as_at))
    assert data.non_returns and data.awaiting  # SV301 sent nothing for Q1; SV202's Q2 waits for its fix
