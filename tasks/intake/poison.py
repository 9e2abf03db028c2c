"""Poison pills: a file that a run died reading is recognised by the next run.

Each reader process keeps a small log in a folder beside the quarantine
(``<quarantine>/.reading/``): before it reads a file it overwrites the log with
that file's path, size and modification time (one ``pwrite``, no new file, so
it costs microseconds); the run removes the log once the batch is read. The
reader process contains what a file can do to it, so a log is only left behind
when the whole run died while reading (killed by the system or an operator),
and it then names the file being read.

The next run that takes that file reads it first, alone, in its own reader
process (its log says it is a second attempt). A file named by a log of such a
second attempt is not read again but quarantined: ``the file stopped the
reader``. Reading again rather than quarantining at once keeps the promise
that a run stopped at any point and run again leaves what one clean run leaves:
a file being read when an operator stopped the run is read as normal next time.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tasks.intake.drop_folder import DropFile

R = TypeVar("R")
_SUFFIX = ".reading"
_RECORD_BYTES = 4096  # a path, a size, a time and an attempt, padded so every write covers the last


def file_key(drop: DropFile) -> str:
    """What identifies a file across runs: its path, size and modification time."""
    return hashlib.sha256(f"{drop.path.absolute()}\0{drop.size}\0{drop.mtime_ns}".encode()).hexdigest()


@dataclass(frozen=True)
class Mark:
    """A log left behind by a run that died: the file it names and which attempt at it that was."""

    log: Path
    attempt: int

    def remove(self) -> None:
        """The file's outcome is known: the log is done with."""
        self.log.unlink(missing_ok=True)


@dataclass
class ReadingLog:
    """One reader's log: the file it is reading now. Crosses into the reader process without its handle."""

    path: Path
    attempt: int = 1
    _fd: int | None = field(default=None, repr=False, compare=False)

    def note(self, drop: DropFile) -> None:
        """Reading ``drop`` begins."""
        record = {"key": file_key(drop), "name": drop.name, "attempt": self.attempt}
        os.pwrite(self._handle(), json.dumps(record).encode().ljust(_RECORD_BYTES), 0)

    def remove(self) -> None:
        """The batch is read: nothing to recognise."""
        self.path.unlink(missing_ok=True)

    def _handle(self) -> int:
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o644)
        return self._fd

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "attempt": self.attempt, "_fd": None}


@dataclass(frozen=True)
class ReadingMarks:
    """The folder of reader logs."""

    folder: Path

    def new_log(self, attempt: int = 1) -> ReadingLog:
        """A log for one batch (or one file read again)."""
        return ReadingLog(self.folder / f"{uuid.uuid4().hex}{_SUFFIX}", attempt)

    def left_behind(self, files: Iterable[DropFile]) -> dict[DropFile, Mark]:
        """The files named by logs that dying runs left behind, with those logs."""
        marks = self._marks()
        return {drop: marks[key] for drop in files if (key := file_key(drop)) in marks}

    def _marks(self) -> dict[str, Mark]:
        try:
            logs = [Path(entry.path) for entry in os.scandir(self.folder) if entry.name.endswith(_SUFFIX)]
        except FileNotFoundError:
            return {}
        marks: dict[str, Mark] = {}
        for log in logs:
            record = _record(log)
            if record is not None:
                key, attempt = record
                if attempt >= marks.get(key, Mark(log, 0)).attempt:
                    marks[key] = Mark(log, attempt)
        return marks

    def leave(self, drop: DropFile, attempt: int = 1) -> ReadingLog:
        """The log a run leaves when it dies while reading ``drop`` (for tests and drills)."""
        log = self.new_log(attempt)
        log.note(drop)
        return log


def _record(log: Path) -> tuple[str, int] | None:
    try:
        record = json.loads(log.read_bytes().strip() or b"null")
        return str(record["key"]), int(record["attempt"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # an empty log (the run died before its first file) names nothing


def read_logged(drop: DropFile, log: ReadingLog, read_one: Callable[[DropFile], R]) -> R:
    """``read_one(drop)`` with ``drop`` noted in the log while it runs."""
    log.note(drop)
    return read_one(drop)
