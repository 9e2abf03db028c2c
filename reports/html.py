"""A report as a self-contained ``.html`` page: its tables, and its charts as inline SVG.

The page is rendered from ``reports/templates/report.html.j2`` (found from
the package, autoescaped); it loads nothing from anywhere and runs no script.
Only the SVG this project draws is marked safe; every value of a table,
provider text included, is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from markupsafe import Markup, escape

from reports.charts import chart_svg
from reports.model import KIND_KEYS, KIND_TITLES, Column, Report, Table, colours_of
from reports.templating import environment
from tasks.pi.rules import two_decimals


@dataclass(frozen=True)
class ShownChart:
    """A chart ready for the page."""

    title: str
    svg: Markup


@dataclass(frozen=True)
class ShownTable:
    """A table ready for the page: headings, cells as text, and which columns are numbers."""

    anchor: str
    title: str
    note: str
    empty: str
    headings: list[str]
    rows: Markup  # the table's body rows, written here rather than cell by cell in the template
    charts: list[ShownChart]


def shown(column: Column, value: Any) -> str:
    """A value as the page shows it: PIs with two decimals, dates ISO, blanks empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if column.kind == "percent" and isinstance(value, int | float):
        return two_decimals(float(value))
    if column.kind == "number" and isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo else value
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def cell_style(column: Column, value: Any) -> str:
    """The inline style of a coloured cell (a RAG priority or a level); empty for any other."""
    colours = colours_of(column.kind, value)
    if colours is None:
        return ""
    return f"background:#{colours[0]};color:#{colours[1]};font-weight:600"


def colour_keys(report: Report) -> list[dict[str, Any]]:
    """The keys of the coloured kinds the report uses: a title and (word, style, meaning) entries."""
    keys = []
    for kind in report.coloured_kinds():
        entries = [
            (word, cell_style(Column("k", "k", kind), word), meaning) for word, meaning in KIND_KEYS[kind]
        ]
        keys.append({"title": KIND_TITLES[kind], "entries": entries})
    return keys


def shown_table(table: Table, index: int) -> ShownTable:
    """One table and its charts for the page."""
    return ShownTable(
        anchor=f"t{index}",
        title=table.title,
        note=table.note,
        empty=table.empty,
        headings=[c.label for c in table.columns],
        rows=body_rows(table),
        charts=[
            ShownChart(chart.title, Markup(chart_svg(table, chart, f"{index}-{number}")))  # noqa: S704
            for number, chart in enumerate(table.charts)
        ],
    )


def body_rows(table: Table) -> Markup:
    """Each row as ``<tr>`` of ``<td>``, every value and style escaped, one line a row.

    Written here because the template's loop over every cell cost more than
    the rest of the page; the text is what that loop wrote.
    """
    opening = [_cell_opening(column) for column in table.columns]
    lines = []
    for row in table.rows:
        cells = []
        for column, start in zip(table.columns, opening, strict=True):
            value = row.get(column.key)
            style = cell_style(column, value)
            styled = f' style="{escape(style)}"' if style else ""
            cells.append(f"{start}{styled}>{escape(shown(column, value))}</td>")
        lines.append(f"      <tr>{''.join(cells)}</tr>\n")
    return Markup("".join(lines))  # noqa: S704 - every value above is escaped


def _cell_opening(column: Column) -> str:
    return '<td class="num"' if column.kind in ("int", "number", "percent") else "<td"


def render_html(report: Report) -> str:
    """The report's page."""
    index = 0
    sections = []
    for section in report.sections:
        tables = []
        for table in section.tables:
            index += 1
            tables.append(shown_table(table, index))
        sections.append({"title": section.title, "paragraphs": section.paragraphs, "tables": tables})
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            title=report.title,
            period_label=report.period_label,
            as_at=report.as_at.isoformat(),
            audience=report.audience,
            headline=report.headline,
            keys=colour_keys(report),
            sections=sections,
        )
    )
