"""The three feedback clauses in the risk evaluation, its history and ``risk export`` (feedback.md).

The example of ``test_export`` plus questionnaires, a consultation and audits:
the clauses read them as the database stood on the as-at date, the history
finds each change on the day the data made it (the same as judging every
day), and the export is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlmodel import Session, SQLModel

from data_contracts.clause_words import clause_in_words
from data_contracts.feedback_tables import RECEIVED, Audit, Consultation, QuestionnaireReply
from data_contracts.risk_tables import CLAUSES
from tasks.contract_management.export import export_risk
from tasks.contract_management.fact_source import FactSource
from tasks.contract_management.history import derive_history, evaluate_and_record, service_history
from tests.factories.feedback import issue
from tests.factories.programmes import programme
from tests.factories.sessions import sqlite_engine, stored, utc
from tests.tasks.contract_management.test_export import AS_AT, build_example

FEEDBACK = ("stakeholder_feedback", "service_user_feedback", "support_plans")


def add_feedback(session: Session) -> None:
    """SV1: an adverse reply the provider never answered; SV2: a complaint, an audit not met; SV3: an alarm."""
    reference = issue(session, "ST1", date(2025, 10, 1), "SV1", "PR1")
    stored(
        session,
        QuestionnaireReply(
            received_at=utc(2025, 10, 10),
            reference=reference,
            service_id="SV1",
            provider_id="PR1",
            status=RECEIVED,
            rating_quality="Poor",
            adverse=True,
            provider_reply_due=date(2025, 10, 24),
        ),
    )
    stored(
        session,
        Consultation(
            consultation_id="C1",
            provider_id="PR1",
            service_id="SV2",
            method="group",
            held_on=date(2025, 12, 1),
            service_users=10,
            contacted=3,
            complaint_raised=True,
        ),
    )
    stored(session, Audit(audit_id="A1", provider_id="PR1", service_id="SV2", audit_date=date(2026, 1, 15),
                          plans_viewed=5, meets_minimum=False, feedback_sent_on=date(2026, 1, 20),
                          remedy_agreed_by=date(2026, 4, 30)))  # fmt: skip
    stored(session, Audit(audit_id="A3", provider_id="PR2", service_id="SV3", audit_date=date(2026, 1, 5),
                          plans_viewed=4, meets_minimum=False))  # fmt: skip


def example(session: Session) -> None:
    build_example(session)
    add_feedback(session)
    session.commit()


def exported(session: Session, out: Path) -> dict[tuple[str, str], tuple[str, str]]:
    export_risk(session, programme(), AS_AT, out)
    with out.open(encoding="utf-8", newline="") as handle:
        return {(r["service_id"], r["clause"]): (r["level"], r["detail"]) for r in csv.DictReader(handle)}


def test_the_export_has_the_three_clauses_after_the_nine(tmp_path: Path) -> None:
    with Session(sqlite_engine()) as session:
        example(session)
        rows = exported(session, tmp_path / "risk.csv")
    assert CLAUSES[-3:] == FEEDBACK
    assert [clause for service, clause in rows if service == "SV1"] == [*CLAUSES, "overall"]
    expected = {
        ("SV1", "stakeholder_feedback"): ("High", "the provider's response to adverse feedback "
                                          "SQ-SV1-ST1-20251001 due 24/10/2025, 147 days overdue"),
        ("SV2", "service_user_feedback"): ("High", "consultation C1 raised a complaint not yet reported"),
        ("SV2", "support_plans"): ("Medium", "audit A1 did not meet the minimum; its re-audit is not yet due"),
        ("SV3", "support_plans"): ("Low", "community alarm services are not audited"),
    }  # fmt: skip
    assert {key: rows[key] for key in expected} == expected
    assert rows[("SV2", "stakeholder_feedback")][0] == "Low"  # asked by 2026-04-01: not yet due


def test_a_past_as_at_date_sees_only_what_had_happened(tmp_path: Path) -> None:
    with Session(sqlite_engine()) as session:
        example(session)
        export_risk(session, programme(), date(2025, 10, 20), tmp_path / "risk.csv")
        text = (tmp_path / "risk.csv").read_text(encoding="utf-8")
    rows = {(r["service_id"], r["clause"]): r["level"] for r in csv.DictReader(text.splitlines())}
    assert rows[("SV1", "stakeholder_feedback")] == "Medium"  # within its 10 working days
    assert rows[("SV2", "service_user_feedback")] == "Low"  # not yet held
    assert rows[("SV2", "support_plans")] == "Low"  # no audit yet


def test_the_history_dates_each_feedback_change_the_day_the_data_made_it() -> None:
    with Session(sqlite_engine()) as session:
        example(session)
        source = FactSource.load(session, programme(), "2025/26")
    changes = derive_history(source, AS_AT).changes
    seen = {(c.service_id, c.subject, c.from_level, c.to_level, c.changed_on) for c in changes}
    assert ("SV1", "stakeholder_feedback", "Low", "Medium", date(2025, 10, 10)) in seen
    assert ("SV1", "stakeholder_feedback", "Medium", "High", date(2025, 10, 25)) in seen
    assert ("SV2", "service_user_feedback", "Low", "High", date(2025, 12, 1)) in seen
    assert ("SV2", "support_plans", "Low", "Medium", date(2026, 1, 15)) in seen


@pytest.mark.parametrize("service_id", ["SV1", "SV2", "SV3"])
def test_candidate_days_find_what_judging_every_day_finds(service_id: str) -> None:
    with Session(sqlite_engine()) as session:
        example(session)
        source = FactSource.load(session, programme(), "2025/26")
    start = date(2024, 4, 1)
    every_day = [start + timedelta(days=n) for n in range((AS_AT - start).days + 1)]
    assert service_history(source, service_id, AS_AT) == service_history(source, service_id, AS_AT, every_day)


def judged_and_exported(engine: Engine, out: Path) -> bytes:
    """The example's risk export after a risk run, on the engine's database."""
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        example(session)
        evaluate_and_record(session, programme(), AS_AT)
        session.commit()
        export_risk(session, programme(), AS_AT, out)
    engine.dispose()
    return out.read_bytes()


@pytest.mark.postgres
def test_feedback_risks_are_identical_on_sqlite_and_postgresql(tmp_path: Path, postgres_url: str) -> None:
    sqlite = judged_and_exported(sqlite_engine(), tmp_path / "sqlite.csv")
    assert b"stakeholder_feedback,High" in sqlite
    assert judged_and_exported(create_engine(postgres_url), tmp_path / "postgres.csv") == sqlite


def test_the_feedback_clauses_are_named_in_plain_words() -> None:
    assert [clause_in_words(clause) for clause in FEEDBACK] == [
        "Stakeholder feedback",
        "Service-user feedback",
        "Support-plan audits",
    ]
