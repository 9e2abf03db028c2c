"""Rendering reports: the same bytes from one or several worker processes, print setup, pack PDFs, settings."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from foundation.errors import BadInput
from foundation.settings import get_settings
from reports.pdf import deterministic, find_chromium
from reports.publish import render_all, report_workers, write_all_atomically
from reports.run import quarterly_reports
from tests.factories.programmes import programme
from tests.factories.sessions import sqlite_session
from tests.reports import scenario


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def test_forked_workers_render_the_same_bytes_in_the_same_order(session: Session) -> None:
    scenario.build(session)
    built = quarterly_reports(session, programme(), "2025/26", "Q2", date(2025, 10, 28))
    reports = [*built.reports, *built.packs]
    alone = render_all(reports, workers=1).files
    forked = render_all(reports, workers=2).files
    assert [[(f.name, f.sha256) for f in files] for files in forked] == [
        [(f.name, f.sha256) for f in files] for files in alone
    ]


def _setenv(monkeypatch: pytest.MonkeyPatch, name: str, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv(name, raising=False)
    else:
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


def test_report_workers_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    _setenv(monkeypatch, "SPMON_REPORT_WORKERS", "1")
    assert report_workers() == 1
    _setenv(monkeypatch, "SPMON_REPORT_WORKERS", "two")
    with pytest.raises(BadInput, match="SPMON_REPORT_WORKERS"):
        report_workers()
    _setenv(monkeypatch, "SPMON_REPORT_WORKERS", None)
    assert 1 <= report_workers() <= 4


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_repeated(session: Session) -> None:
    scenario.build(session)
    built = quarterly_reports(session, programme(), "2025/26", "Q2", date(2025, 10, 28))
    for report in [*built.reports, built.packs[0]]:
        files = render_all([report], workers=1).files[0]
        workbook = load_workbook(io.BytesIO(next(f.content for f in files if f.name.endswith(".xlsx"))))
        for sheet in workbook.worksheets:
            assert sheet.page_setup.orientation == "landscape", sheet.title
            assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
            setup = sheet.sheet_properties.pageSetUpPr
            assert setup is not None and setup.fitToPage
            if sheet.title not in ("Summary", "Headline"):
                assert sheet.print_title_rows == "$1:$1", sheet.title


def test_packs_print_to_the_same_pdf_twice_or_say_why_not(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario.build(session)
    built = quarterly_reports(session, programme(), "2025/26", "Q2", date(2025, 10, 28))
    packs = list(built.packs[:2])
    _setenv(monkeypatch, "SPMON_CHROMIUM", "/nonexistent/chromium")
    missing = render_all(packs, workers=1, pdf_kinds=("pack",))
    assert "Chromium is not installed" in missing.pdf_problem
    assert not any(f.name.endswith(".pdf") for held in missing.files for f in held)
    _setenv(monkeypatch, "SPMON_CHROMIUM", None)
    if find_chromium() is None:
        if os.environ.get("SPMON_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (SPMON_REQUIRE_BROWSER=1)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    first = render_all(packs, workers=2, pdf_kinds=("pack",))
    again = render_all(packs, workers=1, pdf_kinds=("pack",))
    assert first.pdf_problem == ""
    pdfs = [f for held in first.files for f in held if f.name.endswith(".pdf")]
    assert [f.name for f in pdfs] == [f"{p.file_stem}.pdf" for p in packs]
    assert all(f.content.startswith(b"%PDF-") for f in pdfs)
    assert b"/CreationDate (D:20251028000000" in pdfs[0].content
    assert [f.sha256 for held in again.files for f in held] == [
        f.sha256 for held in first.files for f in held
    ]


def test_pdf_dates_and_element_ids_are_rewritten_in_place() -> None:
    raw = b"<</CreationDate (D:20261130161933+00'00') /ID (node00024089) /ID (node00024090) /ID (node00024089)>>"
    fixed = deterministic(raw, date(2025, 10, 28))
    assert len(fixed) == len(raw)
    assert (
        fixed
        == b"<</CreationDate (D:20251028000000+00'00') /ID (node00000000) /ID (node00000001) /ID (node00000000)>>"
    )


def test_files_written_several_at_once_leave_no_temporary_file_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reports.publish as publish_module

    files = [(tmp_path / f"f{n}.html", f"page {n}".encode()) for n in range(20)]
    write_all_atomically(files)
    assert [p.read_bytes() for p, _ in files] == [c for _, c in files]
    real = publish_module.os.replace

    def full_on_the_seventh(source: Any, target: Any) -> None:
        if str(target).endswith("f7.html"):
            raise OSError("disk full")
        real(source, target)

    monkeypatch.setattr(publish_module.os, "replace", full_on_the_seventh)
    with pytest.raises(OSError, match="disk full"):
        write_all_atomically([(p, b"new") for p, _ in files])
    assert (tmp_path / "f7.html").read_bytes() == b"page 7"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
