"""Hostile and broken files never stop a run: the checks before calamine, the reader process, poison pills.

The cases are those an independent fuzz campaign found to crash the run or
kill the process: zip-level damage, encryption flags, zip versions, unknown
compression methods, and cells far away that make calamine allocate gigabytes.
"""

from __future__ import annotations

import io
import os
import signal
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from tasks.intake import reading as intake
from tasks.intake.drop_folder import DropFile
from tasks.intake.poison import ReadingMarks
from tasks.intake.reader_process import ReaderLimits, Stopped, run_contained
from tasks.intake.reading import PI, QAF, STOPPED_READER, UNREADABLE, ReadFile, read_drop_files
from tasks.intake.workbook_guard import MAX_COLUMNS, MAX_ROWS
from tasks.intake.workbook_reader import UnreadableWorkbook, read_workbook

MB = 1024 * 1024
LIMIT = 200 * MB
ROOT = Path(__file__).resolve().parents[3]
FAST = ReaderLimits(seconds_per_item=5, start_seconds=120)


def workbook_bytes(cells: dict[str, object] | None = None, sheet: str = "Q1") -> bytes:
    book = openpyxl.Workbook()
    page = book.active
    assert page is not None
    page.title = sheet
    for ref, value in (cells or {"A3": "Unit numbers this quarter", "B3": 12}).items():
        page[ref] = value  # type: ignore[index]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def edited(part: str, edit: Callable[[bytes], bytes], data: bytes | None = None) -> bytes:
    parts = parts_of(data or workbook_bytes())
    parts[part] = edit(parts[part])
    return zipped(parts)


def with_header_field(data: bytes, member: str, central: int, local: int, fmt: str, value: int) -> bytes:
    """Set a field of one member's central directory entry and local header."""
    out = bytearray(data)
    name = member.encode()
    for signature, offset, name_at in ((b"PK\x01\x02", central, 46), (b"PK\x03\x04", local, 30)):
        start = 0
        while (start := out.find(signature, start)) >= 0:
            if out[start + name_at : start + name_at + len(name)] == name:
                struct.pack_into(fmt, out, start + offset, value)
            start += 4
    return bytes(out)


def sheet_with_row(row: str) -> bytes:
    return edited("xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", row + b"</sheetData>"))


def damaged_deflate(data: bytes, member: str) -> bytes:
    """Garbage in the middle of one member's compressed data."""
    out = bytearray(data)
    start = out.find(b"PK\x03\x04")
    while start >= 0:
        name_length, extra_length = struct.unpack_from("<HH", out, start + 26)
        if out[start + 30 : start + 30 + name_length] == member.encode():
            body = start + 30 + name_length + extra_length
            out[body + 2 : body + 12] = b"\xff" * 10
            return bytes(out)
        start = out.find(b"PK\x03\x04", start + 4)
    raise AssertionError(member)


# --- the checks before calamine --------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (with_header_field(workbook_bytes(), "xl/workbook.xml", 6, 4, "<H", 255), "zip file version 25.5"),
        (
            with_header_field(workbook_bytes(), "xl/styles.xml", 10, 8, "<H", 14),
            "compression method Excel does",
        ),
        (
            with_header_field(workbook_bytes(), "xl/styles.xml", 10, 8, "<H", 99),
            "compression method Excel does",
        ),
        (with_header_field(workbook_bytes(), "xl/workbook.xml", 8, 6, "<H", 1), "workbook.xml is encrypted"),
        (damaged_deflate(workbook_bytes(), "xl/workbook.xml"), "workbook.xml is damaged"),
        (damaged_deflate(workbook_bytes(), "xl/worksheets/sheet1.xml"), "sheet1.xml is damaged"),
    ],
    ids=["zip-version-25.5", "lzma", "aes-method", "encrypted-entry", "deflate-index", "deflate-sheet"],
)
def test_zip_level_damage_is_unreadable(data: bytes, why: str) -> None:
    with pytest.raises(UnreadableWorkbook, match=why):
        read_workbook(data, LIMIT)


