"""The stakeholder import: upserted by stakeholder_id, all or nothing, from CSV or XLSX."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.feedback_tables import STAKEHOLDER_COLUMNS, Stakeholder
from foundation.errors import BadInput
from foundation.programme import parse_programme
from tasks.feedback.priority import priority_from_risk
from tasks.feedback.stakeholders import import_stakeholders
from tests.factories.feedback import feedback_session
from tests.factories.imports import csv_file
from tests.factories.programmes import PROGRAMME_TOML

HEADER = ",".join(STAKEHOLDER_COLUMNS)


@pytest.fixture
def session() -> Iterator[Session]:
    yield from feedback_session()


def stakeholders(session: Session) -> list[tuple[str, str, str]]:
    rows = session.execute(select(Stakeholder).order_by(col(Stakeholder.stakeholder_id))).scalars()
    return [(s.stakeholder_id, s.service_id, s.organisation) for s in rows]


def test_import_then_update_by_stakeholder_id(session: Session, tmp_path: Path) -> None:
    first = csv_file(
        tmp_path,
        HEADER,
        "ST0042,PR1,SV1,Jo,Officer,Org A,0123,1 Road,jo@a.org,Referrer",
        "ST0043,PR1,SV2,Al,,,,,,",
    )
    assert import_stakeholders(session, first) == 2
    later = csv_file(tmp_path, HEADER, "ST0042,PR1,SV2,Jo,Officer,Org B,,,,", name="later.csv")
    import_stakeholders(session, later)
    assert stakeholders(session) == [("ST0042", "SV2", "Org B"), ("ST0043", "SV2", "")]


def test_all_or_nothing_naming_file_row_and_column(session: Session, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        HEADER,
        "ST1,PR1,SV1,Jo,,,,,,",
        "ST/2,PR1,SV1,Al,,,,,,",
        "ST3,PR1,SV1,,,,,,,",
        "ST4,PR2,SV1,Bo,,,,,,",
    )
    with pytest.raises(BadInput) as caught:
        import_stakeholders(session, path)
    message = str(caught.value)
    assert "import.csv: row 3, column stakeholder_id" in message
    assert "import.csv: row 4, column name: is blank" in message
    assert stakeholders(session) == []
    path = csv_file(
        tmp_path, HEADER, "ST1,PR1,SV1,Jo,,,,,,", "ST4,PR2,SV1,Bo,,,,,,", "ST1,PR1,SV1,Jo,,,,,,", name="b.csv"
    )
    with pytest.raises(BadInput, match="row 4: repeats the stakeholder_id of row 2"):
        import_stakeholders(session, path)
    path = csv_file(tmp_path, HEADER, "ST1,PR1,SV1,Jo,,,,,,", "ST4,PR2,SV1,Bo,,,,,,", name="c.csv")
    with pytest.raises(BadInput, match="row 3, column service_id: SV1 is not a service of PR2"):
        import_stakeholders(session, path)
    assert stakeholders(session) == []


def test_a_missing_column_is_bad_input(session: Session, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="missing column"):
        import_stakeholders(session, csv_file(tmp_path, "stakeholder_id,name", "ST1,Jo"))


def test_from_a_workbook(session: Session, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(STAKEHOLDER_COLUMNS))
    sheet.append(["ST1", "PR1", "SV1", "Jo", "", "Org", "", "", "", ""])
    workbook.save(tmp_path / "s.xlsx")
    assert import_stakeholders(session, tmp_path / "s.xlsx") == 1


def test_priority_on_a_day_from_the_risk_clauses(session: Session) -> None:
    priority_on = priority_from_risk(session, parse_programme(PROGRAMME_TOML))
    assert priority_on("SV1", date(2025, 6, 1)) in ("RED", "AMBER", "GREEN")
    assert priority_on("SV404", date(2025, 6, 1)) is None
    assert priority_on("SV1", date(2010, 6, 1)) is None  # outside the programme file's years
