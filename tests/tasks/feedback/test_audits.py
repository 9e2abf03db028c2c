"""Support-plan audits: the import (a count above plans viewed is bad input), notice, feedback, re-audit, status."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session

from data_contracts.feedback_tables import AUDIT_COLUMNS, Audit
from foundation.errors import BadInput
from tasks.feedback.audits import (
    audit_status,
    audit_warnings,
    feedback_due,
    feedback_late,
    import_audits,
    reaudit_due,
)
from tasks.feedback.priority import never_red
from tests.factories.feedback import feedback_session
from tests.factories.imports import csv_file

HEADER = ",".join(AUDIT_COLUMNS)
TYPE = "Accommodation based"


def audit(**fields: Any) -> Audit:
    values: dict[str, Any] = {
        "audit_id": "A1",
        "provider_id": "PR1",
        "service_id": "SV1",
        "notified_on": date(2025, 5, 1),
        "audit_date": date(2025, 6, 2),
        "plans_viewed": 10,
    }
    values.update(fields)
    return Audit(**values)


@pytest.mark.parametrize(
    ("notified", "warned"), [(date(2025, 5, 2), False), (date(2025, 5, 3), True), (None, False)]
)
def test_short_notice(notified: date | None, warned: bool) -> None:
    assert (audit_warnings(audit(notified_on=notified), never_red) == ["short_notice"]) is warned


def test_short_notice_allowed_when_red_on_the_notice_date() -> None:
    assert audit_warnings(audit(notified_on=date(2025, 5, 30)), lambda _s, _d: "RED") == []


def test_feedback_due_four_weeks_after_the_audit() -> None:
    a = audit()
    assert feedback_due(a) == date(2025, 6, 30)
    assert feedback_late(a, date(2025, 6, 29)) is None
    assert feedback_late(a, date(2025, 6, 30)) is True  # the due date with nothing sent
    assert feedback_late(audit(feedback_sent_on=date(2025, 6, 30)), date(2025, 9, 1)) is False
    assert feedback_late(audit(feedback_sent_on=date(2025, 7, 1)), date(2025, 9, 1)) is True
    assert (
        feedback_late(audit(feedback_sent_on=date(2025, 8, 1)), date(2025, 7, 15)) is True
    )  # not sent yet then


@pytest.mark.parametrize(
    ("fields", "as_at", "status"),
    [
        ({"meets_minimum": True}, date(2025, 7, 1), "met"),
        ({"meets_minimum": None}, date(2025, 7, 1), ""),
        ({"meets_minimum": True}, date(2025, 6, 1), ""),  # not yet held
        ({"meets_minimum": False}, date(2025, 7, 1), "not_met"),
        ({"meets_minimum": False, "remedy_agreed_by": date(2025, 9, 1)}, date(2025, 9, 1), "reaudit_due"),
        ({"meets_minimum": False, "remedy_agreed_by": date(2025, 9, 1)}, date(2025, 9, 2), "reaudit_overdue"),
        ({"meets_minimum": False, "remedy_agreed_by": date(2025, 9, 1), "reaudit_on": date(2025, 8, 30),
          "reaudit_meets_minimum": True}, date(2025, 9, 2), "reaudit_met"),
        ({"meets_minimum": False, "remedy_agreed_by": date(2025, 9, 1), "reaudit_on": date(2025, 9, 1),
          "reaudit_meets_minimum": False}, date(2025, 9, 2), "reaudit_not_met"),
        ({"meets_minimum": False, "remedy_agreed_by": date(2025, 9, 1), "reaudit_on": date(2025, 9, 10),
          "reaudit_meets_minimum": True}, date(2025, 9, 5), "reaudit_overdue"),  # re-audit after the as-at
    ],
)  # fmt: skip
def test_status_as_at(fields: dict[str, Any], as_at: date, status: str) -> None:
    assert audit_status(audit(**fields), TYPE, as_at) == status


def test_alarm_services_are_not_applicable() -> None:
    assert audit_status(audit(meets_minimum=False), "Community alarm", date(2025, 9, 1)) == "not_applicable"
    assert audit_status(audit(meets_minimum=False), " community ALARM ", date(2025, 9, 1)) == "not_applicable"


def test_reaudit_due_on_the_remedy_date_only_when_not_met() -> None:
    assert reaudit_due(audit(meets_minimum=False, remedy_agreed_by=date(2025, 9, 1))) == date(2025, 9, 1)
    assert reaudit_due(audit(meets_minimum=True, remedy_agreed_by=date(2025, 9, 1))) is None


@pytest.fixture
def session() -> Iterator[Session]:
    yield from feedback_session()


def test_import_and_update_by_audit_id(session: Session, tmp_path: Path) -> None:
    line = "A1,PR1,SV1,2025-05-01,2025-06-02,10,10,9,8,7,6,yes,no,,2025-09-01,,"
    assert import_audits(session, csv_file(tmp_path, HEADER, line)) == 1
    import_audits(
        session,
        csv_file(tmp_path, HEADER, line.replace(",,2025-09-01,,", ",2025-06-20,2025-09-01,2025-08-28,yes")),
    )
    a = session.execute(select(Audit)).scalars().one()
    assert (a.plan_in_place, a.goals_followed_up, a.procedures_in_place, a.meets_minimum) == (
        10,
        6,
        True,
        False,
    )
    assert (a.feedback_sent_on, a.reaudit_on, a.reaudit_meets_minimum) == (
        date(2025, 6, 20),
        date(2025, 8, 28),
        True,
    )


def test_a_count_above_plans_viewed_is_bad_input_naming_row_and_column(
    session: Session, tmp_path: Path
) -> None:
    lines = [
        "A1,PR1,SV1,2025-05-01,2025-06-02,10,10,9,8,7,6,yes,yes,,,,",
        "A2,PR1,SV1,2025-05-01,2025-06-02,5,5,6,5,5,5,yes,yes,,,,",
    ]
    with pytest.raises(
        BadInput, match=r"row 3, column assessment_on_entry: 6 is more than the 5 plans viewed"
    ):
        import_audits(session, csv_file(tmp_path, HEADER, *lines))
    assert session.execute(select(Audit)).first() is None


def test_bad_values_name_row_and_column(session: Session, tmp_path: Path) -> None:
    line = "A1,PR1,SV1,2025-05-01,,ten,1.5,,,,,perhaps,,,,,"
    with pytest.raises(BadInput) as caught:
        import_audits(session, csv_file(tmp_path, HEADER, line))
    for expected in (
        "column audit_date: is blank",
        "column plans_viewed",
        "column plan_in_place",
        "column procedures_in_place",
    ):
        assert f"row 2, {expected}" in str(caught.value)
