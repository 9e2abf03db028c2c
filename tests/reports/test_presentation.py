"""Presentation rules: the headline, coloured RAG priorities and levels with their words and a key."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from reports.html import render_html
from reports.model import Column, Report, Section, Table
from reports.xlsx import xlsx_bytes


def _report(headline: tuple[str, ...] = ("Two services are RED.",)) -> Report:
    table = Table(
        sheet="Risks",
        title="Risks",
        columns=(
            Column("service_id", "Service ID"),
            Column("priority", "Priority", "rag"),
            Column("level", "Level", "level"),
        ),
        rows=(
            {"service_id": "SV1", "priority": "RED", "level": "High"},
            {"service_id": "SV2", "priority": "GREEN", "level": "Low"},
        ),
    )
    return Report(
        kind="test",
        title="Test report",
        period="2025-26-Q2",
        period_label="Q2 2025/26",
        as_at=date(2025, 11, 7),
        sections=(Section("One", tables=(table,)),),
        headline=headline,
    )


def test_headline_is_at_the_top_of_the_page_before_the_tables() -> None:
    page = render_html(_report())
    assert "What needs attention" in page
    assert page.index("Two services are RED.") < page.index("<table")


def test_no_headline_no_section() -> None:
    report = Report("test", "T", "2025-10", "October 2025", date(2025, 10, 31), sections=())
    assert "What needs attention" not in render_html(report)
    assert load_workbook(io.BytesIO(xlsx_bytes(report))).sheetnames == ["Contents"]


def test_coloured_cells_keep_their_word_and_the_page_has_a_key() -> None:
    page = render_html(_report())
    assert ">RED</td>" in page and ">Low</td>" in page
    assert "background:#C00000" in page
    assert "Priority (RAG):" in page and "Clause level:" in page


def test_workbook_has_a_first_summary_sheet_with_headline_key_and_coloured_cells() -> None:
    workbook = load_workbook(io.BytesIO(xlsx_bytes(_report())))
    assert workbook.sheetnames[:2] == ["Summary", "Contents"]
    summary = workbook["Summary"]
    texts = [c.value for row in summary.iter_rows() for c in row if c.value]
    assert "Two services are RED." in texts
    assert "RED" in texts and "High" in texts  # the key
    risks = workbook["Risks"]
    assert risks["B2"].value == "RED"
    assert risks["B2"].fill.fgColor.rgb.endswith("C00000")
    assert risks["C3"].value == "Low"
