"""Judging PI returns: clean returns, and the service, year code, version and contract page they name."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories.pi_pages import CODE

# --- clean returns --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "pis"),
    [
        (
            "clean_short_stay",
            {"KPI2": 75.0, "SPI1": 100 * 900 / 910, "SPI2": 95.0, "SPI3": 100.0, "SPI4": 50.0},
        ),
        ("clean_floating", {"KPI1": 95.0, "SPI2": 90.0, "SPI3": 100.0}),
        ("clean_long_stay", {"KPI1": 100.0, "SPI1": 100 * 900 / 910, "SPI2": 95.0, "SPI3": 100.0}),
        ("clean_alarm", {"SPI2": 100.0}),
        (
            "clean_with_contract_page",
            {"KPI2": 75.0, "SPI1": 100 * 900 / 910, "SPI2": 95.0, "SPI3": 100.0, "SPI4": 50.0},
        ),
    ],
)
def test_clean_returns_pass_with_their_pis(one: Any, name: str, pis: dict[str, float]) -> None:
    row = one(name)
    assert (row.reasons, row.messages, row.breaches) == ([], [], [])
    assert {pi: value for pi, value in row.pis.items() if value is not None} == pytest.approx(pis)


def test_identity_and_provider_come_from_page_and_record(one: Any) -> None:
    row = one("clean_short_stay")
    assert (row.quarter, row.service_id, row.year, row.provider_id) == ("Q1", "SV00123", "2025/26", "PR0042")


def test_values_are_kept_typed_for_duplicates(one: Any) -> None:
    row = one("numbers_as_text")
    assert row.reasons == []
    assert row.values["units"] == 10.0
    assert row.values["unit_days_occupied"] == 855.0
    assert row.values["date_completed"] == "2025-07-14"
    assert row.values == one("clean_short_stay").values


def test_unreadable_values_are_kept_as_typed(one: Any) -> None:
    assert one("text_units").values["units"] == {"unreadable": "ten"}


# --- unknown_service ------------------------------------------------------------------------


def test_unknown_service(one: Any) -> None:
    row = one("unknown")
    assert row.reasons == ["unknown_service"]
    assert row.messages == ["Service ID 'SV09999' is not in the contract records for 2025/26."]
    assert row.service_id == "SV09999"
    assert all(value is None for value in row.pis.values())
    assert row.breaches == []


def test_unknown_service_may_add_only_year_code_mismatch(one: Any) -> None:
    assert one("unknown_wrong_code").reasons == ["unknown_service", "year_code_mismatch"]
    row = one("unknown_everything_wrong")
    assert row.reasons == ["unknown_service"]
    assert all(value is None for value in row.pis.values())


def test_service_known_only_in_another_year_is_unknown(one: Any) -> None:
    assert one("unknown_in_that_year").reasons == ["unknown_service"]


# --- year_code_mismatch ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("code_wrong", "Q1 page: 'TST-2425-ABC'"),
        ("code_blank", "Q1 page: blank"),
        ("code_case", f"Q1 page: '{CODE.lower()}'"),
        ("code_wrong_contract_page", "Contract page: 'TST-2425-ABC'"),
        ("code_blank_contract_page", "Contract page: blank"),
    ],
)
def test_year_code_mismatch(one: Any, name: str, where: str) -> None:
    row = one(name)
    assert row.reasons == ["year_code_mismatch"]
    assert where in row.messages[0]
    assert "2025/26" in row.messages[0]


def test_year_code_mismatch_still_computes_the_pis(one: Any) -> None:
    assert one("code_wrong").pis == one("clean_short_stay").pis


def test_year_code_is_compared_after_trimming(one: Any) -> None:
    assert one("code_spaces").reasons == []


# --- outdated_version -----------------------------------------------------------------------


def test_outdated_version(one: Any) -> None:
    row = one("outdated")
    assert row.reasons == ["outdated_version"]
    assert "'V1'" in row.messages[0] and "V2" in row.messages[0]


def test_blank_version_is_outdated(one: Any) -> None:
    assert one("outdated_blank_version").reasons == ["outdated_version"]


@pytest.mark.parametrize("name", ["version_same", "version_newer", "version_ten_after_nine"])
def test_same_or_newer_version_is_not_outdated(one: Any, name: str) -> None:
    assert one(name).reasons == []


def test_version_is_not_judged_without_a_contract_page(one: Any) -> None:
    assert one("outdated_no_contract_page").reasons == []


# --- contract_altered -----------------------------------------------------------------------


def test_contract_altered_names_the_cell_and_both_figures(one: Any) -> None:
    row = one("altered_units")
    assert row.reasons == ["contract_altered"]
    assert row.messages == [
        "The contract page was changed: contracted_units is '12' but the contract record says '10'."
    ]


def test_contract_altered_names_every_difference(one: Any) -> None:
    row = one("altered_hours_and_type")
    assert row.reasons == ["contract_altered"]
    assert "service_type" in row.messages[0] and "frontline_hours_per_week" in row.messages[0]


@pytest.mark.parametrize("name", ["altered_case_only", "altered_not_compared"])
def test_contract_page_differences_that_do_not_count(one: Any, name: str) -> None:
    assert one(name).reasons == []
