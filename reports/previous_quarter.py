"""Each figure beside the previous quarter's and the change (``issue 11``: the CSG reads the movement).

A compared figure is three columns: the value, the previous quarter's value
(headed with that quarter, ``KPI1 Q1 2025/26``) and the change, this quarter
less the previous (points of percentage for a PI). The change is blank when
either value is.
"""

from __future__ import annotations

from typing import Any

from reports.model import Column, ColumnKind


def change(now: float | None, before: float | None) -> float | None:
    """The change: this quarter less the previous; None when either is unknown."""
    if now is None or before is None:
        return None
    return now - before


def signed(number: float) -> str:
    """``+3``, ``-2``, ``+1.25``."""
    if isinstance(number, int):
        return f"{number:+d}"
    return f"{number:+.2f}".rstrip("0").rstrip(".")


def compared_columns(key: str, label: str, kind: ColumnKind, before_label: str) -> tuple[Column, ...]:
    """The value's column, the previous quarter's beside it, then the change."""
    return (
        Column(key, label, kind),
        Column(f"{key}_before", f"{label} {before_label}", kind),
        Column(f"{key}_change", f"{label} change", kind),
    )


def compared(key: str, now: float | None, before: float | None) -> dict[str, Any]:
    """The row's cells of :func:`compared_columns`."""
    return {key: now, f"{key}_before": before, f"{key}_change": change(now, before)}
