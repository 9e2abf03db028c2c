"""Charts as inline SVG for the HTML pages (matplotlib, Agg, no pyplot state).

The SVG is deterministic: a fixed hash salt per chart (so that two charts of
one page never share element IDs), text kept as text (``svg.fonttype``
``none``), and no date in its metadata. It needs no script and no network.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context  # noqa: E402  (after choosing the backend)
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from reports.model import Chart, Table  # noqa: E402

_PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2e75b6", "#843c0c", "#375623")
_TRIGGER_COLOUR = "#c00000"
_SVG_START = re.compile(r"<svg\b")
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)


def _number(value: Any) -> float:
    """A plotted value: numbers as they are, blanks as gaps."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return math.nan
    return float(value)


def chart_svg(table: Table, chart: Chart, salt: str) -> str:
    """The chart of a table as an ``<svg>`` element (no XML prologue), ready to put in a page."""
    categories = [str(v) for v in table.values(chart.x)]
    labels = {c.key: c.label for c in table.columns}
    with rc_context({"svg.hashsalt": f"spmon-{salt}", "svg.fonttype": "none", "font.size": 9}):
        figure = Figure(figsize=(7.0, 3.4), dpi=72)
        axes = figure.add_subplot()
        if chart.kind == "bar":
            _bars(axes, table, chart, categories, labels)
        else:
            _lines(axes, table, chart, categories, labels)
        axes.set_title(chart.title)
        if chart.y_label:
            axes.set_ylabel(chart.y_label)
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        if len(chart.series) > 1:
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "spmon"})
    text = _METADATA.sub("", buffer.getvalue())
    start = _SVG_START.search(text)
    return text[start.start() :] if start else text


def _lines(axes: Any, table: Table, chart: Chart, categories: Sequence[str], labels: dict[str, str]) -> None:
    """Solid lines with markers; dashed series (triggers) red, or each in the colour of its PI when paired."""
    positions = list(range(len(categories)))
    solid = [key for key in chart.series if key not in chart.dashed]
    paired = len(chart.dashed) > 1
    for index, key in enumerate(solid):
        axes.plot(
            positions,
            [_number(v) for v in table.values(key)],
            marker="o",
            markersize=4,
            linewidth=1.6,
            color=_PALETTE[index % len(_PALETTE)],
            label=labels[key],
        )
    for index, key in enumerate(chart.dashed):
        colour = _PALETTE[index % len(_PALETTE)] if paired else _TRIGGER_COLOUR
        axes.plot(
            positions,
            [_number(v) for v in table.values(key)],
            linestyle="--",
            color=colour,
            linewidth=1.2,
            label=labels[key],
        )
    _ticks(axes, positions, categories)
    if len(categories) == 1:
        axes.set_xlim(-0.5, 0.5)


def _bars(axes: Any, table: Table, chart: Chart, categories: Sequence[str], labels: dict[str, str]) -> None:
    positions = list(range(len(categories)))
    bars = [key for key in chart.series if key not in chart.dashed]
    width = 0.8 / max(len(bars), 1)
    for index, key in enumerate(bars):
        values = [_number(v) for v in table.values(key)]
        offset = (index - (len(bars) - 1) / 2) * width
        axes.bar(
            [p + offset for p in positions],
            [0 if math.isnan(v) else v for v in values],
            width=width,
            color=_PALETTE[index % len(_PALETTE)],
            label=labels[key],
        )
    for key in chart.dashed:
        values = [_number(v) for v in table.values(key)]
        axes.plot(positions, values, linestyle="--", color=_TRIGGER_COLOUR, linewidth=1.2, label=labels[key])
    heights = [_number(v) for key in chart.series for v in table.values(key)]
    top = max((h for h in heights if not math.isnan(h)), default=0.0)
    axes.set_ylim(0, top * 1.1 if top > 0 else 1)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    _ticks(axes, positions, categories)


def _ticks(axes: Any, positions: Sequence[int], categories: Sequence[str]) -> None:
    """Category labels, slanted when there are many."""
    many = len(categories) > 4 or sum(len(c) for c in categories) > 48
    axes.set_xticks(
        list(positions), list(categories), rotation=30 if many else 0, ha="right" if many else "center"
    )
