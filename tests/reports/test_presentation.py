"""Presentation rules: the headline, coloured RAG priorities and levels with their words and a key."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from reports.columns import columns
from reports.html import render_html
from reports.model import Column, Report, Section, Table
from reports.xlsx import xlsx_bytes


def _report(headline: tuple[str, ...] = ("Two services are RED.",)) -> Report:
    table = Table(
        sheet="Risks",
        title="Risks",
        columns=columns("service_id", "priority", "level"),
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


# Charts ------------------------------------------------------------------------------------------

from reports.charts import chart_svg, nice_ticks, value_axis  # noqa: E402
from reports.model import Chart  # noqa: E402


def _pi_table(values: list[float | None], trigger: float = 90.0) -> Table:
    return Table(
        sheet="T",
        title="T",
        columns=(
            Column("quarter", "Quarter"),
            Column("kpi1", "KPI1", "percent"),
            Column("kpi1_trigger", "KPI1 trigger", "number"),
        ),
        rows=tuple(
            {"quarter": f"Q{n + 1}", "kpi1": v, "kpi1_trigger": trigger} for n, v in enumerate(values)
        ),
    )


def test_percent_axis_runs_from_0_to_100_whatever_the_values() -> None:
    assert value_axis([91.0, 95.5], percent=True)[0] == 0
    assert value_axis([91.0, 95.5], percent=True)[-1] == 100
    assert value_axis([91.0, 112.0], percent=True)[-1] >= 112
    assert value_axis([3.0], percent=False)[0] == 0
    assert nice_ticks(0, 30) == [0, 10, 20, 30]


def test_a_blank_value_is_a_gap_not_a_zero() -> None:
    table = _pi_table([95.0, None, 92.0, 93.0])
    chart = Chart("KPI1", "quarter", ("kpi1", "kpi1_trigger"), dashed=("kpi1_trigger",), percent=True)
    svg = chart_svg(table, chart, "1")
    solid = [p for p in svg.split("<path ") if 'stroke="#1f4e79"' in p][0]
    assert solid.count("M") == 2  # two pieces: Q1 alone, then Q3 to Q4
    assert svg.count("<circle") == 3  # three points with a value, none for the blank
    assert "Q1: 95.00" in svg and "Q2:" not in svg


def test_panels_give_each_pi_its_own_axis_and_trigger() -> None:
    table = Table(
        sheet="T",
        title="T",
        columns=(
            Column("quarter", "Quarter"),
            Column("kpi1", "KPI1", "percent"),
            Column("spi1", "SPI1", "percent"),
            Column("kpi1_trigger", "KPI1 trigger", "number"),
            Column("spi1_trigger", "SPI1 trigger", "number"),
        ),
        rows=({"quarter": "Q1", "kpi1": 95.0, "spi1": 80.0, "kpi1_trigger": 90.0, "spi1_trigger": 90.0},),
    )
    chart = Chart(
        "SV1",
        "quarter",
        ("kpi1", "spi1", "kpi1_trigger", "spi1_trigger"),
        dashed=("kpi1_trigger", "spi1_trigger"),
        panels=True,
        percent=True,
    )
    svg = chart_svg(table, chart, "p")
    assert svg.count('stroke-dasharray="6 4" stroke-width="1.4"') == 2  # one trigger line a panel
    assert ">KPI1</text>" in svg and ">SPI1</text>" in svg
    assert svg.count(">100</text>") == 2  # each panel's axis reaches 100


def test_charts_are_deterministic_and_escape_text() -> None:
    table = _pi_table([95.0, 91.0])
    chart = Chart("<b>KPI1</b>", "quarter", ("kpi1",), y_label="%", x_label="Quarter", percent=True)
    assert chart_svg(table, chart, "1") == chart_svg(table, chart, "1")
    assert "<b>" not in chart_svg(table, chart, "1")
    assert ">Quarter</text>" in chart_svg(table, chart, "1")


# The index ---------------------------------------------------------------------------------------


def test_periods_sort_by_their_last_day() -> None:
    from reports.publish import period_end, period_text, render_index

    assert period_end("2025-10") == date(2025, 10, 31)
    assert period_end("2025-26-Q2") == date(2025, 9, 30)
    assert period_end("2025-26-Q4") == date(2026, 3, 31)
    assert period_text("2025-26-Q3") == "Q3 2025/26 (October to December 2025)"
    entries = [
        {"kind": k, "title": k, "period": p, "as_at": "2025-11-01", "created": "x", "files": []}
        for k, p in (("a", "2025-26-Q2"), ("b", "2025-10"), ("c", "2025-09"), ("d", "2025-26-Q3"))
    ]
    page = render_index(entries)
    order = [page.index(text) for text in ("Q3 2025/26", "October 2025", "Q2 2025/26")]
    assert order == sorted(order)
    assert page.index("October 2025") < page.index("September 2025")


# Words, formats, print ---------------------------------------------------------------------------


def test_every_clause_has_plain_words() -> None:
    from data_contracts.clause_words import CLAUSE_WORDS, clause_in_words, clauses_in_words
    from data_contracts.risk_tables import SUBJECTS

    assert set(SUBJECTS) <= set(CLAUSE_WORDS)
    assert clause_in_words("availability_utilisation") == "Availability and utilisation (SPI1, SPI2)"
    assert clauses_in_words("staffing;outcomes") == "Staffing (SPI3); Outcomes (KPI1, KPI2)"
    assert "_" not in clause_in_words("some_new_clause")


def test_figures_have_two_decimals_and_dates_their_format_in_the_workbook() -> None:
    table = Table(
        sheet="Figures",
        title="Figures",
        columns=(
            Column("denominator", "Denominator", "number"),
            Column("count", "Count", "int"),
            Column("day", "Day", "date"),
            Column("at", "Received (UTC)", "datetime"),
        ),
        rows=(
            {
                "denominator": 5533.14285714286,
                "count": 3,
                "day": date(2025, 10, 6),
                "at": datetime(2025, 10, 6, 12, 30, tzinfo=UTC),
            },
        ),
    )
    report = Report("test", "T", "2025-10", "October 2025", date(2025, 10, 31), (Section("S", (table,)),))
    sheet = load_workbook(io.BytesIO(xlsx_bytes(report)))["Figures"]
    assert sheet["A2"].number_format == "#,##0.00" and sheet["B2"].number_format == "#,##0"
    assert sheet["C2"].number_format == "yyyy-mm-dd" and sheet["D2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["D2"].value == datetime(2025, 10, 6, 12, 30)  # UTC, without a zone (Excel has none)
    page = render_html(report)
    assert ">2025-10-06 12:30</td>" in page and "5533.14" in page and "5533.142" not in page


def test_pages_have_print_css() -> None:
    page = render_html(_report())
    assert "@media print" in page and "break-inside: avoid" in page and "@page" in page
    assert "thead { display: table-header-group; }" in page


def test_native_excel_charts_start_at_0_and_percentages_reach_100() -> None:
    table = _pi_table([95.0, 91.0])
    table = Table(
        sheet=table.sheet,
        title=table.title,
        columns=table.columns,
        rows=table.rows,
        charts=(Chart("KPI1", "quarter", ("kpi1", "kpi1_trigger"), dashed=("kpi1_trigger",), percent=True),),
    )
    report = Report("test", "T", "2025-10", "October 2025", date(2025, 10, 31), (Section("S", (table,)),))
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(report))) as archive:
        xml = archive.read(next(n for n in archive.namelist() if n.startswith("xl/charts/chart"))).decode()
    assert 'min val="0"' in xml
    assert 'max val="100"' in xml
