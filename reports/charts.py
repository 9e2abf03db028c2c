"""Charts as inline SVG for the HTML pages, written directly from the table's numbers.

A chart is a few hundred bytes of plain SVG built here with string
formatting, not a plotting library: drawing 2,500 charts with matplotlib cost
a quarter of a second each, this costs about a millisecond. The rules that
keep the picture honest:

- the value axis starts at 0 (lower only for negative values); percentages run
  from 0 to at least 100, so a trigger of 90 is seen as near the top, not as
  the bottom of the picture;
- a blank value is a gap: the line breaks there (a lone point between gaps is
  still shown as its marker), never drawn as a zero;
- triggers are dashed red lines, named in the legend; with ``panels`` each PI
  has its own small chart with its own trigger, so triggers at the same value
  do not hide one another;
- every point carries its value as a tooltip (``<title>``), and the axes have
  titles when the chart names them.

The SVG is deterministic (the same table gives the same bytes), needs no
script, no font file and no network; its element IDs carry the chart's salt so
two charts of a page never share one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from html import escape
from typing import Any

from reports.model import Chart, Table

PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2e75b6", "#843c0c", "#375623")
TRIGGER_COLOUR = "#c00000"
_FONT = 'font-family="Segoe UI, Arial, Helvetica, sans-serif"'
_CHAR = 6.2  # the width of a character of 11px text, near enough for layout
_WIDTH, _HEIGHT = 680, 280
_PANEL_WIDTH, _PANEL_HEIGHT = 220, 190


def number(value: Any) -> float | None:
    """A plotted value: numbers as they are; blanks, text and NaN as gaps (None)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return float(value)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values from at most ``low`` to at least ``high`` (about ``count`` steps)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high - step * 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def value_axis(values: Sequence[float], percent: bool) -> list[float]:
    """The ticks of an honest value axis: from 0 (or the lowest negative value), to 100 for percentages."""
    low = min([0.0, *values])
    high = max([100.0 if percent else 1.0, *values])
    return nice_ticks(low, high)


def tick_text(value: float) -> str:
    """``0``, ``2.5``, ``100``."""
    return f"{value:.10g}"


def value_text(value: float, percent: bool) -> str:
    """A point's value in its tooltip: two decimals for percentages."""
    if percent:
        return f"{value:.2f}"
    return f"{value:.10g}"


def chart_svg(table: Table, chart: Chart, salt: str) -> str:
    """The chart of a table as an ``<svg>`` element (no XML prologue), ready to put in a page."""
    categories = [str(v) if v is not None else "" for v in table.values(chart.x)]
    labels = {c.key: c.label for c in table.columns}
    columns = {key: [number(v) for v in table.values(key)] for key in chart.series}
    ident = f"chart-{escape(salt, quote=True)}"
    if chart.panels:
        return _panels_svg(chart, categories, labels, columns, ident)
    legend = [(labels[key], _colour_of(chart, key), key in chart.dashed, chart.kind) for key in chart.series]
    legend_width = max((len(text) for text, *_ in legend), default=0) * _CHAR + 34 if len(legend) > 1 else 0
    width = _WIDTH
    parts = [_open(ident, width, _HEIGHT, chart.title)]
    parts.append(_text(12, 18, chart.title, size=13, weight="600"))
    box = (
        58.0,
        30.0,
        width - 20 - legend_width,
        _HEIGHT - _bottom_margin(categories) - (16 if chart.x_label else 0),
    )
    parts += _axes(box, chart, categories, columns, chart.series, ident)
    if chart.x_label:
        parts.append(_text((box[0] + box[2]) / 2, _HEIGHT - 6, chart.x_label, anchor="middle"))
    if legend_width:
        parts += _legend(width - legend_width + 4, 40, legend)
    parts.append("</svg>")
    return "".join(parts)


