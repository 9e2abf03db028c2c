"""The read floor: what calamine alone takes to read the very files an ingestion run takes.

The bare read opens each workbook from its path and loads every sheet as
values (``python_calamine``, nothing of spmon's), best of ``repeats``. spmon's
own reading (the guard, defined names and every value of every page, in its
reader process) is timed over the same files for comparison, and tells how
many of them are stakeholder questionnaires (the rest PI workbooks).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import python_calamine

from foundation.settings import Settings
from tasks.intake.drop_folder import settled_files
from tasks.intake.reading import read_drop_files


def best_of(repeats: int, work: Callable[[], object]) -> tuple[float, float]:
    """The fewest wall seconds of ``repeats`` calls, and that call's CPU seconds (this process)."""
    best = (float("inf"), 0.0)
    for _ in range(repeats):
        started, cpu = time.perf_counter(), time.process_time()
        work()
        best = min(best, (time.perf_counter() - started, time.process_time() - cpu))
    return best


def calamine_read(paths: Sequence[Path]) -> None:
    """Every sheet of every workbook, as values, by calamine alone."""
    for path in paths:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python()


def spmon_read(folder: Path) -> Counter[str]:
    """Spmon's reading of a folder's files (one reader process), as an ingestion run's read step does.

    The files of each kind read (``pi``, ``qaf``, ``questionnaire``); every one must be readable.
    """
    settings = Settings()
    files = settled_files(folder, 0)
    read = read_drop_files(files, settings.max_file_bytes, settings.max_unzipped_bytes)
    unreadable = [r.message for r in read if r.kind not in ("pi", "qaf", "questionnaire")]
    if unreadable:
        raise SystemExit(f"the bench's files should all be readable: {unreadable[:3]}")
    return Counter(r.kind for r in read)


def read_floor(folder: Path, repeats: int = 2) -> dict[str, float]:
    """Milliseconds a file: calamine alone (wall and CPU), and spmon's reader, over the folder's workbooks.

    With the number of files, and of questionnaires among them.
    """
    paths = sorted(folder.glob("*.xlsx"))
    bare_wall, bare_cpu = best_of(repeats, lambda: calamine_read(paths))
    kinds: Counter[str] = Counter()
    ours_wall, _ = best_of(repeats, lambda: kinds.update(spmon_read(folder)))  # CPU: the reader process
    count = len(paths)
    return {
        "files": count,
        "questionnaires": kinds["questionnaire"] // repeats,
        "calamine_ms": bare_wall / count * 1000,
        "calamine_cpu_ms": bare_cpu / count * 1000,
        "spmon_read_ms": ours_wall / count * 1000,
    }
