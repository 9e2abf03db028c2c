"""Native Excel charts of a report's tables, beside the table on its sheet (``reports.xlsx``).

Each chart is drawn from the table's own cells, with an honest value axis
(from 0; percentages to 100 when every value fits), blanks as gaps, and axis
titles. A chart of ``panels`` is one small chart per PI with its own trigger,
two across, as the page draws it (``reports.charts``).

A pack has a small chart for every PI of every service: thousands of charts
alike but for their titles and cells. openpyxl builds and serialises each one
in about 7 ms, so a panel's XML is built once per shape (:func:`panel_chart`)
and reused with its own titles and cell references put in; the bytes are the
ones openpyxl writes for the same chart (``tests/reports/test_xlsx.py``
compares them).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from xml.sax.saxutils import escape

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.utils import coordinate_to_tuple, get_column_letter
from openpyxl.utils.units import cm_to_EMU
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from reports.model import Chart, Table

CHART_ROWS = 18  # rows of the sheet each chart takes
PANEL_SIZE = (9, 6.5)  # a small chart a PI: width and height in cm
PANEL_ROWS, PANEL_COLUMNS = 14, 6  # the rows and (default-width) columns each small chart takes
_TEMPLATES: dict[tuple[Any, ...], bytes] = {}  # a panel's XML by its shape, with tokens for its text
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_DRAWINGML = "http://schemas.openxmlformats.org/drawingml/2006"
_DRAWING_HEAD = (
    f'<wsDr xmlns:a="{_DRAWINGML}/main" xmlns:c="{_DRAWINGML}/chart" xmlns:r="{_OFFICE}" '
    f'xmlns="{_DRAWINGML}/spreadsheetDrawing">'
)


class TemplatedChart(LineChart):
    """A chart whose XML is given (:func:`panel_chart`): the writer stores it as it is.

    None of a line chart's elements is made (most of the cost of one): only
    its anchor, size and place in the workbook are read.
    """

    def __init__(self, xml: bytes) -> None:  # noqa: PLW0231 - see above
        self.xml = xml
        self.width, self.height = PANEL_SIZE


def chart_xml(chart: Any) -> bytes:
    """The chart part's XML: given, or serialised by openpyxl."""
    return chart.xml if isinstance(chart, TemplatedChart) else tostring(chart._write())


def add_chart(sheet: Worksheet, table: Table, chart: Chart, number: int) -> None:
    """The chart beside the table; with ``panels``, one small chart per PI with its trigger, two across."""
    anchor_column = len(table.columns) + 2
    if not chart.panels:
        excel_chart = excel_chart_of(sheet, table, chart, (18, 8.5))
        sheet.add_chart(excel_chart, f"{get_column_letter(anchor_column)}{1 + number * CHART_ROWS}")
        return
    for n, panel in enumerate(panels_of(table, chart)):
        column = get_column_letter(anchor_column + (n % 2) * PANEL_COLUMNS)
        sheet.add_chart(panel_chart(sheet, table, panel), f"{column}{1 + (n // 2) * PANEL_ROWS}")


def panels_of(table: Table, chart: Chart) -> list[Chart]:
    """One chart per solid series with its trigger, titled with the series' heading."""
    labels = {c.key: c.label for c in table.columns}
    return [
        replace(
            chart,
            title=labels[key],
            series=(key, trigger) if trigger else (key,),
            dashed=(trigger,) if trigger else (),
        )
        for key, trigger in chart.pairs()
    ]


def _axis_bounds(table: Table, chart: Chart) -> tuple[bool, bool]:
    """(from 0, to 100): every value at least 0; a percentage chart whose values are all at most 100."""
    values = [v for key in chart.series for v in table.values(key) if isinstance(v, int | float)]
    from_zero = all(v >= 0 for v in values)
    return from_zero, from_zero and chart.percent and all(v <= 100 for v in values)


