"""A page's table rows, written in Python, are what the template's loop over every cell wrote."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import cast

from reports.html import body_rows, cell_style, shown
from reports.model import Column, ColumnKind, Table
from reports.templating import environment

# The loop the page used to run for each cell, kept here as the reference.
CELL_LOOP = """{% for row in rows %}
      {% set styles = all_styles[loop.index0] %}
      <tr>{% for value in row %}<td{% if numeric[loop.index0] %} class="num"{% endif %}\
{% if styles[loop.index0] %} style="{{ styles[loop.index0] }}"{% endif %}>{{ value }}</td>{% endfor %}</tr>
{% endfor %}"""

# Each column by its key and kind; the heading is the key (the rows are what is compared).
KINDS = (
    "name:text count:int pi:percent hours:number due:date seen:datetime priority:rag level:level flag:text"
)
COLUMNS = tuple(
    Column(key, key, cast(ColumnKind, kind)) for key, kind in (pair.split(":") for pair in KINDS.split())
)
ROWS = (
    {
        "name": "<b>A & B</b> \"quoted\" 'single'",
        "count": 3,
        "pi": 87.5,
        "hours": 12.25,
        "due": date(2025, 10, 1),
    },
    {"name": "=cmd|' /C calc'!A0", "seen": datetime(2025, 10, 1, 9, 30, tzinfo=UTC), "priority": "RED"},
    {"name": "", "count": None, "priority": "AMBER", "level": "High", "flag": True},
    {"priority": "GREEN", "level": "Low", "flag": False, "pi": 0, "hours": 3.0},
    {"priority": "not a colour", "level": "Medium"},
)


def test_body_rows_are_what_the_cell_loop_wrote() -> None:
    table = Table(sheet="Rows", title="Rows", columns=COLUMNS, rows=ROWS)
    expected = (
        environment()
        .from_string(CELL_LOOP)
        .render(
            rows=[[shown(c, row.get(c.key)) for c in COLUMNS] for row in ROWS],
            all_styles=[[cell_style(c, row.get(c.key)) for c in COLUMNS] for row in ROWS],
            numeric=[c.kind in ("int", "number", "percent") for c in COLUMNS],
        )
    )
    assert 'style="background:' in expected and "&lt;b&gt;" in expected  # the case is not trivial
    assert str(body_rows(table)) == expected
