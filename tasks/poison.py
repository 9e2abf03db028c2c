"""Poison pills: a file that a run died reading is recognised by the next run.

Before a file is read, a small mark naming it (its path, size and modification
time) is written to a folder beside the quarantine (``<quarantine>/.reading/``),
and removed when the read returns. The reader process contains what a file can
do to it, so a mark is only left behind when the whole run died while reading
(killed by the system or by an operator). The next run that takes the same file
finds the mark and reads that file first, alone, in its own reader process; a
file whose mark shows it was already read that way when a run died is not read
again but quarantined: ``the file stopped the reader``.

Reading again rather than quarantining at once keeps the promise that a run
stopped at any point and run again leaves what one clean run leaves: a file that
was being read when an operator stopped the run is read as normal next time.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from tasks.drop_folder import DropFile

R = TypeVar("R")
_SUFFIX = ".json"


@dataclass(frozen=True)
class ReadingMarks:
    """The folder of marks of files being read."""

    folder: Path

    def path_of(self, drop: DropFile) -> Path:
        """Where the mark of this file (this path, size and time) is kept."""
        key = f"{drop.path.absolute()}\0{drop.size}\0{drop.mtime_ns}".encode()
        return self.folder / (hashlib.sha256(key).hexdigest()[:32] + _SUFFIX)

    def left_behind(self, files: Iterable[DropFile]) -> dict[DropFile, int]:
        """The files that have a mark from an earlier read, with how many reads of each were begun."""
        try:
            present = {entry.name for entry in os.scandir(self.folder)}
        except FileNotFoundError:
            return {}
        marked = {}
        for drop in files:
            path = self.path_of(drop)
            if path.name in present:
                marked[drop] = _attempts(path)
        return marked

    def begin(self, drop: DropFile, attempt: int = 1) -> None:
        """Note that reading this file begins (its ``attempt``-th read)."""
        record = {"name": drop.name, "path": str(drop.path), "size": drop.size, "attempt": attempt}
        path = self.path_of(drop)
        try:
            path.write_text(json.dumps(record), encoding="utf-8")
        except FileNotFoundError:
            self.folder.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(record), encoding="utf-8")

    def end(self, drop: DropFile) -> None:
        """Reading this file is over: its outcome is known."""
        self.path_of(drop).unlink(missing_ok=True)


def _attempts(path: Path) -> int:
    try:
        return int(json.loads(path.read_text(encoding="utf-8"))["attempt"])
    except (OSError, ValueError, KeyError, TypeError):
        return 1  # a mark cut short when the run died: one read was begun


def read_marked(
    drop: DropFile, marks: ReadingMarks, read_one: Callable[[DropFile], R], attempt: int = 1
) -> R:
    """``read_one(drop)`` with its mark on disk while it runs."""
    marks.begin(drop, attempt)
    result = read_one(drop)
    marks.end(drop)
    return result
