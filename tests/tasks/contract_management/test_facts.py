"""Facts gathered from the database as it stood on the as-at date, and every service's risk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlmodel import Session

from tasks.contract_management.facts import evaluate_all, gather_facts
from tests.factories.contracts import add_contract
from tests.factories.meetings import action, meeting
from tests.factories.programmes import YEAR, programme
from tests.factories.qafs import agreed_grade, improvement_plan, qaf_return
from tests.factories.returns import add_pi
from tests.factories.sessions import sqlite_session, utc


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def facts_of(session: Session, as_at: date, service_id: str = "SV1"):
    return next(f for f in gather_facts(session, programme(), as_at) if f.service_id == service_id)


def test_services_are_those_with_a_contract_in_the_as_at_year(session: Session) -> None:
    add_contract(session, "SV1")
    add_contract(session, "SV1", year="2024/25")
    add_contract(session, "SV2", year="2024/25")
    facts = gather_facts(session, programme(), date(2025, 10, 22))
    assert [f.service_id for f in facts] == ["SV1"]
    assert [q.name for q in facts[0].quarters] == [
        *(f"Q{n} 2024/25" for n in range(1, 5)),
        *(f"Q{n} 2025/26" for n in range(1, 5)),
    ]
    assert facts[0].quarters[4].deadline == date(2025, 7, 21)
    assert facts[0].pis == ("KPI2", "SPI1", "SPI2", "SPI3", "SPI4")


def test_quarter_facts_as_the_database_stood_on_the_date(session: Session) -> None:
    add_contract(session, "SV1")
    add_pi(session, "SV1", "Q1", utc(2025, 7, 2), "superseded", reasons="incomplete")
    add_pi(session, "SV1", "Q1", utc(2025, 7, 30), "superseded", breaches="SPI2")
    add_pi(session, "SV1", "Q1", utc(2025, 8, 10), "duplicate")
    add_pi(session, "SV1", "Q1", utc(2025, 9, 1), "returned", reasons="invalid_value")

    def q1(as_at: date):
        return facts_of(session, as_at).quarters[0]

    assert q1(date(2025, 7, 1)).first_received is None
    assert (q1(date(2025, 7, 2)).status, q1(date(2025, 7, 2)).status_since) == ("returned", date(2025, 7, 2))
    on_30 = q1(date(2025, 8, 20))  # the duplicate does not become current
    assert (on_30.first_received, on_30.status, on_30.breaches) == (date(2025, 7, 2), "accepted", {"SPI2"})
    assert (q1(date(2025, 9, 1)).status, q1(date(2025, 9, 1)).status_since) == ("returned", date(2025, 9, 1))


def test_received_dates_are_london_dates(session: Session) -> None:
    add_contract(session, "SV1")
    add_pi(session, "SV1", "Q1", utc(2025, 7, 21, 23, 30))  # 00:30 on the 22nd in London
    assert facts_of(session, date(2025, 7, 21)).quarters[0].first_received is None
    assert facts_of(session, date(2025, 7, 22)).quarters[0].first_received == date(2025, 7, 22)


def test_departures_come_from_the_current_return_values(session: Session) -> None:
    add_contract(session, "SV1")
    values = {"planned_departures": 2, "unplanned_departures": {"unreadable": "abc"}}
    add_pi(session, "SV1", "Q1", utc(2025, 7, 2), values=values)
    quarter = facts_of(session, date(2025, 8, 1)).quarters[0]
    assert (quarter.planned_departures, quarter.unplanned_departures) == (2.0, None)


def test_an_extension_moves_the_deadline(session: Session) -> None:
    from data_contracts.tables import Extension

    add_contract(session, "SV1")
    session.add(Extension(service_id="SV1", year=YEAR, quarter="Q1", until=date(2025, 8, 4)))
    session.flush()
    assert facts_of(session, date(2025, 8, 1)).quarters[0].deadline == date(2025, 8, 4)


def test_qaf_facts_due_date_received_and_grades(session: Session) -> None:
    add_contract(session, "SV1")
    add_contract(session, "SV2")
    meeting(session, "PR1", date(2026, 4, 10))  # QAF due 2026-02-27
    qaf_return(session, "PR1", "SV1;SV2", utc(2026, 2, 11), claimed_c1_3="B", claimed_c1_4="D")
    agreed_grade(session, "PR1", "SV1;SV2", "C1.4", "D", date(2026, 3, 2))
    improvement_plan(session, "PR1", "SV1;SV2", date(2026, 3, 10))
    before = facts_of(session, date(2026, 2, 10)).qaf
    assert (before.due, before.received_on, before.grades) == (date(2026, 2, 27), None, ())
    provisional = facts_of(session, date(2026, 3, 1)).qaf
    assert provisional.received_on == date(2026, 2, 11)
    assert [(g.objective, g.grade, g.agreed_on) for g in provisional.grades if g.grade != "C"] == [
        ("C1.3", "B", None),
        ("C1.4", "D", None),
    ]
    agreed = facts_of(session, date(2026, 3, 5), "SV2").qaf
    d_grade = next(g for g in agreed.grades if g.objective == "C1.4")
    assert (d_grade.agreed_on, d_grade.plan_received) == (date(2026, 3, 2), date(2026, 3, 10))


def test_a_returned_qaf_counts_as_received_but_its_claims_are_not_grades(session: Session) -> None:
    add_contract(session, "SV1")
    qaf_return(session, "PR1", "SV1", utc(2026, 2, 11), status="returned", claimed_c1_4="D")
    qaf = facts_of(session, date(2026, 3, 1)).qaf
    assert (qaf.received_on, qaf.grades) == (date(2026, 2, 11), ())


def test_last_years_agreed_grades_stand_until_this_years_come(session: Session) -> None:
    add_contract(session, "SV1")
    agreed_grade(session, "PR1", "SV1", "C1.1", "D", date(2025, 3, 1), year="2024/25", method="visit")
    qaf = facts_of(session, date(2025, 6, 1)).qaf
    assert (qaf.grades_year, [g.grade for g in qaf.grades]) == ("2024/25", ["D"])
    qaf_return(session, "PR1", "SV1", utc(2026, 2, 11))
    assert facts_of(session, date(2026, 3, 1)).qaf.grades_year == YEAR


def test_actions_of_the_service_and_of_all_the_providers_services(session: Session) -> None:
    add_contract(session, "SV1")
    add_contract(session, "SV2")
    for service_id, text in (("SV1", "One"), ("", "All"), ("SV2", "Two")):
        action(session, "PR1", service_id, text, date(2025, 9, 1), owner="J")
    assert sorted(a.description for a in facts_of(session, date(2025, 10, 1)).actions) == ["All", "One"]


def test_evaluate_all_judges_every_service_and_gives_the_same_answer_twice(session: Session) -> None:
    add_contract(session, "SV2")
    add_contract(session, "SV1")
    add_pi(session, "SV2", "Q1", utc(2025, 7, 2), breaches="SPI2")
    as_at = date(2025, 8, 20)  # Q1 of SV1 is a non-return 30 days past its deadline (2025-07-21)
    risks = evaluate_all(session, programme(), as_at)
    assert [(r.service_id, r.overall, r.priority) for r in risks] == [
        ("SV1", "High", "RED"),
        ("SV2", "Medium", "AMBER"),
    ]
    assert risks[0].results[0].detail == "Q1 2025/26 not received, 30 days past its deadline 2025-07-21"
    assert evaluate_all(session, programme(), as_at) == risks
