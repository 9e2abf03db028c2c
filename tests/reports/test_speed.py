"""Rendering in forked workers gives the same bytes as in one process; workbooks print."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from reports.publish import render_all, report_workers
from reports.run import quarterly_reports
from tests.reports import scenario
from tests.reports.factory import programme, sqlite_session


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def test_forked_workers_render_the_same_bytes_in_the_same_order(session: Session) -> None:
    scenario.build(session)
    built = quarterly_reports(session, programme(), "2025/26", "Q2", date(2025, 10, 28))
    reports = [*built.reports, *built.packs]
    alone = render_all(reports, workers=1)
    forked = render_all(reports, workers=2)
    assert [[(f.name, f.sha256) for f in files] for files in forked] == [
        [(f.name, f.sha256) for f in files] for files in alone
    ]


def test_report_workers_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPMON_REPORT_WORKERS", "1")
    assert report_workers() == 1
    monkeypatch.setenv("SPMON_REPORT_WORKERS", "two")
    with pytest.raises(ValueError, match="SPMON_REPORT_WORKERS"):
        report_workers()
    monkeypatch.delenv("SPMON_REPORT_WORKERS")
    assert 1 <= report_workers() <= 4


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_repeated(session: Session) -> None:
    scenario.build(session)
    built = quarterly_reports(session, programme(), "2025/26", "Q2", date(2025, 10, 28))
    for report in [*built.reports, built.packs[0]]:
        files = render_all([report], workers=1)[0]
        workbook = load_workbook(io.BytesIO(next(f.content for f in files if f.name.endswith(".xlsx"))))
        for sheet in workbook.worksheets:
            assert sheet.page_setup.orientation == "landscape", sheet.title
            assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
            if sheet.title not in ("Summary", "Headline"):
                assert sheet.print_title_rows == "$1:$1", sheet.title