def excel_chart_of(
    sheet: Worksheet, table: Table, chart: Chart, size: tuple[int, float]
) -> LineChart | BarChart:
    """A native chart of the table's columns: an honest value axis, gaps as gaps, axis titles."""
    keys = [c.key for c in table.columns]
    last_row = len(table.rows) + 1
    excel_chart: LineChart | BarChart = LineChart() if chart.kind == "line" else BarChart()
    excel_chart.title = chart.title
    excel_chart.y_axis.title = chart.y_label or None
    excel_chart.width, excel_chart.height = size
    excel_chart.display_blanks = "gap"  # a blank value breaks the line, never a zero
    excel_chart.x_axis.delete = False  # openpyxl leaves the axes hidden in Excel unless told
    excel_chart.y_axis.delete = False
    from_zero, to_hundred = _axis_bounds(table, chart)
    if from_zero:  # an honest axis: from 0 (percentages to at least 100), as on the page
        excel_chart.y_axis.scaling.min = 0
    if to_hundred:
        excel_chart.y_axis.scaling.max = 100
    if chart.x_label:
        excel_chart.x_axis.title = chart.x_label
    for key in chart.series:
        column = keys.index(key) + 1
        data = Reference(sheet, min_col=column, min_row=1, max_row=last_row)
        excel_chart.add_data(data, titles_from_data=True)
    categories = Reference(sheet, min_col=keys.index(chart.x) + 1, min_row=2, max_row=last_row)
    for key, series in zip(chart.series, excel_chart.series, strict=True):
        series.cat = AxDataSource(strRef=StrRef(f=str(categories)))  # text categories (quarters, names)
        if chart.kind != "line":
            continue
        series.smooth = False
        if key in chart.dashed:
            series.graphicalProperties.line.dashStyle = "dash"
            series.graphicalProperties.line.solidFill = "C00000"
        elif chart.panels:
            series.marker.symbol = "circle"  # a lone value between gaps still shows
    return excel_chart


def _formulas(sheet: Worksheet, table: Table, chart: Chart) -> dict[str, str]:
    """The panel's cell references, by the token that stands for each in its template."""
    keys = [c.key for c in table.columns]
    last_row = len(table.rows) + 1
    found = {"CAT": str(Reference(sheet, min_col=keys.index(chart.x) + 1, min_row=2, max_row=last_row))}
    for n, key in enumerate(chart.series):
        values = Reference(sheet, min_col=keys.index(key) + 1, min_row=1, max_row=last_row)
        found[f"TX{n}"] = f"{values.sheetname}!{values.pop()}"  # as openpyxl's SeriesFactory names it
        found[f"VAL{n}"] = str(values)
    return found


def panel_chart(sheet: Worksheet, table: Table, chart: Chart) -> LineChart | BarChart:
    """:func:`excel_chart_of` for a small chart, its XML built once per shape and filled in."""
    shape = (
        chart.kind,
        tuple(key in chart.dashed for key in chart.series),
        _axis_bounds(table, chart),
        bool(chart.y_label),
        bool(chart.x_label),
    )
    if shape not in _TEMPLATES:
        tokens = replace(
            chart,
            title="@@TITLE@@",
            y_label="@@Y@@" if chart.y_label else "",
            x_label="@@X@@" if chart.x_label else "",
        )
        model = excel_chart_of(sheet, table, tokens, PANEL_SIZE)
        for n, series in enumerate(model.series):
            series.tx.strRef.f = f"@@TX{n}@@"
            series.val.numRef.f = f"@@VAL{n}@@"
            series.cat.strRef.f = "@@CAT@@"
        _TEMPLATES[shape] = chart_xml(model)
    xml = _TEMPLATES[shape]
    texts = {"TITLE": chart.title, "Y": chart.y_label, "X": chart.x_label, **_formulas(sheet, table, chart)}
    for token, text in texts.items():
        xml = xml.replace(f"@@{token}@@".encode(), escape(text).encode())
    return TemplatedChart(xml)


def drawing_parts(charts: list[Any]) -> tuple[bytes, bytes]:
    """A sheet's drawing of charts anchored at a cell, and its relationships, as openpyxl writes them.

    openpyxl builds an object for every anchor and frame; here the same XML
    is written as text (``tests/reports/test_xlsx_sheets.py`` compares).
    """
    anchors, relations = [], []
    for n, chart in enumerate(charts, start=1):
        row, column = coordinate_to_tuple(chart.anchor.upper())
        anchors.append(
            f"<oneCellAnchor><from><col>{column - 1}</col><colOff>0</colOff><row>{row - 1}</row>"
            f'<rowOff>0</rowOff></from><ext cx="{cm_to_EMU(chart.width)}" cy="{cm_to_EMU(chart.height)}" />'
            f'<graphicFrame><nvGraphicFramePr><cNvPr id="{n}" name="Chart {n}" /><cNvGraphicFramePr />'
            f'</nvGraphicFramePr><xfrm /><a:graphic><a:graphicData uri="{_DRAWINGML}/chart">'
            f'<c:chart r:id="rId{n}" /></a:graphicData></a:graphic></graphicFrame>'
            "<clientData /></oneCellAnchor>"
        )
        relations.append(f'<Relationship Type="{_OFFICE}/chart" Target="{chart.path}" Id="rId{n}" />')
    drawing = f"{_DRAWING_HEAD}{''.join(anchors)}</wsDr>"
    listed = f'<Relationships xmlns="{_PACKAGE}">{"".join(relations)}</Relationships>'
    return drawing.encode("utf-8"), listed.encode("utf-8")