@pytest.mark.parametrize("far", ["A99999999", "ZZ100000", "XFD1048576", "a5001", "CW1", "$A$5001"])
def test_a_cell_far_away_is_unreadable_before_calamine_sees_it(far: str) -> None:
    data = edited("xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'r="B3"', f'r="{far}"'.encode()))
    with pytest.raises(
        UnreadableWorkbook, match=f"a cell at {far.replace('$', '[$]')}, beyond the 5,000 rows"
    ):
        read_workbook(data, LIMIT)


@pytest.mark.parametrize(
    "row",
    [
        b'<row r="99999999"><c><v>1</v></c></row>',
        b"<row r = '1048576'><c><v>1</v></c></row>",
        b'<x:row r="6000000"><x:c r="A6000000"><x:v>1</x:v></x:c></x:row>',
        b'<row r="7"><c r="&#65;9999999"><v>1</v></c></row>',
    ],
    ids=["row", "spaced-single-quoted", "prefixed", "character-reference"],
)
def test_rows_far_away_in_any_spelling_are_unreadable(row: bytes) -> None:
    with pytest.raises(UnreadableWorkbook, match="beyond the 5,000 rows|malformed cell reference"):
        read_workbook(sheet_with_row(row), LIMIT)


def test_the_largest_allowed_sheet_reads() -> None:
    corner = f"{openpyxl.utils.get_column_letter(MAX_COLUMNS)}{MAX_ROWS}"
    book = read_workbook(workbook_bytes({"A1": "x", corner: 7}), LIMIT)
    assert book.grid("Q1")[MAX_ROWS - 1][MAX_COLUMNS - 1] == 7


@pytest.mark.parametrize("ref", ["A1:XFD1048576", "A1:AMJ1048576", "B2"])
def test_wide_dimensions_as_spreadsheet_programs_write_them_read(ref: str) -> None:
    data = edited(
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<dimension ref="A3:B3"', f'<dimension ref="{ref}"'.encode()),
    )
    assert read_workbook(data, LIMIT).find("q1_units", "Q1", "Unit numbers this quarter").value == 12


@pytest.mark.parametrize("ref", ["A99999999", "A1:XFE1", "nonsense"])
def test_impossible_dimensions_are_unreadable(ref: str) -> None:
    data = edited(
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<dimension ref="A3:B3"', f'<dimension ref="{ref}"'.encode()),
    )
    with pytest.raises(UnreadableWorkbook, match="impossible sheet size"):
        read_workbook(data, LIMIT)


def shared_strings_workbook(count: int) -> bytes:
    parts = parts_of(workbook_bytes())
    parts["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        b"<si><t>hello</t></si></sst>" % (count, count)
    )
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    return zipped(parts)


def test_a_shared_strings_table_announcing_billions_of_texts_is_unreadable() -> None:
    """calamine reserves room for every announced text: 4,294,967,295 of them abort the process."""
    with pytest.raises(UnreadableWorkbook, match="announces 4,294,967,295 texts"):
        read_workbook(shared_strings_workbook(4294967295), LIMIT)
    assert read_workbook(shared_strings_workbook(1), LIMIT).sheet_names == ["Q1"]


def test_a_sheet_whose_part_is_missing_says_so() -> None:
    parts = parts_of(workbook_bytes())
    del parts["xl/worksheets/sheet1.xml"]
    book = read_workbook(zipped(parts), LIMIT)
    with pytest.raises(
        UnreadableWorkbook, match="sheet 'Q1' cannot be read: the workbook lists it but its part"
    ):
        book.grid("Q1")


def test_a_duplicated_part_is_unreadable() -> None:
    data = workbook_bytes()
    buffer = io.BytesIO(data)
    with pytest.warns(UserWarning), zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet/>")
    with pytest.raises(UnreadableWorkbook, match="lists a part twice"):
        read_workbook(buffer.getvalue(), LIMIT)


# --- the reader process ------------------------------------------------------------------------

# Readers put in place of ``tasks.intake.reading.read_drop_file``; module-level, so the reader process can import them.


def aborting_reader(drop: DropFile, max_file_bytes: int, max_unzipped_bytes: int) -> ReadFile:
    """A native abort on files named ``abort*``, as calamine does when an allocation fails."""
    if drop.name.startswith("abort"):
        os.abort()
    return real_read(drop, max_file_bytes, max_unzipped_bytes)


def hanging_reader(drop: DropFile, max_file_bytes: int, max_unzipped_bytes: int) -> ReadFile:
    if drop.name.startswith("hang"):
        time.sleep(600)
    return real_read(drop, max_file_bytes, max_unzipped_bytes)


def greedy_reader(drop: DropFile, max_file_bytes: int, max_unzipped_bytes: int) -> ReadFile:
    if drop.name.startswith("greedy"):
        bytearray(4 * 1024 * MB)
    return real_read(drop, max_file_bytes, max_unzipped_bytes)


def once_aborting_reader(drop: DropFile, max_file_bytes: int, max_unzipped_bytes: int) -> ReadFile:
    """Aborts the first time only (a death that was not the file's fault)."""
    flag = drop.path.with_name(drop.name + ".seen")
    if drop.name.startswith("abort") and not flag.exists():
        flag.write_text("x")
        os.abort()
    return real_read(drop, max_file_bytes, max_unzipped_bytes)


def run_killing_reader(drop: DropFile, max_file_bytes: int, max_unzipped_bytes: int) -> ReadFile:
    """Kills the whole run (its process group) on files named ``abort*``, as the system's OOM killer may."""
    if drop.name.startswith("abort"):
        os.killpg(os.getpgrp(), signal.SIGKILL)
    return real_read(drop, max_file_bytes, max_unzipped_bytes)


real_read = intake.read_drop_file


def drop_files(folder: Path, names: list[str]) -> list[DropFile]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for number, name in enumerate(names):
        path = folder / name
        path.write_bytes(workbook_bytes({"A3": "Unit numbers this quarter", "B3": number}))
        stat = path.stat()
        files.append(DropFile(path, stat.st_size, stat.st_mtime_ns))
    return files


def units(read: ReadFile) -> object:
    assert read.pi is not None, read.message
    return read.pi.quarter_pages[0].cells["units"]


def test_a_native_abort_makes_only_that_file_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "read_drop_file", aborting_reader)
    files = drop_files(tmp_path, ["a.xlsx", "abort.xlsx", "b.xlsx", "c.xlsx"])
    read = read_drop_files(files, 20 * MB, LIMIT, limits=FAST)
    assert [r.kind for r in read] == [PI, UNREADABLE, PI, PI]
    assert [units(read[i]) for i in (0, 2, 3)] == [0, 2, 3]
    assert read[1].message.startswith(f"abort.xlsx: {STOPPED_READER} (the reader aborted on it")
    assert "SIGABRT" in read[1].message
    assert read[1].sha256 == intake.sha256_of(files[1].path.read_bytes())


