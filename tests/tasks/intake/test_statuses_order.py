"""A return received before the current one, but taken in a later run, does not replace it."""

from datetime import UTC, datetime

from tasks.intake.statuses import Current, Incoming, plan_statuses

KEY = ("SV00101", "2025/26", "Q1")
EARLY = (datetime(2025, 7, 1, 9, tzinfo=UTC), "a.xlsx")
LATE = (datetime(2025, 7, 5, 9, tzinfo=UTC), "b.xlsx")


def test_an_older_file_taken_late_is_superseded_at_once() -> None:
    stored = {KEY: Current({"units": 10}, return_id=7, received=LATE)}
    plan = plan_statuses([Incoming(KEY, {"units": 11}, failed=False, received=EARLY)], stored)
    assert plan.statuses == ["superseded"]
    assert plan.superseded_ids == set()
    assert plan.currents == {}


def test_an_older_identical_file_is_a_duplicate() -> None:
    stored = {KEY: Current({"units": 10}, return_id=7, received=LATE)}
    plan = plan_statuses([Incoming(KEY, {"units": 10}, failed=False, received=EARLY)], stored)
    assert plan.statuses == ["duplicate"]


def test_a_newer_file_supersedes_the_stored_current_one() -> None:
    stored = {KEY: Current({"units": 10}, return_id=7, received=EARLY)}
    plan = plan_statuses([Incoming(KEY, {"units": 11}, failed=True, received=LATE)], stored)
    assert plan.statuses == ["returned"]
    assert plan.superseded_ids == {7}
    assert plan.currents == {KEY: 0}
