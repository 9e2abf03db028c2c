"""Statuses, resubmissions and duplicates (pi-rules.md): plan_statuses over a batch."""

from __future__ import annotations

from typing import Any

from tasks.intake.statuses import Current, Incoming, plan_statuses

Q1 = ("SV00123", "2025/26", "Q1")
Q2 = ("SV00123", "2025/26", "Q2")
OTHER = ("SV00200", "2025/26", "Q1")
A: dict[str, Any] = {"units": 10.0, "completed_by": "Alex"}
B: dict[str, Any] = {"units": 12.0, "completed_by": "Alex"}
C: dict[str, Any] = {"units": 12.0, "completed_by": "Alex", "comments": "Two more rooms"}


def incoming(key: Any, values: dict[str, Any], failed: bool = False, quarantined: bool = False) -> Incoming:
    return Incoming(key=key, values=dict(values), failed=failed, quarantined=quarantined)


def test_first_return_is_accepted_or_returned() -> None:
    plan = plan_statuses([incoming(Q1, A), incoming(Q2, B, failed=True)], {})
    assert plan.statuses == ["accepted", "returned"]
    assert plan.currents == {Q1: 0, Q2: 1}
    assert plan.superseded_ids == set()


def test_resubmission_supersedes_the_stored_current() -> None:
    plan = plan_statuses([incoming(Q1, B)], {Q1: Current(A, return_id=7)})
    assert plan.statuses == ["accepted"]
    assert plan.superseded_ids == {7}
    assert plan.currents == {Q1: 0}


def test_resubmission_supersedes_whatever_the_later_status() -> None:
    plan = plan_statuses([incoming(Q1, B, failed=True)], {Q1: Current(A, return_id=7)})
    assert plan.statuses == ["returned"]
    assert plan.superseded_ids == {7}
    assert plan.currents == {Q1: 0}


def test_identical_values_are_a_duplicate_and_the_current_is_unchanged() -> None:
    plan = plan_statuses([incoming(Q1, dict(A))], {Q1: Current(A, return_id=7)})
    assert plan.statuses == ["duplicate"]
    assert plan.superseded_ids == set()
    assert plan.currents == {}


def test_duplicate_of_a_returned_current() -> None:
    """The stored current was returned; sending the same values again changes nothing."""
    plan = plan_statuses([incoming(Q1, A, failed=True)], {Q1: Current(A, return_id=3)})
    assert plan.statuses == ["duplicate"]
    assert plan.superseded_ids == set()


def test_whole_workbook_sent_again_with_q1_unchanged() -> None:
    stored = {Q1: Current(A, return_id=1)}
    plan = plan_statuses([incoming(Q1, A), incoming(Q2, B)], stored)
    assert plan.statuses == ["duplicate", "accepted"]
    assert plan.currents == {Q2: 1}


def test_chain_within_one_batch() -> None:
    batch = [
        incoming(Q1, A),  # 0: first, then superseded by 1
        incoming(Q1, B, failed=True),  # 1: current, then superseded by 3
        incoming(Q1, B),  # 2: identical to 1: duplicate
        incoming(Q1, C),  # 3: the current at the end
    ]
    plan = plan_statuses(batch, {})
    assert plan.statuses == ["superseded", "superseded", "duplicate", "accepted"]
    assert plan.currents == {Q1: 3}


def test_values_of_an_older_return_are_not_a_duplicate_of_the_current() -> None:
    plan = plan_statuses([incoming(Q1, B), incoming(Q1, A)], {Q1: Current(A, return_id=5)})
    assert plan.statuses == ["superseded", "accepted"]
    assert plan.superseded_ids == {5}
    assert plan.currents == {Q1: 1}


def test_keys_are_independent() -> None:
    plan = plan_statuses(
        [incoming(Q1, A), incoming(OTHER, A), incoming(Q2, A)], {OTHER: Current(A, return_id=2)}
    )
    assert plan.statuses == ["accepted", "duplicate", "accepted"]
    assert plan.currents == {Q1: 0, Q2: 2}


def test_file_level_rows_are_never_current() -> None:
    plan = plan_statuses([incoming(None, {}, failed=True), incoming(None, {}, failed=True)], {})
    assert plan.statuses == ["returned", "returned"]
    assert plan.currents == {}


def test_quarantined_files_are_never_current_nor_duplicates() -> None:
    plan = plan_statuses(
        [incoming(None, {}, quarantined=True), incoming(Q1, A, quarantined=True), incoming(Q1, A)],
        {},
    )
    assert plan.statuses == ["quarantined", "quarantined", "accepted"]
    assert plan.currents == {Q1: 2}


def test_empty_batch() -> None:
    plan = plan_statuses([], {Q1: Current(A, return_id=1)})
    assert (plan.statuses, plan.superseded_ids, plan.currents) == ([], set(), {})
