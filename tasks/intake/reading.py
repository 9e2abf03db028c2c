"""Taking drop files in: read them safely, tell PI, QAF and questionnaires apart, set aside files seen before.

A batch is read in a reader process (``tasks/intake/reader_process.py``) that logs
the file it is reading (``tasks/intake/poison.py``): whatever a file does to
the reader, even killing it, makes that file ``unreadable``, never the run
fail. This module is imported by that process, so it imports only what reading
needs (the judges are imported where they are used).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from tasks.feedback.questionnaire_read import (
    QUESTIONNAIRE,
    QuestionnaireAnswers,
    is_questionnaire,
    read_questionnaire,
)
from tasks.intake.drop_folder import DropFile, sha256_of
from tasks.intake.poison import Mark, ReadingMarks, read_logged
from tasks.intake.reader_process import ReaderLimits, Stopped, run_contained
from tasks.intake.workbook_reader import UnreadableWorkbook, read_workbook
from tasks.pi.read import PiWorkbookContent, is_qaf_workbook, read_pi_workbook
from tasks.qaf.read import QafContent, read_qaf_workbook

if TYPE_CHECKING:
    from foundation.programme import Programme

PI, QAF, UNREADABLE = "pi", "qaf", "unreadable"  # and QUESTIONNAIRE
STOPPED_READER = "the file stopped the reader"
READER_LIMITS = ReaderLimits()
_MARKS_FOLDER = ".reading"


@dataclass
class ReadFile:
    """A drop file after reading: its content hash, its kind, and what it holds."""

    drop: DropFile
    sha256: str
    kind: str  # pi, qaf, questionnaire or unreadable
    message: str = ""
    pi: PiWorkbookContent | None = None
    qaf: QafContent | None = None
    questionnaire: QuestionnaireAnswers | None = None


def marks_folder(quarantine: Path) -> Path:
    """Where the readers' logs of the files being read are kept: a hidden folder in the quarantine."""
    return quarantine / _MARKS_FOLDER


def _sha256_streamed(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_drop_file(drop: DropFile, max_file_bytes: int, max_unzipped_bytes: int) -> ReadFile:
    """Read one file; whatever is wrong with it makes it unreadable, never an exception."""
    if drop.size > max_file_bytes:
        message = f"{drop.name}: the file is {drop.size / 1048576:.1f} MB, over the limit of "
        message += f"{max_file_bytes / 1048576:.0f} MB"
        return ReadFile(drop, _sha256_streamed(drop.path), UNREADABLE, message)
    data = drop.path.read_bytes()
    sha256 = sha256_of(data)
    try:
        workbook = read_workbook(data, max_unzipped_bytes)
        if is_questionnaire(workbook):
            return ReadFile(drop, sha256, QUESTIONNAIRE, questionnaire=read_questionnaire(workbook))
        if is_qaf_workbook(workbook):
            return ReadFile(drop, sha256, QAF, qaf=read_qaf_workbook(workbook))
        return ReadFile(drop, sha256, PI, pi=read_pi_workbook(workbook))
    except UnreadableWorkbook as error:
        return ReadFile(drop, sha256, UNREADABLE, f"{drop.name}: {error}")
    except Exception as error:  # noqa: BLE001 - a reader's fault on one file is that file's outcome
        message = f"{drop.name}: the reader failed on it ({_described(error)})"
        return ReadFile(drop, sha256, UNREADABLE, message)


def _described(error: BaseException) -> str:
    text = str(error)[:200]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def read_drop_files(
    files: list[DropFile],
    max_file_bytes: int,
    max_unzipped_bytes: int,
    marks_dir: Path | None = None,
    limits: ReaderLimits = READER_LIMITS,
) -> list[ReadFile]:
    """Read a batch of files, in order, in a reader process that no file can take the run down with.

    With ``marks_dir``, the reader keeps a log there of the file it is reading;
    files named by logs of runs that died are read first, alone, or quarantined
    when they already stopped such a read (``tasks/intake/poison.py``).
    """
    read_one = partial(read_drop_file, max_file_bytes=max_file_bytes, max_unzipped_bytes=max_unzipped_bytes)
    if marks_dir is None:
        outcomes = dict(zip(files, run_contained(files, read_one, limits), strict=True))
        return [_read_file(drop, outcomes[drop]) for drop in files]
    marks = ReadingMarks(marks_dir)
    earlier = marks.left_behind(files)
    outcomes = {drop: _read_suspect(drop, mark, read_one, marks, limits) for drop, mark in earlier.items()}
    rest = [drop for drop in files if drop not in outcomes]
    log = marks.new_log()
    try:
        logged = partial(read_logged, log=log, read_one=read_one)
        outcomes.update(zip(rest, run_contained(rest, logged, limits), strict=True))
    finally:
        log.remove()  # only a run that dies leaves its log behind
    return [_read_file(drop, outcomes[drop]) for drop in files]


def _read_suspect(
    drop: DropFile,
    mark: Mark,
    read_one: Callable[[DropFile], ReadFile],
    marks: ReadingMarks,
    limits: ReaderLimits,
) -> ReadFile | Stopped:
    """A file a run died reading: read alone once more, unless it already stopped such a second read."""
    if mark.attempt >= 2:
        outcome: ReadFile | Stopped = Stopped("a run died while reading it, twice")
    else:
        log = marks.new_log(attempt=mark.attempt + 1)
        try:
            [outcome] = run_contained([drop], partial(read_logged, log=log, read_one=read_one), limits)
        finally:
            log.remove()
    mark.remove()
    return outcome


def _read_file(drop: DropFile, outcome: ReadFile | Stopped) -> ReadFile:
    """A read file, or an unreadable one for a file that stopped the reader."""
    if not isinstance(outcome, Stopped):
        return outcome
    message = f"{drop.name}: {STOPPED_READER} ({outcome.why})"
    return ReadFile(drop, _sha256_streamed(drop.path), UNREADABLE, message)


def programme_problems(read_files: list[ReadFile], programme: Programme) -> dict[str, str]:
    """Files that name a year the programme file lacks: file name -> message. They stay in the drop folder."""
    from tasks.pi.judge import missing_years  # noqa: PLC0415 - heavy (pandas); the reader process never needs it
    from tasks.qaf.judge import missing_qaf_years  # noqa: PLC0415

    problems = {}
    for read in read_files:
        if read.pi is not None:
            years = missing_years(read.pi, programme)
        elif read.qaf is not None:
            years = missing_qaf_years([read.qaf], programme)
        else:
            continue
        if years:
            keys = ", ".join(f'[years."{year}"]' for year in sorted(years))
            problems[read.drop.name] = f"{read.drop.name}: the programme file has no {keys} section"
    return problems
