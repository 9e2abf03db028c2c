"""The feedback facts FactSource keeps by what they depend on equal the facts gathered afresh on every day."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from tasks.calendar.dates import year_of
from tasks.contract_management.fact_source import FactSource
from tasks.feedback.cycle import ServiceRef, add_months
from tasks.feedback.facts import NO_RECORDS, service_feedback
from tests.factories.programmes import programme
from tests.factories.sessions import sqlite_engine
from tests.tasks.contract_management.test_export import AS_AT
from tests.tasks.contract_management.test_feedback_risk import example


def test_the_kept_feedback_facts_equal_the_facts_gathered_on_every_day() -> None:
    with Session(sqlite_engine()) as session:
        example(session)
        source = FactSource.load(session, programme(), "2025/26")
    start = date(2024, 4, 1)
    for day in (start + timedelta(days=n) for n in range((AS_AT - start).days + 1)):
        for contract in source.contracts_in(year_of(day)):
            service = ServiceRef(contract.service_id, contract.provider_id, contract.service_type)
            records = source.feedback.get(contract.service_id, NO_RECORDS)
            assert source.feedback_facts(contract, day) == service_feedback(service, records, source.fb, day)


def test_add_months_kept_answers_are_the_same_days() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 11, 30), 27) == date(2026, 2, 28)
