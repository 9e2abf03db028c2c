"""Meetings and actions imports: all or nothing, errors naming file, row and column; re-planning."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.risk_tables import ACTION_COLUMNS, MEETING_COLUMNS, Action, Meeting
from foundation.errors import BadInput
from tasks.contract_management.imports import import_actions, import_meetings
from tasks.contract_management.meetings import qaf_timetable
from tests.factories.contracts import add_contract, pr1_session
from tests.factories.imports import csv_file, refusal

MEETINGS = ",".join(MEETING_COLUMNS)
ACTIONS = ",".join(ACTION_COLUMNS)


@pytest.fixture
def session() -> Iterator[Session]:
    for session in pr1_session():
        add_contract(session, "SV3", "PR2", year="2024/25")
        yield session


def held(session: Session) -> list[Meeting]:
    """The meetings recorded, by provider and planned date."""
    statement = select(Meeting).order_by(col(Meeting.provider_id), col(Meeting.planned_date))
    return list(session.execute(statement).scalars())


def meetings(session: Session) -> list[tuple[str, date, date | None, str, date | None]]:
    return [
        (m.provider_id, m.planned_date, m.completed_date, m.officer, m.replanned_from) for m in held(session)
    ]


def test_meetings_import(session: Session, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        MEETINGS,
        "PR1,2025-04-10,2025-04-10,Ann Officer",
        "PR1,10/10/2025,,Ann Officer",
        "PR2,2025-06-01,2025-06-03,",
    )
    assert import_meetings(session, path) == 3
    assert meetings(session) == [
        ("PR1", date(2025, 4, 10), date(2025, 4, 10), "Ann Officer", None),
        ("PR1", date(2025, 10, 10), None, "Ann Officer", None),
        ("PR2", date(2025, 6, 1), date(2025, 6, 3), "", None),
    ]


def test_meetings_import_again_changes_nothing(session: Session, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path, MEETINGS, "PR1,2025-10-10,,A", "PR1,2025-10-24,2025-10-24,A", "PR1,2026-01-15,,A"
    )
    import_meetings(session, path)
    once = meetings(session)
    import_meetings(session, path)
    assert meetings(session) == once
    assert once == [
        ("PR1", date(2025, 10, 24), date(2025, 10, 24), "A", None),
        ("PR1", date(2026, 1, 15), None, "A", None),
    ]


def test_a_later_open_row_replans_the_open_meeting(session: Session, tmp_path: Path) -> None:
    import_meetings(session, csv_file(tmp_path, MEETINGS, "PR1,2025-10-10,,A"))
    import_meetings(session, csv_file(tmp_path, MEETINGS, "PR1,2025-11-05,,B", name="again.csv"))
    assert meetings(session) == [("PR1", date(2025, 11, 5), None, "B", date(2025, 10, 10))]
    import_meetings(session, csv_file(tmp_path, MEETINGS, "PR1,2025-10-20,,B", name="sooner.csv"))
    assert meetings(session) == [("PR1", date(2025, 10, 20), None, "B", date(2025, 10, 10))]


def test_completing_a_replanned_meeting(session: Session, tmp_path: Path) -> None:
    import_meetings(session, csv_file(tmp_path, MEETINGS, "PR1,2025-10-10,,A"))
    import_meetings(session, csv_file(tmp_path, MEETINGS, "PR1,2025-10-24,2025-10-24,A", name="held.csv"))
    assert meetings(session) == [("PR1", date(2025, 10, 24), date(2025, 10, 24), "A", date(2025, 10, 10))]


def test_an_earlier_completed_meeting_is_a_meeting_of_its_own(session: Session, tmp_path: Path) -> None:
    import_meetings(session, csv_file(tmp_path, MEETINGS, "PR1,2025-10-10,,A"))
    import_meetings(session, csv_file(tmp_path, MEETINGS, "PR1,2025-04-10,2025-04-11,A", name="past.csv"))
    assert [m[1] for m in meetings(session)] == [date(2025, 4, 10), date(2025, 10, 10)]


def test_a_blank_completed_date_never_clears_a_recorded_completion(session: Session, tmp_path: Path) -> None:
    import_meetings(session, csv_file(tmp_path, MEETINGS, "PR1,2025-10-10,,A"))
    import_meetings(session, csv_file(tmp_path, MEETINGS, "PR1,2025-10-10,2025-10-10,", name="held.csv"))
    import_meetings(session, csv_file(tmp_path, MEETINGS, "PR1,2025-10-10,,", name="old.csv"))
    assert meetings(session) == [("PR1", date(2025, 10, 10), date(2025, 10, 10), "A", None)]


def test_in_one_file_the_latest_open_row_is_the_next_meeting(session: Session, tmp_path: Path) -> None:
    path = csv_file(tmp_path, MEETINGS, "PR1,2025-11-05,,B", "PR1,2025-10-10,,A")
    import_meetings(session, path)
    assert meetings(session) == [("PR1", date(2025, 11, 5), None, "B", None)]


def test_meetings_import_is_all_or_nothing_and_names_file_row_and_column(
    session: Session, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path,
        MEETINGS,
        "PR1,2025-10-10,,A",
        "PR1,2025-13-01,,A",
        "PR1,2025-12-01,soon,A",
        ",2025-12-01,,A",
    )
    message = refusal(import_meetings, session, path)
    assert message.startswith("nothing imported:")
    assert f"{path}: row 3, column planned_date: '2025-13-01' is not a real date" in message
    assert f"{path}: row 4, column completed_date: 'soon' is not a date" in message
    assert f"{path}: row 5, column provider_id: is blank" in message
    assert meetings(session) == []


def test_meetings_of_an_unknown_provider_are_refused(session: Session, tmp_path: Path) -> None:
    path = csv_file(tmp_path, MEETINGS, "PR1,2025-10-10,,A", "PR9,2025-10-10,,A")
    with pytest.raises(
        BadInput, match=r"row 3, column provider_id: PR9 is not a provider in the contract records"
    ):
        import_meetings(session, path)
    assert meetings(session) == []


def test_a_repeated_meeting_is_refused(session: Session, tmp_path: Path) -> None:
    path = csv_file(tmp_path, MEETINGS, "PR1,2025-10-10,,A", "PR1,10/10/2025,2025-10-10,A")
    with pytest.raises(BadInput, match=r"row 3: repeats the provider and planned date of row 2"):
        import_meetings(session, path)


def test_a_missing_column_is_refused(session: Session, tmp_path: Path) -> None:
    path = csv_file(tmp_path, "provider_id,planned_date,officer", "PR1,2025-10-10,A")
    with pytest.raises(BadInput, match=r"row 1: missing column\(s\) completed_date"):
        import_meetings(session, path)


def test_meetings_from_a_workbook(session: Session, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(MEETING_COLUMNS))
    sheet.append(["PR1", date(2025, 10, 10), None, "A"])
    path = tmp_path / "meetings.xlsx"
    workbook.save(path)
    assert import_meetings(session, path) == 1
    assert meetings(session) == [("PR1", date(2025, 10, 10), None, "A", None)]


# The day a re-plan was made (an optional column: ``qaf.md``'s "Which meeting" needs it) ----------

REPLANNED = MEETINGS + ",replanned_on"


def replans(session: Session) -> list[tuple[date, date | None, date | None]]:
    return [(m.planned_date, m.replanned_from, m.replanned_on) for m in held(session)]


def test_a_replan_keeps_the_day_it_was_made(session: Session, tmp_path: Path) -> None:
    import_meetings(session, csv_file(tmp_path, MEETINGS, "PR1,2025-10-01,,A"))
    moved = csv_file(tmp_path, REPLANNED, "PR1,2025-12-01,,A,2025-09-01", name="moved.csv")
    import_meetings(session, moved)
    assert replans(session) == [(date(2025, 12, 1), date(2025, 10, 1), date(2025, 9, 1))]
    import_meetings(session, moved)  # the same file again changes nothing
    assert replans(session) == [(date(2025, 12, 1), date(2025, 10, 1), date(2025, 9, 1))]


def test_a_blank_day_never_clears_the_day_recorded(session: Session, tmp_path: Path) -> None:
    import_meetings(session, csv_file(tmp_path, MEETINGS, "PR1,2025-10-01,,A"))
    import_meetings(session, csv_file(tmp_path, REPLANNED, "PR1,2025-12-01,,A,2025-09-01", name="a.csv"))
    import_meetings(session, csv_file(tmp_path, REPLANNED, "PR1,2026-01-15,,A,", name="b.csv"))
    # re-planned again on a day not given: at the earliest the day of the re-plan before it
    assert replans(session) == [(date(2026, 1, 15), date(2025, 10, 1), date(2025, 9, 1))]
    import_meetings(session, csv_file(tmp_path, REPLANNED, "PR1,2026-01-15,,A,2025-11-02", name="c.csv"))
    assert replans(session) == [(date(2026, 1, 15), date(2025, 10, 1), date(2025, 11, 2))]


def test_a_day_on_a_meeting_never_replanned_is_not_kept(session: Session, tmp_path: Path) -> None:
    import_meetings(session, csv_file(tmp_path, REPLANNED, "PR1,2025-10-01,,A,2025-09-01"))
    assert replans(session) == [(date(2025, 10, 1), None, None)]


def test_a_bad_replan_day_is_refused_naming_row_and_column(session: Session, tmp_path: Path) -> None:
    path = csv_file(tmp_path, REPLANNED, "PR1,2025-10-01,,A,", "PR2,2025-11-01,,A,soon")
    message = refusal(import_meetings, session, path)
    assert f"{path}: row 3, column replanned_on: 'soon' is not a date" in message
    assert replans(session) == []


@pytest.mark.parametrize(
    ("made_on", "due"),
    [
        (date(2025, 8, 1), date(2025, 10, 20)),  # before the first due date: the QAF's dates move
        (date(2025, 9, 1), date(2025, 8, 20)),  # after it: the QAF stays due on 20 August, outstanding
    ],
)
def test_the_qaf_timetable_reads_the_day_imported(
    session: Session, tmp_path: Path, made_on: date, due: date
) -> None:
    import_meetings(session, csv_file(tmp_path, MEETINGS, "PR1,2025-10-01,,A"))  # QAF due 2025-08-20
    moved = f"PR1,2025-12-01,,A,{made_on.isoformat()}"
    import_meetings(session, csv_file(tmp_path, REPLANNED, moved, name="moved.csv"))
    assert qaf_timetable(held(session), date(2025, 10, 15))["PR1"].due == due


# Actions ---------------------------------------------------------------------------------------


def actions(session: Session) -> list[tuple[str, str, str, str, date, date | None, str]]:
    rows = session.execute(
        select(Action).order_by(col(Action.provider_id), col(Action.service_id), col(Action.description))
    )
    return [
        (a.provider_id, a.service_id, a.description, a.owner, a.target_date, a.closed_on, a.validated_by)
        for a in rows.scalars()
    ]


def test_actions_import_and_update_by_provider_service_and_description(
    session: Session, tmp_path: Path
) -> None:
    first = csv_file(
        tmp_path,
        ACTIONS,
        "PR1,SV1,Update the fire risk assessment,J Smith,2025-09-30,",
        "PR1,,Staff training plan,K Jones,2025-12-31,",
    )
    assert import_actions(session, first) == 2
    closed = csv_file(
        tmp_path,
        ACTIONS + ",validated_by",
        "PR1,SV1,Update the fire risk assessment,J Smith,2025-09-30,2025-10-06,Ann Officer",
        name="closed.csv",
    )
    import_actions(session, closed)
    assert actions(session) == [
        ("PR1", "", "Staff training plan", "K Jones", date(2025, 12, 31), None, ""),
        (
            "PR1",
            "SV1",
            "Update the fire risk assessment",
            "J Smith",
            date(2025, 9, 30),
            date(2025, 10, 6),
            "Ann Officer",
        ),
    ]


def test_actions_import_is_all_or_nothing(session: Session, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        ACTIONS,
        "PR1,SV1,Fine,J Smith,2025-09-30,",
        "PR1,SV3,Not theirs,J Smith,2025-09-30,",
        "PR1,SV1,,J Smith,2025-09-30,",
        "PR1,SV1,No owner,,someday,",
        "PR1,SV1,Fine,K Jones,2025-10-30,",
    )
    message = refusal(import_actions, session, path)
    assert f"{path}: row 4, column description: is blank" in message
    assert f"{path}: row 5, column owner: is blank" in message
    assert f"{path}: row 5, column target_date: 'someday' is not a date" in message
    assert actions(session) == []
    fixed = csv_file(
        tmp_path,
        ACTIONS,
        "PR1,SV1,Fine,J Smith,2025-09-30,",
        "PR1,SV3,Not theirs,J,2025-09-30,",
        name="b.csv",
    )
    with pytest.raises(
        BadInput, match=r"row 3, column service_id: SV3 is not a service of PR1 in the contract records"
    ):
        import_actions(session, fixed)
    repeated = csv_file(
        tmp_path, ACTIONS, "PR1,SV1,Fine,J,2025-09-30,", "PR1,SV1,Fine,K,2025-10-30,", name="c.csv"
    )
    with pytest.raises(BadInput, match=r"row 3: repeats the provider, service and description of row 2"):
        import_actions(session, repeated)
    assert actions(session) == []
