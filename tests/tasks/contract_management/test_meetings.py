"""Meeting compliance, overdue meetings, the schedule by priority and the QAF timetable."""

from __future__ import annotations

from datetime import date

import pytest

from data_contracts.risk_tables import Meeting
from foundation.programme import MeetingIntervals
from tasks.contract_management.meetings import (
    Compliance,
    ServicePriority,
    meeting_schedule,
    monthly_compliance,
    next_meeting_due,
    next_planned,
    overdue_meetings,
    parse_month,
    qaf_dates,
    qaf_timetable,
    raised_on,
    year_to_date_compliance,
)
from tests.factories.meetings import meeting_record

OCTOBER = date(2025, 10, 1)


def meeting(planned: date, completed: date | None = None, provider_id: str = "PR1") -> Meeting:
    return meeting_record(provider_id, planned, completed)


def test_monthly_compliance_counts_meetings_planned_in_the_month_completed_by_its_end() -> None:
    meetings = [
        meeting(date(2025, 10, 1), date(2025, 10, 1)),
        meeting(date(2025, 10, 15), date(2025, 9, 30)),  # held early: completed
        meeting(date(2025, 10, 31), date(2025, 11, 1)),  # completed after the month: not completed
        meeting(date(2025, 10, 20)),  # not completed
        meeting(date(2025, 11, 1), date(2025, 10, 20)),  # planned next month: not counted
        meeting(date(2025, 9, 30), date(2025, 10, 2)),  # planned last month: not counted
    ]
    assert monthly_compliance(meetings, OCTOBER) == Compliance(4, 2, 50.0)
    assert monthly_compliance(meetings, date(2025, 10, 17)) == Compliance(4, 2, 50.0)


def test_no_compliance_value_when_nothing_was_planned() -> None:
    assert monthly_compliance([meeting(date(2025, 11, 3))], OCTOBER) == Compliance(0, 0, None)


def test_year_to_date_compliance_runs_from_april() -> None:
    meetings = [
        meeting(date(2025, 3, 31), date(2025, 3, 31)),  # the year before
        meeting(date(2025, 4, 1), date(2025, 4, 1)),
        meeting(date(2025, 7, 10)),
        meeting(date(2025, 10, 5), date(2025, 10, 6)),
    ]
    assert year_to_date_compliance(meetings, OCTOBER) == (3, 2, pytest.approx(200 / 3))
    assert year_to_date_compliance(meetings, date(2026, 2, 1)) == (3, 2, pytest.approx(200 / 3))


def test_parse_month() -> None:
    assert parse_month("2025-10") == OCTOBER
    with pytest.raises(ValueError, match="not a month"):
        parse_month("October")


def test_overdue_meetings_are_planned_before_the_date_and_not_completed_by_then() -> None:
    late = meeting(date(2025, 10, 1), date(2025, 10, 20))
    open_ = meeting(date(2025, 9, 1))
    today = meeting(date(2025, 10, 10))
    done = meeting(date(2025, 9, 15), date(2025, 9, 15))
    assert overdue_meetings([late, open_, today, done], date(2025, 10, 10)) == [open_, late]
    assert overdue_meetings([late, open_, today, done], date(2025, 10, 20)) == [open_, today]


def test_next_planned_meeting() -> None:
    held_early = meeting(date(2025, 11, 1), date(2025, 9, 20))
    upcoming = meeting(date(2025, 12, 1))
    overdue = meeting(date(2025, 9, 1))
    assert next_planned([held_early, upcoming, overdue], date(2025, 10, 1)) is upcoming
    assert next_planned([held_early, upcoming, overdue], date(2025, 9, 1)) is overdue


# The schedule by priority ----------------------------------------------------------------------

LAST_MET = date(2025, 4, 10)