def _panels_svg(
    chart: Chart,
    categories: Sequence[str],
    labels: dict[str, str],
    columns: dict[str, list[float | None]],
    ident: str,
) -> str:
    """Small multiples: one small chart per solid series, with its trigger, three to a row."""
    pairs = chart.pairs()
    across = min(3, max(len(pairs), 1))
    rows = max(math.ceil(len(pairs) / across), 1)
    width = across * _PANEL_WIDTH + 10
    height = 52 + rows * _PANEL_HEIGHT
    parts = [_open(ident, width, height, chart.title)]
    parts.append(_text(8, 18, chart.title, size=13, weight="600"))
    parts += _legend_row(
        8, 36, [("value", PALETTE[0], False), ("trigger (breach when below)", TRIGGER_COLOUR, True)]
    )
    for n, (key, trigger) in enumerate(pairs):
        left = 8 + (n % across) * _PANEL_WIDTH
        top = 48 + (n // across) * _PANEL_HEIGHT
        parts.append(_text(left + 4, top + 12, labels[key], size=12, weight="600"))
        box = (left + 40.0, top + 22.0, left + _PANEL_WIDTH - 14.0, top + _PANEL_HEIGHT - 38.0)
        series = (key, trigger) if trigger else (key,)
        sub = replace(
            chart, title=labels[key], series=series, dashed=(trigger,) if trigger else (), panels=False
        )
        parts += _axes(box, sub, categories, columns, series, f"{ident}-{n}", compact=True)
    parts.append("</svg>")
    return "".join(parts)


def _open(ident: str, width: float, height: float, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" role="img" aria-labelledby="{ident}-t" {_FONT} font-size="11">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<rect width="{width:g}" height="{height:g}" fill="#ffffff"/>'
    )


def _text(
    x: float, y: float, text: str, size: int = 11, weight: str = "", anchor: str = "", extra: str = ""
) -> str:
    attributes = f' font-size="{size}"' if size != 11 else ""
    attributes += f' font-weight="{weight}"' if weight else ""
    attributes += f' text-anchor="{anchor}"' if anchor else ""
    attributes += f" {extra}" if extra else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" fill="#1a1a1a"{attributes}>{escape(text)}</text>'


def _colour_of(chart: Chart, key: str) -> str:
    if key in chart.dashed:
        return TRIGGER_COLOUR
    solid = [k for k in chart.series if k not in chart.dashed]
    return PALETTE[solid.index(key) % len(PALETTE)]


def _slanted(categories: Sequence[str]) -> bool:
    return len(categories) > 4 or sum(len(c) for c in categories) > 48


def _bottom_margin(categories: Sequence[str]) -> float:
    if _slanted(categories):
        return 24 + min(max((len(c) for c in categories), default=0), 24) * _CHAR * 0.6
    return 30


def _axes(
    box: tuple[float, float, float, float],
    chart: Chart,
    categories: Sequence[str],
    columns: dict[str, list[float | None]],
    series: Sequence[str],
    ident: str,
    compact: bool = False,
) -> list[str]:
    """One plot area: grid and value axis, category labels, then bars or lines."""
    left, top, right, bottom = box
    present = [v for key in series for v in columns[key] if v is not None]
    ticks = value_axis(present, chart.percent)
    low, high = ticks[0], ticks[-1]

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    count = max(len(categories), 1)
    slot = (right - left) / count

    def x_of(index: int) -> float:
        return left + slot * (index + 0.5)

    parts = [f'<g id="{ident}">']
    grid = "".join(f"M{left:.1f} {y_of(t):.1f}H{right:.1f}" for t in ticks)
    parts.append(f'<path d="{grid}" stroke="#dddddd" stroke-width="0.8" fill="none"/>')
    parts.append(f'<path d="M{left:.1f} {top:.1f}V{bottom:.1f}H{right:.1f}" stroke="#555555" fill="none"/>')
    for tick in ticks:
        parts.append(_text(left - 5, y_of(tick) + 4, tick_text(tick), size=10, anchor="end"))
    if chart.y_label:
        middle = (top + bottom) / 2
        parts.append(
            _text(
                left - 34 if not compact else left - 30,
                middle,
                chart.y_label,
                size=10,
                anchor="middle",
                extra=f'transform="rotate(-90 {left - (34 if not compact else 30):.1f} {middle:.1f})"',
            )
        )
    shown_every = 1 if not compact else max(1, math.ceil(len(categories) / 5))
    for index, category in enumerate(categories):
        if index % shown_every:
            continue
        short = category if len(category) <= 24 else category[:23] + "…"
        if compact and " " in short:  # "Q3 2024/25": the quarter above its year, so narrow panels fit
            top_line, bottom_line = short.split(" ", 1)
            x = x_of(index)
            parts.append(
                f'<text x="{x:.1f}" y="{bottom + 13:.1f}" fill="#1a1a1a" font-size="9" text-anchor="middle">'
                f'{escape(top_line)}<tspan x="{x:.1f}" dy="10">{escape(bottom_line)}</tspan></text>'
            )
        elif _slanted(categories) and not compact:
            x, y = x_of(index), bottom + 12
            parts.append(
                _text(x, y, short, size=10, anchor="end", extra=f'transform="rotate(-30 {x:.1f} {y:.1f})"')
            )
        else:
            parts.append(_text(x_of(index), bottom + 14, short, size=10, anchor="middle"))
    plot = _Plot(chart, categories, columns, series, y_of, x_of)
    parts += _bars(plot, slot, low) if chart.kind == "bar" else _lines(plot)
    parts.append("</g>")
    return parts


@dataclass(frozen=True)
class _Plot:
    """One plot area's series and where a category (``x_of``) and a value (``y_of``) are drawn."""

    chart: Chart
    categories: Sequence[str]
    columns: dict[str, list[float | None]]
    series: Sequence[str]
    y_of: Any
    x_of: Any

    def line(self, key: str, colour: str, dashed: bool) -> list[str]:
        """The series ``key`` as a line."""
        return _line(
            self.columns[key], self.y_of, self.x_of, colour, dashed, self.categories, self.chart.percent
        )


def _bars(plot: _Plot, slot: float, low: float) -> list[str]:
    chart, parts = plot.chart, []
    bars = [key for key in plot.series if key not in chart.dashed]
    width = slot * 0.8 / max(len(bars), 1)
    base = plot.y_of(max(low, 0.0))
    for n, key in enumerate(bars):
        colour = _colour_of(chart, key)
        for index, value in enumerate(plot.columns[key]):
            if value is None:
                continue
            x = plot.x_of(index) - slot * 0.4 + n * width
            y = plot.y_of(value)
            parts.append(
                f'<rect x="{x:.1f}" y="{min(y, base):.1f}" width="{width * 0.92:.1f}" '
                f'height="{abs(base - y):.1f}" fill="{colour}">'
                f"<title>{escape(plot.categories[index])}: {value_text(value, chart.percent)}</title></rect>"
            )
    for key in plot.series:
        if key in chart.dashed:
            parts += plot.line(key, TRIGGER_COLOUR, True)
    return parts


def _lines(plot: _Plot) -> list[str]:
    chart, parts = plot.chart, []
    triggers_first = sorted(plot.series, key=lambda key: key not in chart.dashed)  # stable: same order within
    for key in triggers_first:
        parts += plot.line(key, _colour_of(chart, key), key in chart.dashed)
    return parts


def _line(
    values: Sequence[float | None],
    y_of: Any,
    x_of: Any,
    colour: str,
    dashed: bool,
    categories: Sequence[str],
    percent: bool,
) -> list[str]:
    """A line broken at every blank; markers (with their value) on the solid lines' points."""
    path, pen_down = [], False
    for index, value in enumerate(values):
        if value is None:
            pen_down = False
            continue
        path.append(f"{'L' if pen_down else 'M'}{x_of(index):.1f} {y_of(value):.1f}")
        pen_down = True
    parts = []
    if path:
        style = 'stroke-dasharray="6 4" stroke-width="1.4"' if dashed else 'stroke-width="1.8"'
        parts.append(f'<path d="{"".join(path)}" stroke="{colour}" {style} fill="none"/>')
    if dashed:
        return parts
    for index, value in enumerate(values):
        if value is not None:
            parts.append(
                f'<circle cx="{x_of(index):.1f}" cy="{y_of(value):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(categories[index])}: {value_text(value, percent)}</title></circle>"
            )
    return parts


def _legend(x: float, y: float, entries: Sequence[tuple[str, str, bool, str]]) -> list[str]:
    parts = []
    for n, (text, colour, dashed, kind) in enumerate(entries):
        row = y + n * 17
        if kind == "bar" and not dashed:
            parts.append(f'<rect x="{x:.1f}" y="{row - 8:.1f}" width="18" height="9" fill="{colour}"/>')
        else:
            style = ' stroke-dasharray="6 4"' if dashed else ""
            parts.append(f'<path d="M{x:.1f} {row - 4:.1f}h22" stroke="{colour}" stroke-width="2"{style}/>')
        parts.append(_text(x + 28, row, text))
    return parts


def _legend_row(x: float, y: float, entries: Sequence[tuple[str, str, bool]]) -> list[str]:
    parts = []
    for text, colour, dashed in entries:
        style = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(f'<path d="M{x:.1f} {y - 4:.1f}h22" stroke="{colour}" stroke-width="2"{style}/>')
        parts.append(_text(x + 28, y, text))
        x += 40 + len(text) * _CHAR
    return parts
