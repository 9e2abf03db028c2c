"""Service-user consultations: the minimum sample at every band edge, the calculator, the warnings, the import."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session

from data_contracts.feedback_tables import CONSULTATION_COLUMNS, Consultation
from foundation.errors import BadInput
from foundation.programme import parse_programme
from tasks.feedback.consultations import (
    WarningContext,
    consultation_warnings,
    import_consultations,
    interview_minimum,
    minimum_sample,
    questionnaire_sample,
    report_due,
    report_late,
)
from tasks.feedback.priority import never_red
from tests.factories.feedback import feedback_session
from tests.factories.imports import csv_file
from tests.factories.programmes import PROGRAMME_TOML

PROGRAMME = parse_programme(
    PROGRAMME_TOML.replace('code = "DCC-2526-K7Q"', 'code = "DCC-2526-K7Q"\nprocurement_review = ["SV2"]')
)
CONTEXT = WarningContext(PROGRAMME, never_red)


@pytest.mark.parametrize(
    ("service_users", "minimum"),
    [
        (1, 1), (2, 2), (3, 3),
        (4, 3), (10, 3),
        (11, 5), (20, 5),
        (21, 6), (40, 10),  # 25%: 5.25 -> 6
        (41, 9), (80, 16),  # 20%: 8.2 -> 9
        (81, 13), (100, 15),  # 15%: 12.15 -> 13
        (101, 11), (250, 25),  # 10%: 10.1 -> 11
        (251, 13), (500, 25),  # 5%: 12.55 -> 13
        (501, None), (2000, None),
    ],
)  # fmt: skip
def test_interview_and_group_minimum_at_every_band_edge(service_users: int, minimum: int | None) -> None:
    assert interview_minimum(service_users) == minimum
    assert minimum_sample("interview", service_users) == minimum
    assert minimum_sample("group", service_users) == minimum


# Published sample sizes of the calculator (95% confidence, 5% margin of error, 50% distribution).
@pytest.mark.parametrize(
    ("population", "sample"),
    [(50, 45), (100, 80), (200, 132), (300, 169), (500, 218), (1000, 278), (5000, 357), (10000, 370),
     (100000, 383), (1000000, 385)],
)  # fmt: skip
def test_questionnaire_sample_matches_the_calculator(population: int, sample: int) -> None:
    assert questionnaire_sample(population) == sample
    assert minimum_sample("questionnaire", population) == sample


def test_the_formula_rounds_up_and_is_exact() -> None:
    # 500 × 9604 / (499 × 25 + 9604) = 217.49...: rounded up.
    assert questionnaire_sample(500) == 218
    assert questionnaire_sample(1) == 1
    assert questionnaire_sample(0) == 0


def test_informal_gatherings_have_no_minimum() -> None:
    assert minimum_sample("informal", 3000) is None


def consultation(**fields: Any) -> Consultation:
    values: dict[str, Any] = {
        "consultation_id": "C1",
        "provider_id": "PR1",
        "service_id": "SV1",
        "method": "interview",
        "service_users": 30,
        "contacted": 8,
        "consent_forms": 8,
        "notice_given_on": date(2025, 6, 1),
        "held_on": date(2025, 7, 1),
    }
    values.update(fields)
    return Consultation(**values)


def test_a_sound_consultation_has_no_warning() -> None:
    assert consultation_warnings(consultation(), CONTEXT) == []


@pytest.mark.parametrize(("contacted", "warned"), [(7, True), (8, False)])  # 25% of 30 = 7.5 -> 8
def test_sample_too_small(contacted: int, warned: bool) -> None:
    warnings = consultation_warnings(consultation(contacted=contacted, consent_forms=contacted), CONTEXT)
    assert ("sample_too_small" in warnings) is warned


def test_questionnaire_sample_too_small() -> None:
    c = consultation(method="questionnaire", service_users=500, contacted=217, consent_forms=None)
    assert consultation_warnings(c, CONTEXT) == ["sample_too_small"]
    assert (
        consultation_warnings(consultation(method="questionnaire", service_users=500, contacted=218), CONTEXT)
        == []
    )


@pytest.mark.parametrize(
    ("method", "service_users", "warned"),
    [("group", 501, True), ("interview", 500, False), ("questionnaire", 501, False)],
)
def test_method_unsuitable_above_500(method: str, service_users: int, warned: bool) -> None:
    c = consultation(method=method, service_users=service_users, contacted=400, consent_forms=400)
    assert ("method_unsuitable" in consultation_warnings(c, CONTEXT)) is warned


@pytest.mark.parametrize(
    ("method", "consent", "warned"), [("group", 7, True), ("group", 8, False), ("questionnaire", 0, False)]
)
def test_consent_missing(method: str, consent: int, warned: bool) -> None:
    c = consultation(method=method, service_users=8, contacted=8, consent_forms=consent)
    assert ("consent_missing" in consultation_warnings(c, CONTEXT)) is warned


@pytest.mark.parametrize(("notice", "warned"), [(date(2025, 6, 1), False), (date(2025, 6, 2), True)])
def test_short_notice_is_less_than_one_month(notice: date, warned: bool) -> None:
    c = consultation(notice_given_on=notice, held_on=date(2025, 7, 1))
    assert ("short_notice" in consultation_warnings(c, CONTEXT)) is warned


def test_short_notice_is_allowed_when_the_service_was_red_on_the_notice_date() -> None:
    asked: list[tuple[str, date]] = []

    def red(service_id: str, day: date) -> str | None:
        asked.append((service_id, day))
        return "RED"

    c = consultation(notice_given_on=date(2025, 6, 20), held_on=date(2025, 7, 1))
    assert consultation_warnings(c, WarningContext(PROGRAMME, red)) == []
    assert asked == [("SV1", date(2025, 6, 20))]
    amber = WarningContext(PROGRAMME, lambda _s, _d: "AMBER")
    assert consultation_warnings(c, amber) == ["short_notice"]


def test_postponed_year_when_on_the_procurement_review_list() -> None:
    assert consultation_warnings(consultation(service_id="SV2"), CONTEXT) == ["postponed_year"]
    assert (
        consultation_warnings(
            consultation(service_id="SV2", held_on=date(2025, 3, 1), notice_given_on=date(2025, 1, 1)),
            CONTEXT,
        )
        == []
    )


def test_warnings_in_table_order() -> None:
    c = consultation(
        service_id="SV2",
        method="group",
        service_users=600,
        contacted=5,
        consent_forms=1,
        notice_given_on=date(2025, 6, 30),
    )
    assert consultation_warnings(c, CONTEXT) == [
        "method_unsuitable",
        "consent_missing",
        "short_notice",
        "postponed_year",
    ]
    c = consultation(service_id="SV2", contacted=5, consent_forms=1, notice_given_on=date(2025, 6, 30))
    assert consultation_warnings(c, CONTEXT) == [
        "sample_too_small",
        "consent_missing",
        "short_notice",
        "postponed_year",
    ]


def test_report_due_six_weeks_after_closing_and_late_when_not_sent_by_then() -> None:
    c = consultation(method="questionnaire", held_on=date(2025, 6, 1), closes_on=date(2025, 7, 1))
    assert report_due(c) == date(2025, 8, 12)
    assert report_late(c, date(2025, 8, 11)) is None
    assert report_late(c, date(2025, 8, 12)) is True  # the due date with nothing sent
    assert (
        report_late(
            consultation(closes_on=None, held_on=date(2025, 7, 1), report_sent_on=date(2025, 8, 12)),
            date(2025, 9, 1),
        )
        is False
    )
    assert (
        report_late(
            consultation(held_on=date(2025, 7, 1), report_sent_on=date(2025, 8, 13)), date(2025, 9, 1)
        )
        is True
    )
    assert report_late(consultation(held_on=None), date(2025, 9, 1)) is None


HEADER = ",".join(CONSULTATION_COLUMNS)


@pytest.fixture
def session() -> Iterator[Session]:
    yield from feedback_session()


def test_import_and_update_by_consultation_id(session: Session, tmp_path: Path) -> None:
    first = "C1,PR1,SV1,Interview,2025-06-01,2025-07-01,,30,8,6,8,no,no,,"
    assert import_consultations(session, csv_file(tmp_path, HEADER, first)) == 1
    later = "C1,PR1,SV1,interview,2025-06-01,2025-07-01,,30,8,6,8,yes,YES,2025-08-01,A Officer"
    import_consultations(session, csv_file(tmp_path, HEADER, later))
    c = session.execute(select(Consultation)).scalars().one()
    assert (c.method, c.adverse, c.complaint_raised, c.report_sent_on, c.report_approved_by) == (
        "interview",
        True,
        True,
        date(2025, 8, 1),
        "A Officer",
    )


def test_import_is_all_or_nothing_naming_row_and_column(session: Session, tmp_path: Path) -> None:
    lines = [
        "C1,PR1,SV1,interview,2025-06-01,2025-07-01,,30,8,6,8,no,no,,",
        "C2,PR1,SV1,phone,2025-06-01,2025-07-01,,30,8,6,8,no,no,,",
        "C3,PR1,SV1,group,2025-06-01,soon,,30,8,6,8,maybe,no,,",
        "C4,PR2,SV1,group,,,,-3,8,6,8,no,no,,",
    ]
    with pytest.raises(BadInput) as caught:
        import_consultations(session, csv_file(tmp_path, HEADER, *lines))
    message = str(caught.value)
    for expected in (
        "row 3, column method",
        "row 4, column held_on",
        "row 4, column adverse",
        "row 5, column service_users",
    ):
        assert expected in message
    assert session.execute(select(Consultation)).first() is None


def test_a_service_not_of_the_provider_is_refused(session: Session, tmp_path: Path) -> None:
    path = csv_file(tmp_path, HEADER, "C4,PR2,SV1,group,,,,10,,,,,,,")
    with pytest.raises(BadInput, match="row 2, column service_id: SV1 is not a service of PR2"):
        import_consultations(session, path)