def test_next_meeting_is_due_at_the_priority_interval_after_the_last_one() -> None:
    assert next_meeting_due(LAST_MET, 12, date(2025, 6, 1)) == date(2026, 4, 10)
    assert next_meeting_due(LAST_MET, 6, date(2025, 6, 1)) == date(2025, 10, 10)


def test_a_rise_in_priority_schedules_at_the_new_interval() -> None:
    assert next_meeting_due(LAST_MET, 3, date(2025, 6, 1), raised_on=date(2025, 6, 1)) == date(2025, 7, 10)


def test_a_rise_in_priority_after_the_new_interval_has_passed_schedules_at_once() -> None:
    risen = date(2025, 8, 20)
    assert next_meeting_due(LAST_MET, 3, date(2025, 9, 1), raised_on=risen) == risen


def test_a_provider_never_met_is_due_at_once() -> None:
    assert next_meeting_due(None, 12, date(2025, 9, 1)) == date(2025, 9, 1)
    assert next_meeting_due(None, 3, date(2025, 9, 1), raised_on=date(2025, 8, 2)) == date(2025, 8, 2)


def test_raised_on_from_recorded_priority_changes() -> None:
    rise = [(date(2025, 4, 1), None, "GREEN"), (date(2025, 8, 20), "GREEN", "RED")]
    assert raised_on(rise, "RED", date(2025, 9, 1)) == date(2025, 8, 20)
    assert raised_on(rise, "GREEN", date(2025, 8, 1)) is None  # the rise was not yet seen then
    fall = [(date(2025, 4, 1), None, "RED"), (date(2025, 8, 20), "RED", "AMBER")]
    assert raised_on(fall, "AMBER", date(2025, 9, 1)) is None
    assert raised_on(fall, "RED", date(2025, 9, 1)) == date(2025, 9, 1)  # a rise not yet recorded
    assert raised_on([(date(2025, 4, 1), None, "RED")], "RED", date(2025, 9, 1)) is None
    assert raised_on([], "RED", date(2025, 9, 1)) is None


def test_meeting_schedule_uses_the_programme_intervals_and_the_provider_meetings() -> None:
    meetings = [
        meeting(LAST_MET, LAST_MET),
        meeting(date(2025, 1, 10), date(2025, 1, 10)),
        meeting(date(2025, 12, 1)),
    ]
    services = [
        ServicePriority("SV2", "PR1", "RED", raised_on=date(2025, 8, 20)),
        ServicePriority("SV1", "PR1", "GREEN"),
        ServicePriority("SV3", "PR2", "AMBER"),
    ]
    schedule = meeting_schedule(
        services, meetings, MeetingIntervals(RED=2, AMBER=6, GREEN=12), date(2025, 9, 1)
    )
    assert [(s.service_id, s.interval_months, s.last_completed, s.due) for s in schedule] == [
        ("SV1", 12, LAST_MET, date(2026, 4, 10)),
        ("SV2", 2, LAST_MET, date(2025, 8, 20)),
        ("SV3", 6, None, date(2025, 9, 1)),
    ]
    assert [s.is_overdue(date(2025, 9, 1)) for s in schedule] == [False, True, False]


# The QAF timetable -----------------------------------------------------------------------------


def test_qaf_is_issued_three_months_and_due_six_weeks_before_the_meeting() -> None:
    assert qaf_dates(date(2026, 4, 10)) == (date(2026, 1, 10), date(2026, 2, 27))


def replanned(first: date, planned: date, on: date | None, completed: date | None = None) -> Meeting:
    """A PR1 meeting first planned for ``first``, re-planned to ``planned`` on ``on``."""
    return meeting_record("PR1", planned, completed, first=first, replanned_on=on)


