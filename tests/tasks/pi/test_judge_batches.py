"""Judging PI returns: workbooks with several or no quarters, whole batches, hostile provider text."""

from __future__ import annotations

from data_contracts.reasons import PI_REASON_CODES
from tasks.pi.judge import JudgedReturn, missing_years
from tests.factories.pi_pages import contract_page, page, programme, short_stay_cells, workbook
from tests.tasks.pi.judge_scenarios import CONTRACTS, judge_books, ss

# --- workbooks with several or no quarters --------------------------------------------------


def test_each_completed_quarter_is_judged_on_its_own(judged: dict[str, list[JudgedReturn]]) -> None:
    rows = judged["two_quarters"]
    assert [(r.quarter, r.reasons) for r in rows] == [("Q1", []), ("Q2", ["incomplete"])]


def test_no_quarter_completed_is_one_file_level_row(judged: dict[str, list[JudgedReturn]]) -> None:
    [row] = judged["no_quarter"]
    assert (row.quarter, row.service_id, row.year, row.provider_id) == ("", "SV00123", "2025/26", "PR0042")
    assert row.reasons == ["no_quarter_completed"]
    assert row.messages


def test_no_quarter_completed_without_a_contract_page(judged: dict[str, list[JudgedReturn]]) -> None:
    [row] = judged["no_quarter_no_contract_page"]
    assert (row.quarter, row.service_id, row.year, row.reasons) == ("", "", "", ["no_quarter_completed"])


def test_every_code_but_unreadable_is_exercised(judged: dict[str, list[JudgedReturn]]) -> None:
    seen = {code for rows in judged.values() for row in rows for code in row.reasons}
    assert seen == set(PI_REASON_CODES) - {"unreadable"}


def test_missing_years_lists_well_formed_years_the_programme_lacks() -> None:
    content = workbook(
        page(short_stay_cells(), year="2024/25"),
        page(short_stay_cells(), quarter="Q2", year="2025/26"),
        page(short_stay_cells(), quarter="Q3", year="not a year"),
        page({"units": 1}, quarter="Q4", year="2030/31"),  # not a return
    )
    assert missing_years(content, programme()) == {"2024/25"}


def test_batches_without_a_known_service_need_no_checks() -> None:
    assert judge_books() == []
    unknown = workbook(page(short_stay_cells(), service_id="SV09999"))
    [[row], [file_row]] = judge_books(unknown, workbook())
    assert row.reasons == ["unknown_service"]
    assert file_row.reasons == ["no_quarter_completed"]


def test_a_huge_number_is_invalid_not_a_crash() -> None:
    [[row]] = judge_books(ss(new_service_users="1" * 400))
    assert row.reasons == ["invalid_value"]


# --- hostile provider text -----------------------------------------------------------------


def test_hostile_ids_are_unknown_and_cut_to_their_column() -> None:

    books = [
        workbook(page(short_stay_cells(), service_id="SV" + "9" * 298)),
        workbook(page(short_stay_cells(), service_id="SV00123\x00")),
        workbook(page(short_stay_cells(), service_id="../../../escaped")),
    ]
    long_id, nul_id, traversal = (rows[0] for rows in judge_books(*books))
    for row in (long_id, nul_id, traversal):
        assert row.reasons == ["unknown_service"]
    assert len(long_id.service_id) == 64 and long_id.service_id.endswith("...")
    assert nul_id.service_id == "SV00123\ufffd" and "\x00" not in nul_id.messages[0]
    assert traversal.service_id == "../../../escaped"  # shown as read; never used as a path as it is


def test_a_version_of_5000_digits_is_outdated_not_a_crash() -> None:
    book = workbook(
        page(short_stay_cells(), service_id="SV00500"),
        contract_cells=contract_page(CONTRACTS[5], workbook_version="V" + "1" * 5000),
    )
    [[row]] = judge_books(book)
    assert "outdated_version" in row.reasons
    assert len(row.messages[row.reasons.index("outdated_version")]) < 300


def test_a_comment_longer_than_a_cell_is_invalid() -> None:
    book = workbook(page(short_stay_cells(comments="word " * 10_000)))
    [[row]] = judge_books(book)
    assert row.reasons == ["invalid_value"]
    assert "Comments" in row.messages[0] and "more than the 32767 allowed" in row.messages[0]
    assert len(row.comments) <= 32_767
