"""Fuzz seeds: valid PI and QAF workbooks made with the project's own code.

They are saved with fixed times so their bytes never change; the zip helpers
here re-pack them the same way after a mutation.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from data_contracts.qaf_workbook import EVIDENCE_HEADER, OBJECTIVES, claimed_cell_name
from spmon.sample_data import demo_contracts, demo_programme, fill_quarter, good_quarter_values
from tasks.pi.issue import build_pi_workbook
from tasks.qaf.issue import build_qaf_workbook

YEAR = "2025/26"
FIXED_TIME = (2025, 7, 1, 9, 0, 0)
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


# Seeds: the project's own valid workbooks, with fixed times so their bytes never change.


@lru_cache(maxsize=1)
def seed_workbooks() -> tuple[tuple[str, bytes], ...]:
    """Valid workbooks: PI returns (one quarter, four quarters, blank as issued) and QAF returns."""
    contracts = demo_contracts(YEAR, count=3, seed=5)
    year_settings = demo_programme([YEAR]).year(YEAR)
    seeds = []
    for number, quarters in enumerate((("Q1",), ("Q1", "Q2", "Q3", "Q4"), ())):
        contract = contracts[number]
        workbook = build_pi_workbook(contract, year_settings)
        for quarter in quarters:
            fill_quarter(workbook, quarter, good_quarter_values(contract, quarter, seed=number))
        seeds.append((f"pi-{len(quarters)}q", _saved(workbook)))
    for form_services in (contracts, contracts[:1]):
        first = form_services[0]
        workbook = build_qaf_workbook(
            first.provider_id, first.provider_name, list(form_services), YEAR, year_settings
        )
        _fill_qaf(workbook)
        seeds.append((f"qaf-{len(form_services)}s", _saved(workbook)))
    return tuple(seeds)


def _fill_qaf(workbook: Workbook) -> None:
    """Claims and evidence as a provider fills them: grade C everywhere, three-word evidence on every row."""
    for objective in OBJECTIVES:
        if objective.code in workbook.sheetnames:
            _named_cell(workbook, claimed_cell_name(objective.code)).value = "C"
            _write_evidence(workbook[objective.code])
    _named_cell(workbook, "qaf_completed_by").value = "A Provider Officer"
    _named_cell(workbook, "qaf_date_completed").value = datetime(2026, 1, 10, tzinfo=UTC).date()


def _named_cell(workbook: Workbook, name: str) -> Cell:
    sheet, coordinate = next(iter(workbook.defined_names[name].destinations))
    cell = workbook[sheet][coordinate.replace("$", "")]
    assert isinstance(cell, Cell)
    return cell


def _write_evidence(sheet: Worksheet) -> None:
    rows = list(sheet.iter_rows())
    header = next(i for i, row in enumerate(rows) if EVIDENCE_HEADER in [cell.value for cell in row])
    column = [cell.value for cell in rows[header]].index(EVIDENCE_HEADER)
    for number, row in enumerate(rows[header + 1 :]):
        row[column].value = f"Policy reviewed in month {number % 12 + 1}"


def _saved(workbook: Workbook) -> bytes:
    workbook.properties.created = workbook.properties.modified = datetime(2025, 7, 1, 9)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "seed.xlsx"
        workbook.save(path)
        return normalised_zip(path.read_bytes())


def normalised_zip(data: bytes) -> bytes:
    """The same parts re-packed with fixed times, so equal content gives equal bytes."""
    parts = read_parts(data)
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = _CORE_TIMES.sub(
            rb"\g<1>2025-07-01T09:00:00Z\g<2>", parts["docProps/core.xml"]
        )
    return zip_parts(parts)


def read_parts(data: bytes) -> dict[str, bytes]:
    """Every part of a valid zip, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zip_parts(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Parts packed as a zip with fixed times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, body in parts.items():
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), body, compress_type=method)
    return buffer.getvalue()
