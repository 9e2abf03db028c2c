from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from tasks.qaf.visits import (
    QuarterState,
    VisitInputs,
    a_grade_claimed,
    current_quarters,
    in_random_sample,
    latest_agreed_grades,
    on_procurement_review,
    sample_number,
    service_concerns,
    significant_change,
    visit_reasons,
)
from tests.factories.qafs import agreed_grade
from tests.factories.returns import add_pi
from tests.factories.sessions import sqlite_session

ALL_C = dict.fromkeys(("C1.1", "C1.2", "C1.3", "C1.4", "C1.5", "C1.6", "C1.7"), "C")


def grades(**changes: str) -> dict[str, str]:
    return ALL_C | {f"C1.{name[-1]}": grade for name, grade in changes.items()}


def test_a_grade_claimed():
    assert a_grade_claimed(grades(c3="A"))
    assert not a_grade_claimed(grades(c3="B"))


def test_significant_change_two_grades_on_one_objective():
    assert significant_change(grades(c4="B"), grades(c4="D"))
    assert significant_change(grades(c4="D"), grades(c4="B"))
    assert significant_change(grades(c4="A"), grades(c4="C"))
    assert not significant_change(grades(c4="B"), grades(c4="C"))


def test_significant_change_three_objectives_one_grade_the_same_way():
    assert significant_change(grades(c1="B", c2="B", c3="B"), ALL_C)
    assert significant_change(grades(c1="D", c2="D", c3="D"), ALL_C)
    assert not significant_change(grades(c1="B", c2="B"), ALL_C)
    assert not significant_change(grades(c1="B", c2="B", c3="D"), ALL_C)
    assert not significant_change(grades(c1="B", c2="B", c3="D", c4="D"), ALL_C)


def test_significant_change_skips_objectives_without_an_agreed_grade():
    previous = {"C1.3": "C"}
    assert not significant_change(grades(c1="A", c2="A", c4="A"), previous)
    lite = grades(c1="", c2="")
    assert not significant_change(lite, ALL_C)
    assert not significant_change(ALL_C, {})


def test_service_concerns_a_returned_current_return():
    assert service_concerns([QuarterState("SV1", "2025/26", "Q1", "returned")])
    assert not service_concerns([QuarterState("SV1", "2025/26", "Q1", "accepted")])
    assert not service_concerns([])


def test_service_concerns_breaches_in_two_of_the_four_latest_accepted_quarters():
    def accepted(year: str, quarter: str, breaches: str = "") -> QuarterState:
        return QuarterState("SV1", year, quarter, "accepted", breaches)

    two_recent = [
        accepted("2025/26", "Q1", "SPI2"),
        accepted("2025/26", "Q2", "KPI1;SPI2"),
        accepted("2024/25", "Q4"),
    ]
    assert service_concerns(two_recent)
    one_recent = [accepted("2025/26", "Q1", "SPI2"), accepted("2025/26", "Q2")]
    assert not service_concerns(one_recent)
    # The older breach falls outside the four most recent accepted quarters.
    old = [
        accepted("2024/25", "Q2", "SPI1"),
        accepted("2024/25", "Q3"),
        accepted("2024/25", "Q4"),
        accepted("2025/26", "Q1"),
        accepted("2025/26", "Q2", "SPI1"),
    ]
    assert not service_concerns(old)
    # Breaches on different services do not add up.
    split = [accepted("2025/26", "Q1", "SPI2"), QuarterState("SV2", "2025/26", "Q1", "accepted", "SPI2")]
    assert not service_concerns(split)


def test_procurement_review():
    assert on_procurement_review(["SV1", "SV2"], ["SV2", "SV9"])
    assert not on_procurement_review(["SV1"], [])


def test_random_sample_reads_the_sha256_as_hex_mod_100():
    expected = int(hashlib.sha256(b"PR0042|2025/26").hexdigest(), 16) % 100
    assert sample_number("PR0042", "2025/26") == expected
    assert in_random_sample("PR0042", "2025/26", expected + 1)
    assert not in_random_sample("PR0042", "2025/26", expected)
    assert sample_number("PR9785", "2025/26") == 8
    assert sample_number("PR0134", "2025/26") == 74
    assert not in_random_sample("PR0134", "2025/26", 0)
    assert in_random_sample("PR0134", "2025/26", 100)


def test_visit_reasons_in_the_order_of_qaf_md():
    inputs = VisitInputs(
        provider_id="PR9785",
        year="2025/26",
        service_ids=["SV41158", "SV92101"],
        claimed=grades(c3="A", c4="B"),
        previous=grades(c4="D"),
        quarters=[QuarterState("SV41158", "2025/26", "Q1", "returned")],
        procurement_review=["SV92101"],
        sample_percent=10,
    )
    assert visit_reasons(inputs) == [
        "a_grade_claimed",
        "significant_change",
        "service_concerns",
        "procurement_review",
        "random_sample",
    ]
    quiet = VisitInputs("PR0134", "2025/26", ["SV1"], ALL_C, sample_percent=10)
    assert visit_reasons(quiet) == []


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def test_latest_agreed_grade_by_year_then_date(session: Session):
    agreed_grade(session, "PR1", "SV1", "C1.4", "D", date(2025, 2, 23), year="2024/25")
    agreed_grade(
        session, "PR1", "SV2", "C1.4", "A", date(2025, 6, 1), year="2023/24"
    )  # later date, older year
    agreed_grade(session, "PR1", "SV1", "C1.3", "C", date(2025, 2, 23), year="2024/25")
    agreed_grade(session, "PR1", "SV2", "C1.3", "B", date(2025, 3, 1), year="2024/25")
    assert latest_agreed_grades(session, "PR1") == {"C1.4": "D", "C1.3": "B"}
    assert latest_agreed_grades(session, "PR2") == {}


def _pi(
    session: Session,
    name: str,
    at: datetime,
    quarter: str,
    status: str,
    reasons: str = "",
    breaches: str = "",
) -> None:
    add_pi(
        session,
        "SV1",
        quarter,
        at,
        status,
        source_file=name,
        file_key=f"{name}{quarter}",
        provider_id="",
        reasons=reasons,
        breaches=breaches,
    )


def test_current_quarters_as_they_were_when_the_qaf_was_taken(session: Session):
    _pi(
        session, "a.xlsx", datetime(2025, 7, 2, tzinfo=UTC), "Q1", "superseded", "trigger_unexplained", "SPI2"
    )
    _pi(session, "b.xlsx", datetime(2025, 7, 24, tzinfo=UTC), "Q1", "accepted", "", "SPI2")
    _pi(session, "c.xlsx", datetime(2025, 10, 6, tzinfo=UTC), "Q1", "duplicate", "", "SPI2")
    _pi(session, "c.xlsx", datetime(2025, 10, 6, tzinfo=UTC), "Q2", "returned", "invalid_value")
    now = current_quarters(session, ["SV1"])
    assert sorted((q.quarter, q.status) for q in now) == [("Q1", "accepted"), ("Q2", "returned")]
    in_july = current_quarters(session, ["SV1"], received_by=(datetime(2025, 7, 10, tzinfo=UTC), "QAF.xlsx"))
    assert [(q.quarter, q.status, q.breaches) for q in in_july] == [("Q1", "returned", "SPI2")]
    same_second = current_quarters(
        session, ["SV1"], received_by=(datetime(2025, 10, 6, tzinfo=UTC), "b.xlsx")
    )
    assert sorted((q.quarter, q.status) for q in same_second) == [("Q1", "accepted")]
    assert current_quarters(session, []) == []
    assert current_quarters(session, ["SV2"]) == []
