"""What a report holds, independent of its formats: sections of tables, and charts drawn from tables.

A :class:`Report` is rendered both as an ``.xlsx`` workbook (``reports.xlsx``:
one sheet per table, the charts beside their table) and as a self-contained
``.html`` page (``reports.html``: the tables, the charts as inline SVG). A
chart is always drawn from the rows of its table, so the picture and the
figures cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Literal, TypeVar, cast

ColumnKind = Literal["text", "int", "number", "percent", "date", "datetime", "rag", "level"]
# ``rag``: a priority (``RED``, ``AMBER``, ``GREEN``); ``level``: ``Low``, ``Medium``, ``High``.
# The writers colour these cells and always show the word too, with a key.
COLOURED_KINDS: tuple[ColumnKind, ...] = ("rag", "level")
ChartKind = Literal["line", "bar"]
Row = Mapping[str, Any]

# Each coloured kind's words: (fill, text colour) as hex RGB, and what the word means (the key).
KIND_COLOURS: dict[str, dict[str, tuple[str, str]]] = {
    "rag": {"RED": ("C00000", "FFFFFF"), "AMBER": ("FFC000", "000000"), "GREEN": ("70AD47", "000000")},
    "level": {"High": ("C00000", "FFFFFF"), "Medium": ("FFC000", "000000"), "Low": ("C6E0B4", "000000")},
}
KIND_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "rag": (
        ("RED", "overall risk High: the most frequent meetings, act now"),
        ("AMBER", "overall risk Medium: more frequent meetings, follow up"),
        ("GREEN", "overall risk Low: the usual meetings"),
    ),
    "level": (
        ("High", "high risk: needs action now"),
        ("Medium", "medium risk: watch and follow up"),
        ("Low", "low risk: no concern"),
    ),
}
KIND_TITLES = {"rag": "Priority (RAG)", "level": "Clause level"}

T = TypeVar("T")


def colours_of(kind: str, value: object) -> tuple[str, str] | None:
    """The (fill, text) colours of a coloured cell's word, or None (not coloured)."""
    return KIND_COLOURS.get(kind, {}).get(str(value)) if value is not None else None


_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """A table column: its key in the rows, its heading and the type of its values.

    ``percent`` values are PI percentages such as ``93.5`` (shown with two
    decimals, not multiplied by 100); ``number`` any other figure;
    ``datetime`` a time in UTC (shown ``2025-10-06 12:00``); ``rag`` a
    priority (``RED``/``AMBER``/``GREEN``) and ``level`` a clause level
    (``Low``/``Medium``/``High``), text cells the writers colour (the word is
    always shown, and the report carries a key).
    """

    key: str
    label: str
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class Chart:
    """A chart of a table: ``x`` is the column of categories, ``series`` the columns plotted.

    Series in ``dashed`` (triggers) are drawn as dashed lines. A blank value is
    a gap (the line breaks there), never a zero.

    ``panels``: small multiples, one small chart per solid series with its
    trigger (the dashed series at the same position: ``series`` lists the
    solid ones, then their triggers in the same order), each on its own axis.
    ``percent``: the values are percentages, so the axis runs from 0 to at
    least 100; otherwise it starts at 0 too (or below, for negative values).
    """

    title: str
    x: str
    series: tuple[str, ...]
    kind: ChartKind = "line"
    y_label: str = ""
    dashed: tuple[str, ...] = ()
    x_label: str = ""
    panels: bool = False
    percent: bool = False

    def pairs(self) -> list[tuple[str, str | None]]:
        """Each solid series with its trigger (the dashed series at the same position), or None."""
        solid = [key for key in self.series if key not in self.dashed]
        return [(key, self.dashed[n] if n < len(self.dashed) else None) for n, key in enumerate(solid)]


@dataclass(frozen=True)
class Table:
    """One table: a sheet of the workbook, a table of the page."""

    sheet: str  # the sheet name (at most 31 characters, unique in the report)
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    note: str = ""
    charts: tuple[Chart, ...] = ()
    empty: str = "None."

    def __post_init__(self) -> None:
        """Check the sheet name and the charts' columns."""
        if len(self.sheet) > 31 or _SHEET_UNSAFE.search(self.sheet) or not self.sheet.strip():
            raise ValueError(f"not a usable sheet name: {self.sheet!r}")
        keys = {c.key for c in self.columns}
        if len(keys) != len(self.columns) or len({c.label for c in self.columns}) != len(self.columns):
            raise ValueError(f"table {self.sheet!r}: column keys and labels must be unique")
        for chart in self.charts:
            unknown = {chart.x, *chart.series} - keys
            if unknown:
                raise ValueError(f"chart {chart.title!r} plots unknown columns {sorted(unknown)}")

    def values(self, key: str) -> list[Any]:
        """One column's values, in row order."""
        return [row.get(key) for row in self.rows]


def row_from(cls: type[T], source: object, **given: Any) -> T:
    """A ``cls`` dataclass whose fields are ``source``'s attributes of their names, or ``given``."""
    names = (f.name for f in fields(cast(Any, cls)))
    return cls(**{name: given[name] if name in given else getattr(source, name) for name in names})


def attribute_rows(items: Iterable[Any], *names: str) -> tuple[dict[str, Any], ...]:
    """Table rows that take each named column from the item's attribute of that name."""
    return tuple({name: getattr(item, name) for name in names} for item in items)


@dataclass(frozen=True)
class Section:
    """A part of a report: a heading, a few sentences, its tables."""

    title: str
    tables: tuple[Table, ...] = ()
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """One report for a period and an as-at date."""

    kind: str  # ``contracts-update``, ``pi-management``, ``pack``...
    title: str
    period: str  # ``2025-10`` or ``2025-26-Q2``
    period_label: str  # ``October 2025`` or ``Q2 2025/26``
    as_at: date
    sections: tuple[Section, ...]
    audience: str = ""
    stem: str = ""  # the files' name without extension; default ``<kind>-<period>-as-at-<date>``
    extra: Mapping[str, str] = field(default_factory=dict)  # further files: name -> text (the CSV)
    # What needs attention, a few sentences built from the data: the top of the page, and a first
    # "Summary" sheet of the workbook. Empty: no headline.
    headline: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Sheet names must be unique within the report."""
        sheets = [t.sheet for t in self.tables()]
        if len(set(sheets)) != len(sheets):
            raise ValueError(f"report {self.kind}: repeated sheet names {sheets}")

    def tables(self) -> Iterator[Table]:
        """Every table, in order."""
        for section in self.sections:
            yield from section.tables

    def coloured_kinds(self) -> list[ColumnKind]:
        """The coloured kinds (``rag``, ``level``) the report's tables use, in a fixed order: its keys."""
        used = {c.kind for t in self.tables() for c in t.columns}
        return [kind for kind in COLOURED_KINDS if kind in used]

    def table(self, sheet: str) -> Table:
        """The table of a sheet."""
        for table in self.tables():
            if table.sheet == sheet:
                return table
        raise KeyError(sheet)

    @property
    def file_stem(self) -> str:
        """``contracts-update-2025-10-as-at-2025-10-31``."""
        return self.stem or f"{self.kind}-{self.period}-as-at-{self.as_at.isoformat()}"