def test_a_file_that_hangs_the_reader_is_stopped_after_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "read_drop_file", hanging_reader)
    files = drop_files(tmp_path, ["a.xlsx", "hang.xlsx", "b.xlsx"])
    started = time.monotonic()
    read = read_drop_files(files, 20 * MB, LIMIT, limits=ReaderLimits(seconds_per_item=1))
    assert [r.kind for r in read] == [PI, UNREADABLE, PI]
    assert "reading it took more than 1 seconds" in read[1].message
    assert time.monotonic() - started < 30


def test_a_file_that_needs_too_much_memory_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "read_drop_file", greedy_reader)
    read = read_drop_files(drop_files(tmp_path, ["greedy.xlsx", "a.xlsx"]), 20 * MB, LIMIT, limits=FAST)
    assert [r.kind for r in read] == [UNREADABLE, PI]
    assert "needed more than 512 MB of memory" in read[0].message


def test_a_death_that_was_not_the_files_fault_is_not_blamed_on_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "read_drop_file", once_aborting_reader)
    read = read_drop_files(
        drop_files(tmp_path, ["a.xlsx", "abort.xlsx", "b.xlsx"]), 20 * MB, LIMIT, limits=FAST
    )
    assert [r.kind for r in read] == [PI, PI, PI]


def test_rows_without_references_are_counted() -> None:
    """Calamine numbers rows and cells without a reference by counting them."""
    with pytest.raises(UnreadableWorkbook, match="has 5,002 rows"):
        read_workbook(sheet_with_row(b"<row/>" * 5001), LIMIT)
    with pytest.raises(UnreadableWorkbook, match="500,003 cells"):
        read_workbook(sheet_with_row(b"<row>" + b"<c><v>1</v></c>" * 500_001 + b"</row>"), LIMIT)


def test_a_real_workbook_that_makes_calamine_abort_is_contained(tmp_path: Path) -> None:
    """Two million prefixed rows without numbers and a row of 300 cells, which the tag count does not see:
    calamine asks for a grid of 600 million cells and aborts, in the reader process."""
    rows = b"<x:row/>" * 2_000_000 + b"<row>" + b"<c><v>1</v></c>" * 300 + b"</row>"
    path = tmp_path / "calamine.xlsx"
    path.write_bytes(sheet_with_row(rows))
    good = drop_files(tmp_path, ["good.xlsx"])
    stat = path.stat()
    read = read_drop_files(
        [DropFile(path, stat.st_size, stat.st_mtime_ns), *good], 20 * MB, LIMIT, limits=FAST
    )
    assert [r.kind for r in read] == [UNREADABLE, PI]
    assert STOPPED_READER in read[0].message or "the reader failed on it (MemoryError" in read[0].message


def test_a_file_that_vanished_is_a_failure_of_the_run_not_of_the_file(tmp_path: Path) -> None:
    [missing] = drop_files(tmp_path, ["gone.xlsx"])
    missing.path.unlink()
    with pytest.raises(FileNotFoundError):
        read_drop_files([missing], 20 * MB, LIMIT)


