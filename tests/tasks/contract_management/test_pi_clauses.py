"""The PI clauses of risk.md at their Low, Medium and High boundaries, and with nothing to judge."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from data_contracts.risk_tables import HIGH, LOW, MEDIUM
from tasks.contract_management.clause_terms import (
    ClauseResult,
    QuarterFacts,
)
from tasks.contract_management.pi_clauses import (
    availability_utilisation,
    departures,
    outcomes,
    pi_completeness,
    pi_timeliness,
    staffing,
)
from tests.tasks.contract_management.clause_cases import (
    AFTER_Q2,
    DEADLINES,
    ORDER,
    YEAR,
    accepted_run,
    days,
    missing,
    quarter,
    service,
)

# pi_timeliness ---------------------------------------------------------------------------------


def test_timeliness_nothing_due_is_low_and_says_so() -> None:
    result = pi_timeliness(service(missing(YEAR, "Q1")), date(2025, 7, 21))
    assert result == ClauseResult("pi_timeliness", LOW, "nothing to judge: no quarter due yet")


def test_timeliness_received_on_the_deadline_day_is_low() -> None:
    facts = service(*(quarter(*key) for key in ORDER[:4]))
    result = pi_timeliness(facts, AFTER_Q2)
    assert result.level == LOW
    assert result.detail == "the last 4 due quarters (Q3 2024/25 to Q2 2025/26) received by their deadline"


def test_timeliness_received_after_the_deadline_is_medium() -> None:
    late = quarter(YEAR, "Q2", first_received=date(2025, 10, 24))
    result = pi_timeliness(service(quarter(YEAR, "Q1"), late), date(2025, 10, 30))
    assert result == ClauseResult(
        "pi_timeliness", MEDIUM, "Q2 2025/26 received 3 days after its deadline 2025-10-21"
    )


@pytest.mark.parametrize(("past", "level"), [(1, MEDIUM), (29, MEDIUM), (30, HIGH), (45, HIGH)])
def test_timeliness_non_return_is_high_from_30_days_past_its_deadline(past: int, level: str) -> None:
    deadline = DEADLINES[(YEAR, "Q2")]
    result = pi_timeliness(service(quarter(YEAR, "Q1"), missing(YEAR, "Q2")), deadline + days(past))
    assert result.level == level
    assert (
        result.detail
        == f"Q2 2025/26 not received, {past} day{'s' if past > 1 else ''} past its deadline 2025-10-21"
    )


def test_timeliness_looks_at_the_last_four_due_quarters_only() -> None:
    old_non_return = missing("2024/25", "Q3")
    facts = service(old_non_return, *(quarter(*key) for key in ORDER[1:5]))
    assert pi_timeliness(facts, date(2026, 1, 23)).level == LOW
    assert pi_timeliness(facts, date(2026, 1, 22)).level == HIGH  # Q3 2025/26 not due yet: Q3 2024/25 counts


def test_timeliness_a_file_received_after_the_as_at_date_is_not_received() -> None:
    later = quarter(YEAR, "Q2", first_received=date(2025, 12, 1))
    assert pi_timeliness(service(later), date(2025, 11, 20)).level == HIGH


# pi_completeness -------------------------------------------------------------------------------


def test_completeness_nothing_due_is_low() -> None:
    returned_early = quarter(YEAR, "Q1", status="returned", status_since=date(2025, 7, 2))
    result = pi_completeness(service(returned_early), date(2025, 7, 21))
    assert result == ClauseResult("pi_completeness", LOW, "nothing to judge: no quarter due yet")


def test_completeness_no_returned_current_return_is_low() -> None:
    result = pi_completeness(service(*accepted_run("", "", "", "")), AFTER_Q2)
    assert result.level == LOW
    assert (
        result.detail == "no current return of the last 4 due quarters (Q3 2024/25 to Q2 2025/26) is returned"
    )


@pytest.mark.parametrize(("waiting", "level"), [(0, MEDIUM), (27, MEDIUM), (28, HIGH), (40, HIGH)])
def test_completeness_returned_is_high_after_28_days_without_resubmission(waiting: int, level: str) -> None:
    returned_on = date(2025, 10, 22)  # the day after Q2's deadline
    returned = quarter(YEAR, "Q2", status="returned", status_since=returned_on)
    result = pi_completeness(service(quarter(YEAR, "Q1"), returned), returned_on + days(waiting))
    assert result.level == level


def test_completeness_details() -> None:
    returned = quarter(YEAR, "Q2", status="returned", status_since=date(2025, 10, 15))
    medium = pi_completeness(service(returned), date(2025, 10, 25))
    high = pi_completeness(service(returned), date(2025, 11, 12))
    assert medium.detail == "Q2 2025/26 returned on 2025-10-15, waiting 10 days for a resubmission"
    assert high.detail == "Q2 2025/26 returned on 2025-10-15, no resubmission for 28 days"


# staffing (SPI3) ------------------------------------------------------------------------------


def test_staffing_not_applicable_is_low_and_says_so() -> None:
    facts = service(*accepted_run("SPI3", "SPI3"), pis=("KPI1", "SPI2"))
    result = staffing(facts, date(2025, 4, 24))
    assert result.level == LOW
    assert result.detail.startswith("nothing to judge: SPI3 does not apply")


def test_staffing_no_accepted_return_is_low_and_says_so() -> None:
    facts = service(quarter(YEAR, "Q1", status="returned", breaches=frozenset({"SPI3"})))
    result = staffing(facts, date(2025, 7, 22))
    assert result == ClauseResult(
        "staffing", LOW, "nothing to judge: no accepted return in the last four due quarters"
    )


@pytest.mark.parametrize(
    ("breaches", "level"),
    [
        (("SPI3", "SPI3", "SPI3", ""), LOW),  # no breach in the latest
        (("", "", "", "SPI3"), MEDIUM),  # breach in the latest only
        (("", "", "SPI3", "SPI3"), HIGH),  # the latest two consecutive
        (("", "", "SPI2", "SPI3"), MEDIUM),  # another PI's breach does not count
    ],
)
def test_staffing_boundaries(breaches: tuple[str, ...], level: str) -> None:
    assert staffing(service(*accepted_run(*breaches)), AFTER_Q2).level == level


def test_staffing_details() -> None:
    assert staffing(service(*accepted_run("", "", "", "")), AFTER_Q2).detail == (
        "no SPI3 breach in Q2 2025/26, the latest accepted quarter"
    )
    assert staffing(service(*accepted_run("", "", "", "SPI3")), AFTER_Q2).detail == (
        "SPI3 breached in Q2 2025/26, the latest accepted quarter"
    )
    assert staffing(service(*accepted_run("", "", "SPI3", "SPI3")), AFTER_Q2).detail == (
        "SPI3 breached in 2 consecutive quarters (Q1 2025/26 to Q2 2025/26)"
    )


def test_consecutive_counts_back_from_the_most_recent_accepted_quarter() -> None:
    run = accepted_run("", "", "SPI3", "SPI3")
    run[3] = replace(run[3], status="returned")  # Q2 returned: the latest accepted is Q1
    assert staffing(service(*run), AFTER_Q2).level == MEDIUM
    run[2] = replace(run[2], status=None, first_received=None)
    run[1] = replace(run[1], breaches=frozenset({"SPI3"}))
    run[0] = replace(run[0], breaches=frozenset({"SPI3"}))
    assert staffing(service(*run), AFTER_Q2).level == HIGH  # Q4 2024/25 and Q3 2024/25


def test_a_quarter_without_an_accepted_return_ends_the_run() -> None:
    run = accepted_run("", "SPI3", "SPI3", "SPI3")
    run[2] = replace(run[2], status="returned")
    assert staffing(service(*run), AFTER_Q2).level == MEDIUM


# availability_utilisation (SPI1, SPI2) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("breaches", "level"),
    [
        (("SPI1", "SPI2", "SPI1", ""), LOW),
        (("", "", "", "SPI2"), MEDIUM),  # breach in the latest
        (("", "", "SPI1", "SPI2"), MEDIUM),  # two consecutive
        (("", "SPI2", "SPI2", "SPI1;SPI2"), HIGH),  # three consecutive
        (("SPI1", "SPI1", "", "SPI1"), MEDIUM),  # not consecutive
    ],
)
def test_availability_utilisation_boundaries(breaches: tuple[str, ...], level: str) -> None:
    assert availability_utilisation(service(*accepted_run(*breaches)), AFTER_Q2).level == level


def test_availability_utilisation_detail_names_the_pis() -> None:
    result = availability_utilisation(service(*accepted_run("", "SPI2", "SPI2", "SPI1;SPI2")), AFTER_Q2)
    assert result.detail == "SPI2 and SPI1 breached in 3 consecutive quarters (Q4 2024/25 to Q2 2025/26)"


def test_availability_utilisation_counts_only_the_pis_that_apply() -> None:
    facts = service(*accepted_run("", "SPI1", "SPI1", "SPI1"), pis=("KPI1", "SPI2"))
    assert availability_utilisation(facts, AFTER_Q2).level == LOW


# outcomes (KPI1, KPI2) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("breaches", "level"),
    [
        (("KPI1", "KPI1", "KPI1", ""), LOW),
        (("", "", "", "KPI2"), MEDIUM),
        (("", "", "KPI1", "KPI1"), HIGH),
        (("", "", "KPI2", "KPI1"), HIGH),
    ],
)
def test_outcomes_boundaries(breaches: tuple[str, ...], level: str) -> None:
    assert outcomes(service(*accepted_run(*breaches)), AFTER_Q2).level == level


def test_outcomes_not_applicable_is_low() -> None:
    facts = service(*accepted_run("KPI1", "KPI1"), pis=("SPI2",))
    assert outcomes(facts, date(2025, 4, 24)).detail.startswith("nothing to judge")


# departures (KPI2 services) -------------------------------------------------------------------


def with_departures(planned: list[int], unplanned: list[int]) -> list[QuarterFacts]:
    return [
        quarter(*ORDER[i], planned_departures=float(p), unplanned_departures=float(u))
        for i, (p, u) in enumerate(zip(planned, unplanned, strict=True))
    ]


def test_departures_for_a_long_term_service_is_low_and_says_so() -> None:
    facts = service(*with_departures([0], [5]), pis=("KPI1", "SPI2"))
    result = departures(facts, date(2025, 4, 24))
    assert result.level == LOW
    assert result.detail.startswith("nothing to judge: not a short-term accommodation based service")


def test_departures_without_an_accepted_quarter_is_low() -> None:
    result = departures(service(missing(YEAR, "Q1")), date(2025, 8, 1))
    assert result == ClauseResult("departures", LOW, "nothing to judge: no accepted return yet")


def test_departures_planned_equal_to_unplanned_is_low() -> None:
    result = departures(service(*with_departures([1, 2, 0, 1], [0, 1, 2, 1])), AFTER_Q2)
    assert result.level == LOW
    assert result.detail == (
        "planned departures (4) at least equal unplanned (4) over the last 4 accepted quarters "
        "(Q3 2024/25 to Q2 2025/26)"
    )


def test_departures_unplanned_above_planned_is_medium() -> None:
    result = departures(service(*with_departures([1, 2, 0, 1], [0, 1, 2, 2])), AFTER_Q2)
    assert result.level == MEDIUM
    assert result.detail.startswith("unplanned departures (5) exceed planned (4)")


def test_departures_counts_the_last_four_accepted_quarters() -> None:
    run = with_departures([0, 1, 1, 1, 1], [9, 1, 1, 1, 1])  # Q3 2024/25 falls out of the four
    assert departures(service(*run), date(2026, 1, 23)).level == LOW
    run[4] = replace(run[4], status="returned")  # Q3 2025/26 returned: Q3 2024/25 counts again
    assert departures(service(*run), date(2026, 1, 23)).level == MEDIUM
