"""The bench's figures as one Markdown table: a row a figure, a column a size, the target and its verdict."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Figures = dict[str, Any]


@dataclass(frozen=True)
class Row:
    """One figure: how to show it for a size, and (if it has a target) whether a size meets it."""

    name: str
    target: str
    shown: Callable[[Figures], str | None]
    met: Callable[[Figures], bool] | None = None


def _ingest(database: str, key: str, cpu_key: str, unit: str) -> Callable[[Figures], str | None]:
    def shown(figures: Figures) -> str | None:
        found = figures.get(database)
        if found is None:
            return None
        return f"{found[key]:.2f} {unit} ({found[cpu_key]:.2f} CPU)"

    return shown


def _ratio(database: str, kind: str = "cpu_") -> Callable[[Figures], float | None]:
    """Ingestion over calamine, a file: CPU (judged: the machine may be loaded) or wall (``kind=""``)."""

    def ratio(figures: Figures) -> float | None:
        found = figures.get(database)
        if found is None:
            return None
        return float(found[f"ingest_{kind}ms_per_file"] / figures["read"][f"calamine_{kind}ms"])

    return ratio


def _shown_ratio(database: str) -> Callable[[Figures], str | None]:
    def shown(figures: Figures) -> str | None:
        cpu, wall = _ratio(database)(figures), _ratio(database, "")(figures)
        return None if cpu is None else f"{cpu:.2f}x CPU ({wall:.2f}x wall)"

    return shown


def _report(kind: str) -> Callable[[Figures], str | None]:
    def shown(figures: Figures) -> str | None:
        found = figures.get(kind)
        return None if found is None else f"{found['seconds']:.1f} s ({found['cpu_seconds']:.1f} CPU-s)"

    return shown


def _at_most(value: Callable[[Figures], float | None], limit: float) -> Callable[[Figures], bool]:
    # A slope of 0 or below: the files were too few to see their cost through the machine's noise.
    return lambda figures: 0 < (value(figures) or 0) <= limit


def _megabytes(database: str) -> Callable[[Figures], str | None]:
    return lambda figures: f"{figures[database]['peak_mb']:.0f} MB" if database in figures else None


def _below(database: str, key: str, limit: float) -> Callable[[Figures], bool]:
    return lambda figures: database not in figures or figures[database][key] < limit


def _rows() -> list[Row]:
    rows = [
        Row(
            "files in the drop folder (PI workbooks and stakeholder questionnaires)",
            "",
            lambda f: f"{f['read']['files']:,} ({f['read']['questionnaires']:,} questionnaires)",
        ),
        Row(
            "calamine alone, a file (the read floor)",
            "",
            lambda f: f"{f['read']['calamine_ms']:.2f} ms ({f['read']['calamine_cpu_ms']:.2f} CPU)",
        ),
        Row(
            "spmon's reader, a file (guard, names, values)",
            "",
            lambda f: f"{f['read']['spmon_read_ms']:.2f} ms",
        ),
    ]
    timed = [("fixed cost of a run", "fixed_cost", 3), ("empty drop folder", "empty_run", 2)]
    timed.append(("2,000 already-ingested files", "seen_again", 2))
    for database, label in (("sqlite", "SQLite"), ("postgres", "PostgreSQL")):
        rows += [
            Row(
                f"ingestion a file, {label}",
                "",
                _ingest(database, "ingest_ms_per_file", "ingest_cpu_ms_per_file", "ms"),
            ),
            Row(
                f"ingestion / calamine read, {label}",
                "<= 2x",
                _shown_ratio(database),
                _at_most(_ratio(database), 2),
            ),
        ]
        rows += [
            Row(
                f"{name}, {label}",
                f"< {limit} s",
                _ingest(database, f"{key}_s", f"{key}_cpu_s", "s"),
                _below(database, f"{key}_s", limit),
            )
            for name, key, limit in timed
        ]
        rows += [
            Row(
                f"peak memory, ingestion of every file, {label}",
                "< 1 GB",
                _megabytes(database),
                _below(database, "peak_mb", 1024),
            ),
        ]
    return [
        *rows,
        Row("quarterly reports", "< 30 s", _report("quarterly"), lambda f: f["quarterly"]["seconds"] < 30),
        Row("monthly reports", "< 10 s", _report("monthly"), lambda f: f["monthly"]["seconds"] < 10),
        Row(
            "peak memory, reports (this process and its workers)",
            "< 1 GB",
            lambda f: f"{f['reports_peak_mb']:.0f} MB" if "reports_peak_mb" in f else None,
            lambda f: f["reports_peak_mb"] < 1024,
        ),
        Row(
            "Contracts Update of a past month, from the data",
            "< 10 s",
            _report("history"),
            lambda f: f["history"]["seconds"] < 10,
        ),
    ]


def markdown_table(by_size: dict[int, Figures]) -> tuple[str, bool]:
    """The table, and whether every target is met at every size measured."""
    sizes = sorted(by_size)
    lines = [
        "| figure | " + " | ".join(f"{size:,} services" for size in sizes) + " | target |",
        "|---" * (len(sizes) + 2) + "|",
    ]
    all_met = True
    for row in _rows():
        cells = []
        for size in sizes:
            shown = row.shown(by_size[size]) if _has(by_size[size], row) else None
            if shown is None:
                cells.append("")
                continue
            met = row.met(by_size[size]) if row.met else None
            all_met = all_met and met is not False
            cells.append(shown + ("" if met is None else (" ✓" if met else " **✗**")))
        if any(cells):
            lines.append(f"| {row.name} | " + " | ".join(cells) + f" | {row.target} |")
    return "\n".join(lines), all_met


def _has(figures: Figures, row: Row) -> bool:
    try:
        return row.shown(figures) is not None
    except KeyError:
        return False
