"""The pieces of ``make bench`` at a tiny size: the files' recipes, the read floor and the table (nothing timed)."""

from __future__ import annotations

from pathlib import Path

from bench.ingest_files import bench_contracts
from bench.read_floor import read_floor
from bench.summary_table import markdown_table
from data_contracts.pi_workbook import NUMERIC_PROVIDER_CELLS
from tasks.intake.drop_folder import settled_files
from tasks.intake.normalise import is_blank
from tasks.intake.reading import read_drop_file
from tasks.pi.rules import required_cells
from tests.bench.conftest import SERVICES


def blank_figures(path: Path) -> list[str]:
    """The required figures left blank on the file's return page."""
    [drop] = [f for f in settled_files(path.parent, 0) if f.path == path]
    read = read_drop_file(drop, 20 * 1024 * 1024, 200 * 1024 * 1024)
    assert read.pi is not None, read.message
    [page] = read.pi.returns
    [contract] = [c for c in bench_contracts(SERVICES) if c.service_id == page.service_id]
    required = set(required_cells(contract)) & set(NUMERIC_PROVIDER_CELLS)
    return [name for name in sorted(required) if is_blank(page.cells.get(name))]


def test_the_files_are_85_percent_clean_10_percent_returned_5_percent_resubmitted(folder: Path) -> None:
    paths = sorted(folder.glob("PI_*.xlsx"))
    incomplete = [path.name for path in paths if blank_figures(path)]
    corrected = [path for path in paths if path.name.endswith("Q1 corrected.xlsx")]
    assert len(paths) == 20
    assert incomplete == ["PI_SV00101_2025-26_V1 Q1.xlsx", "PI_SV00102_2025-26_V1 Q1.xlsx"]
    assert [path.name for path in corrected] == ["PI_SV00101_2025-26_V1 Q1 corrected.xlsx"]
    original = folder / "PI_SV00101_2025-26_V1 Q1.xlsx"
    assert corrected[0].stat().st_mtime > original.stat().st_mtime  # received later: it supersedes


def test_the_read_floor_reads_every_file_both_ways(folder: Path) -> None:
    floor = read_floor(folder, repeats=1)
    assert (floor["files"], floor["questionnaires"]) == (26, 6)
    assert floor["calamine_ms"] > 0
    assert floor["spmon_read_ms"] > 0


def sqlite_figures(ratio: float) -> dict[str, float]:
    return {
        "ingest_ms_per_file": ratio,
        "ingest_cpu_ms_per_file": ratio,
        "fixed_cost_s": 1.0,
        "fixed_cost_cpu_s": 1.0,
        "empty_run_s": 1.0,
        "empty_run_cpu_s": 1.0,
        "seen_again_s": 2.5,
        "seen_again_cpu_s": 1.0,
        "peak_mb": 300.0,
    }


def test_the_table_has_a_column_a_size_and_marks_each_missed_target() -> None:
    read = {"files": 650, "questionnaires": 150, "calamine_ms": 1.0, "calamine_cpu_ms": 1.0}
    read["spmon_read_ms"] = 2.0
    table, all_met = markdown_table(
        {
            250: {"read": read, "sqlite": sqlite_figures(1.5)},
            2500: {"read": read, "sqlite": sqlite_figures(3.0)},
        }
    )
    rows = {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines()}
    assert table.splitlines()[0] == "| figure | 250 services | 2,500 services | target |"
    assert (
        "650 (150 questionnaires)"
        in rows["files in the drop folder (PI workbooks and stakeholder questionnaires)"]
    )
    assert "1.50x CPU (1.50x wall) ✓" in rows["ingestion / calamine read, SQLite"]
    assert "3.00x CPU (3.00x wall) **✗**" in rows["ingestion / calamine read, SQLite"]
    assert rows["2,000 already-ingested files, SQLite"].count("**✗**") == 2
    assert not any("PostgreSQL" in name for name in rows)  # not measured: no row
    assert not all_met
