"""Workbooks an analyst can filter: real tables, frozen headers, typed cells, inert text, native charts."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from reports.html import render_html
from reports.model import Chart, Column, Report, Section, Table
from reports.xlsx import xlsx_bytes
from reports.xlsx_charts import PANEL_SIZE, chart_xml, excel_chart_of, panel_chart, panels_of
from tests.reports.scan import formula_cells

DANGEROUS = ["=1+1", "+44 1234", "-2 days", "@SUM(A1)", "\tcmd", "\rcmd", '=HYPERLINK("http://x")']


def _report() -> Report:
    rows = tuple(
        {
            "text": text,
            "count": number,
            "value": 90.5 + number,
            "day": date(2025, 10, number + 1),
            "quarter": f"Q{number + 1}",
        }
        for number, text in enumerate(DANGEROUS)
    )
    table = Table(
        sheet="Data",
        title="Some data",
        columns=(
            Column("quarter", "Quarter"),
            Column("text", "Comment"),
            Column("count", "Count", "int"),
            Column("value", "Value", "percent"),
            Column("day", "Day", "date"),
        ),
        rows=(*rows, {"text": "bad\x01control", "count": None, "value": None, "day": None, "quarter": "Q9"}),
        charts=(Chart("Values", "quarter", ("value", "count"), dashed=("count",)),),
    )
    empty = Table(
        sheet="Nothing", title="Nothing here", columns=(Column("a", "A"), Column("b", "B", "int")), rows=()
    )
    return Report(
        kind="test",
        title="Test report",
        period="2025-10",
        period_label="October 2025",
        as_at=date(2025, 10, 31),
        sections=(Section("One", tables=(table, empty)),),
    )


@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    path = tmp_path / "test.xlsx"
    path.write_bytes(xlsx_bytes(_report()))
    return path


def test_one_real_table_a_sheet_with_a_frozen_header(workbook_path: Path) -> None:
    workbook = load_workbook(workbook_path)
    assert workbook.sheetnames == ["Contents", "Data", "Nothing"]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        (table,) = sheet.tables.values()
        assert table.ref.startswith("A1:")
        assert table.autoFilter is not None
    assert workbook["Data"].tables[next(iter(workbook["Data"].tables))].ref == "A1:E9"
    assert workbook["Nothing"].tables[next(iter(workbook["Nothing"].tables))].ref == "A1:B2"
    header = [c.value for c in workbook["Data"][1]]
    assert header == ["Quarter", "Comment", "Count", "Value", "Day"]
    contents = [[c.value for c in row] for row in workbook["Contents"].iter_rows(min_row=2)]
    assert contents[0][:3] == ["Data", "Some data", 8]
    assert contents[0][4] == datetime(2025, 10, 31)


def test_numbers_are_numbers_and_dates_are_dates(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Data"]
    count, value, day = sheet["C3"], sheet["D3"], sheet["E3"]
    assert (count.value, count.data_type) == (1, "n")
    assert (value.value, value.data_type, value.number_format) == (91.5, "n", "0.00")
    assert day.is_date and day.value == datetime(2025, 10, 2) and day.number_format == "yyyy-mm-dd"
    assert sheet["C9"].value is None  # a blank stays blank


def test_text_that_could_run_as_a_formula_is_inert(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Data"]
    comments = [str(sheet.cell(row=r, column=2).value) for r in range(2, 2 + len(DANGEROUS))]
    # a carriage return reads back as a line feed (XML line-end handling); what matters is the apostrophe
    assert [c.replace("\n", "\r") for c in comments] == ["'" + text for text in DANGEROUS]
    assert sheet["B9"].value == "badcontrol"
    assert formula_cells(workbook_path) == []


def test_charts_are_native_and_drawn_from_the_table(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Data"]
    with zipfile.ZipFile(workbook_path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = archive.read(charts[0]).decode()
    assert "<lineChart>" in xml and "'Data'!$D$2:$D$9" in xml
    assert "<cat><strRef><f>'Data'!$A$2:$A$9</f></strRef></cat>" in xml
    assert '<delete val="0" />' in xml  # axes shown
    assert 'prstDash val="dash"' in xml
    assert sheet.title == "Data"


def test_the_same_report_gives_the_same_bytes() -> None:
    first, second = xlsx_bytes(_report()), xlsx_bytes(_report())
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2025-10-31T00:00:00Z" in core


def test_the_page_escapes_text_and_embeds_its_charts() -> None:
    html = render_html(_report())
    assert html == render_html(_report())
    assert html.count("<svg") == 1
    assert "=HYPERLINK(&#34;http://x&#34;)" in html
    for outside in ("<script", "<link", " src=", "url(http", "<img", "@import"):
        assert outside not in html


def _chart_xml(workbook: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        names = sorted(
            (n for n in archive.namelist() if n.startswith("xl/charts/chart")),
            key=lambda n: int(n.removeprefix("xl/charts/chart").removesuffix(".xml")),
        )
        return [archive.read(name).decode() for name in names]


def test_a_chart_of_panels_is_one_small_native_chart_per_pi_with_its_trigger() -> None:
    pis = ("kpi1", "spi1", "spi2")
    rows = tuple(
        {"quarter": f"Q{n + 1}", **{pi: value for pi in pis}, **{f"{pi}_trigger": 90.0 for pi in pis}}
        for n, value in enumerate((95.0, None, 92.0))
    )
    table = Table(
        sheet="SV1 PIs",
        title="SV1",
        columns=(
            Column("quarter", "Quarter"),
            *(Column(pi, pi.upper(), "percent") for pi in pis),
            *(Column(f"{pi}_trigger", f"{pi.upper()} trigger", "number") for pi in pis),
        ),
        rows=rows,
        charts=(
            Chart(
                "SV1: each PI against its trigger",
                "quarter",
                (*pis, *(f"{pi}_trigger" for pi in pis)),
                y_label="%",
                dashed=tuple(f"{pi}_trigger" for pi in pis),
                x_label="Quarter",
                panels=True,
                percent=True,
            ),
        ),
    )
    report = Report("test", "T", "2025-10", "October 2025", date(2025, 10, 31), (Section("S", (table,)),))
    charts = _chart_xml(xlsx_bytes(report))
    assert len(charts) == len(pis)
    for xml, pi, column in zip(charts, pis, "BCD", strict=True):
        assert xml.count("<ser>") == 2  # the PI and its own trigger, nothing else
        trigger_column = chr(ord(column) + 3)
        assert f"'SV1 PIs'!${column}$2:${column}$4" in xml
        assert f"'SV1 PIs'!${trigger_column}$2:${trigger_column}$4" in xml
        assert xml.count('prstDash val="dash"') == 1
        assert 'min val="0"' in xml and 'max val="100"' in xml  # an honest axis
        assert '<dispBlanksAs val="gap"' in xml  # Q2's blank is a gap, not a zero
        assert f"<a:t>{pi.upper()}</a:t>" in xml  # the panel's title
        assert "<a:t>Quarter</a:t>" in xml and "<a:t>%</a:t>" in xml  # axis titles


def test_a_panel_built_from_its_template_is_the_chart_openpyxl_writes() -> None:
    rows = (
        {"q": "Q1", "a": 95.0, "b": 120.0, "a_t": 90.0, "b_t": 90.0},
        {"q": "Q2", "a": None, "b": 80.0, "a_t": 90.0, "b_t": 90.0},
    )
    table = Table(
        sheet="O'Brien & Co PIs",
        title="T",
        columns=(
            Column("q", "Quarter"),
            Column("a", "A&B <1>", "percent"),
            Column("b", "SPI2", "percent"),
            Column("a_t", "A trigger", "number"),
            Column("b_t", "B trigger", "number"),
        ),
        rows=rows,
    )
    chart = Chart("x", "q", ("a", "b", "a_t", "b_t"), y_label="%", dashed=("a_t", "b_t"), panels=True)
    sheet = Workbook().create_sheet(table.sheet)
    for percent in (True, False):
        for x_label in ("Quarter", ""):
            for panel in panels_of(table, replace(chart, percent=percent, x_label=x_label)):
                direct = chart_xml(excel_chart_of(sheet, table, panel, PANEL_SIZE))  # openpyxl's own
                assert chart_xml(panel_chart(sheet, table, panel)) == direct