def test_a_years_qaf_prepares_the_first_meeting_planned_from_1_july_to_30_june() -> None:
    meetings = [
        meeting(date(2025, 6, 10), date(2025, 6, 10)),  # before 1 July: not 2025/26's
        meeting(date(2025, 10, 1)),  # the first from 1 July 2025: due 2025-08-20
        meeting(date(2026, 4, 10)),  # a later one
        meeting(date(2026, 7, 10)),  # 2026/27's
        meeting(date(2026, 3, 1), provider_id="PR2"),
        meeting(date(2025, 6, 1), provider_id="PR3"),  # PR3 has none in the window
    ]
    timetable = qaf_timetable(meetings, date(2025, 5, 2))
    assert sorted(timetable) == ["PR1", "PR2"]  # PR3: no QAF due this year
    entry = timetable["PR1"]
    assert (entry.year, entry.meeting_date, entry.issued, entry.due) == (
        "2025/26",
        date(2025, 10, 1),
        date(2025, 7, 1),
        date(2025, 8, 20),
    )
    assert qaf_timetable(meetings, date(2026, 5, 1))["PR1"].meeting_date == date(2026, 7, 10)  # 2026/27


def test_holding_the_meeting_never_moves_the_due_date() -> None:
    held = [meeting(date(2025, 10, 1), date(2025, 10, 1)), meeting(date(2026, 4, 10))]
    for as_at in (date(2025, 9, 1), date(2025, 10, 2), date(2026, 3, 30)):
        assert qaf_timetable(held, as_at)["PR1"].due == date(2025, 8, 20)


def test_planning_a_later_meeting_never_moves_the_due_date() -> None:
    one = [meeting(date(2025, 10, 1))]
    two = [*one, meeting(date(2026, 1, 15)), meeting(date(2026, 5, 1))]
    assert (
        qaf_timetable(one, date(2025, 12, 1))["PR1"].due == qaf_timetable(two, date(2025, 12, 1))["PR1"].due
    )
    assert qaf_timetable(two, date(2025, 12, 1))["PR1"].due == date(2025, 8, 20)


def test_re_planning_before_the_due_date_moves_the_issue_and_due_dates() -> None:
    moved = [replanned(date(2025, 10, 1), date(2025, 11, 12), on=date(2025, 8, 1))]  # first due 2025-08-20
    before = qaf_timetable(moved, date(2025, 7, 31))["PR1"]  # the re-plan was not yet made
    assert (before.meeting_date, before.due) == (date(2025, 10, 1), date(2025, 8, 20))
    after = qaf_timetable(moved, date(2025, 8, 1))["PR1"]
    assert (after.meeting_date, after.issued, after.due) == (
        date(2025, 11, 12),
        date(2025, 8, 12),
        date(2025, 10, 1),
    )


def test_re_planning_after_the_due_date_leaves_the_qaf_outstanding_from_its_due_date() -> None:
    moved = [replanned(date(2025, 10, 1), date(2025, 11, 12), on=date(2025, 9, 1))]  # due 2025-08-20 passed
    for as_at in (date(2025, 8, 25), date(2025, 9, 1), date(2025, 12, 1)):
        assert qaf_timetable(moved, as_at)["PR1"].due == date(2025, 8, 20)
    out_of_year = [replanned(date(2025, 10, 1), date(2026, 9, 1), on=date(2025, 9, 1))]
    assert qaf_timetable(out_of_year, date(2025, 12, 1))["PR1"].due == date(2025, 8, 20)  # still this year's


def test_re_planning_out_of_the_window_before_the_due_date_leaves_no_qaf_due() -> None:
    moved = [replanned(date(2025, 10, 1), date(2026, 7, 20), on=date(2025, 8, 1))]
    assert "PR1" in qaf_timetable(moved, date(2025, 7, 31))
    assert "PR1" not in qaf_timetable(moved, date(2025, 8, 2))


def test_a_re_plan_with_no_recorded_day_counts_from_its_latest_date() -> None:
    moved = [replanned(date(2025, 10, 1), date(2025, 11, 12), on=None)]
    assert qaf_timetable(moved, date(2025, 9, 1))["PR1"].due == date(2025, 10, 1)
