"""Taking drop files in: read them safely, tell PI from QAF, set aside what was seen before."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from spmon.programme import Programme
from tasks.drop_folder import DropFile, sha256_of
from tasks.pi_judge import missing_years
from tasks.pi_read import PiWorkbookContent, is_qaf_workbook, read_pi_workbook
from tasks.qaf_judge import missing_qaf_years
from tasks.qaf_read import QafContent, read_qaf_workbook
from tasks.workbook_reader import UnreadableWorkbook, read_workbook

PI, QAF, UNREADABLE = "pi", "qaf", "unreadable"


@dataclass
class ReadFile:
    """A drop file after reading: its content hash, its kind, and what it holds."""

    drop: DropFile
    sha256: str
    kind: str  # pi, qaf or unreadable
    message: str = ""
    pi: PiWorkbookContent | None = None
    qaf: QafContent | None = None


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
        if is_qaf_workbook(workbook):
            return ReadFile(drop, sha256, QAF, qaf=read_qaf_workbook(workbook))
        return ReadFile(drop, sha256, PI, pi=read_pi_workbook(workbook))
    except UnreadableWorkbook as error:
        return ReadFile(drop, sha256, UNREADABLE, f"{drop.name}: {error}")


def read_drop_files(files: list[DropFile], max_file_bytes: int, max_unzipped_bytes: int) -> list[ReadFile]:
    """Read a batch of files, in order."""
    return [read_drop_file(drop, max_file_bytes, max_unzipped_bytes) for drop in files]


def programme_problems(read_files: list[ReadFile], programme: Programme) -> dict[str, str]:
    """Files that name a year the programme file lacks: file name -> message. They stay in the drop folder."""
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