def test_run_contained_keeps_order_and_restarts_after_each_death() -> None:
    items = [1, -1, 2, -1, 3]
    assert run_contained(items, abort_on_negative, FAST) == [
        1,
        Stopped(
            "the reader aborted on it (typically it could not get the memory it asked for); signal SIGABRT"
        ),
        2,
        Stopped(
            "the reader aborted on it (typically it could not get the memory it asked for); signal SIGABRT"
        ),
        3,
    ]


def abort_on_negative(item: int) -> int:
    if item < 0:
        os.abort()
    return item


# --- poison pills: a file a whole run died reading ----------------------------------------------


def test_a_file_a_run_died_reading_is_read_again_alone_and_accepted_when_it_reads(tmp_path: Path) -> None:
    """A run stopped while reading (by an operator, say) and run again reads the file as normal."""
    files = drop_files(tmp_path / "drop", ["a.xlsx", "b.xlsx", "c.xlsx"])
    marks = ReadingMarks(tmp_path / "marks")
    marks.leave(files[1])
    read = read_drop_files(files, 20 * MB, LIMIT, marks.folder, FAST)
    assert [r.kind for r in read] == [PI, PI, PI]
    assert not list(marks.folder.iterdir())


def test_a_file_a_run_died_reading_that_stops_the_reader_again_is_quarantined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "read_drop_file", aborting_reader)
    files = drop_files(tmp_path / "drop", ["a.xlsx", "abort.xlsx", "c.xlsx"])
    marks = ReadingMarks(tmp_path / "marks")
    marks.leave(files[1])
    read = read_drop_files(files, 20 * MB, LIMIT, marks.folder, FAST)
    assert [r.kind for r in read] == [PI, UNREADABLE, PI]
    assert STOPPED_READER in read[1].message
    assert not list(marks.folder.iterdir())


def test_a_file_that_already_stopped_a_second_read_is_quarantined_without_reading(tmp_path: Path) -> None:
    files = drop_files(tmp_path / "drop", ["a.xlsx", "b.xlsx"])
    marks = ReadingMarks(tmp_path / "marks")
    marks.leave(files[0], attempt=2)
    read = read_drop_files(files, 20 * MB, LIMIT, marks.folder, FAST)
    assert [r.kind for r in read] == [UNREADABLE, PI]
    assert read[0].message == f"a.xlsx: {STOPPED_READER} (a run died while reading it, twice)"
    assert not list(marks.folder.iterdir())


KILLED_RUN = """
import sys
from pathlib import Path
from tasks.intake import reading as intake
from tasks.intake.drop_folder import settled_files
from tests.tasks.intake import test_reader_hardening as here

if __name__ == "__main__":
    intake.read_drop_file = here.run_killing_reader
    drop, marks = Path(sys.argv[1]), Path(sys.argv[2])
    intake.read_drop_files(settled_files(drop, 0), 20 * 2**20, 200 * 2**20, marks)
"""


@pytest.mark.parametrize("again", ["reads", "aborts"])
def test_a_run_killed_while_reading_a_file_is_followed_by_one_that_goes_through(
    again: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = drop_files(tmp_path / "drop", ["a.xlsx", "abort.xlsx", "c.xlsx"])
    marks = tmp_path / "marks"
    script = tmp_path / "killed_run.py"
    script.write_text(KILLED_RUN, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "drop"), str(marks)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        start_new_session=True,
        capture_output=True,
        timeout=300,
    )
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()[-2000:]
    assert {d: m.attempt for d, m in ReadingMarks(marks).left_behind(files).items()} == {files[1]: 1}

    if again == "aborts":
        monkeypatch.setattr(intake, "read_drop_file", aborting_reader)
    read = read_drop_files(files, 20 * MB, LIMIT, marks, FAST)
    expected = [PI, PI, PI] if again == "reads" else [PI, UNREADABLE, PI]
    assert [r.kind for r in read] == expected
    if again == "aborts":
        assert read[1].message.startswith(f"abort.xlsx: {STOPPED_READER}")
    assert not list(marks.iterdir())


def test_qaf_and_pi_still_read_through_the_reader_process(tmp_path: Path) -> None:
    from tests.tasks.qaf_factory import qaf_workbook

    (tmp_path / "qaf.xlsx").write_bytes(qaf_workbook())
    files = [*drop_files(tmp_path, ["pi.xlsx"])]
    stat = (tmp_path / "qaf.xlsx").stat()
    files.append(DropFile(tmp_path / "qaf.xlsx", stat.st_size, stat.st_mtime_ns))
    read = read_drop_files(files, 20 * MB, LIMIT)
    assert [r.kind for r in read] == [PI, QAF]
    assert read[1].qaf is not None and read[1].qaf.provider_id
