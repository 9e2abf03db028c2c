"""Reading a QAF workbook (``qaf.md``, The workbook) into plain values.

Summary cells are found by defined name or, failing that, by label. Evidence
is found by requirement ID in the ``Requirement`` column of a table whose
header row (``Requirement`` ... ``Evidence``) may sit on any row of any sheet:
the objective's own sheet is looked at first, then every other sheet, so a
renamed sheet still counts. A missing sheet or row leaves the evidence blank;
nothing here raises for a workbook that calamine can read.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from data_contracts.qaf_workbook import (
    EVIDENCE_HEADER,
    FORMS,
    OBJECTIVES,
    REQUIREMENT_HEADER,
    SUMMARY_CELLS,
    SUMMARY_SHEET,
    requirements,
)
from tasks.intake.normalise import is_blank, read_date, read_text
from tasks.intake.workbook_reader import CellAddress, UnreadableWorkbook, Workbook, normalise_label

_SERVICE_SEPARATORS = re.compile(r"[,;\s]+")
_SPACES = re.compile(r"\s+")
MergedRange = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class QafContent:
    """What a QAF workbook holds: Summary values (raw, by defined name) and evidence by requirement ID."""

    summary: dict[str, Any] = field(default_factory=dict)
    addresses: dict[str, str] = field(default_factory=dict)  # defined name -> "Summary!B12"
    evidence: dict[str, str | None] = field(default_factory=dict)  # requirement ID -> text, None if blank
    evidence_addresses: dict[str, str] = field(default_factory=dict)  # requirement ID -> "C1.3!D5"

    def text(self, name: str) -> str | None:
        """A Summary value as trimmed text; ``None`` when blank."""
        return read_text(self.summary.get(name))

    @property
    def provider_id(self) -> str:
        """The provider ID as typed (trimmed)."""
        return self.text("qaf_provider_id") or ""

    @property
    def year(self) -> str:
        """The year as typed (trimmed), e.g. ``2025/26``."""
        return self.text("qaf_year") or ""

    @property
    def year_code(self) -> str | None:
        """The authority code as typed (trimmed)."""
        return self.text("qaf_year_code")

    @property
    def form(self) -> str:
        """``Full`` or ``Lite`` (any case is accepted); other text as typed; blank when blank."""
        typed = self.text("qaf_form") or ""
        return next((form for form in FORMS if form.casefold() == typed.casefold()), typed)

    @property
    def service_ids(self) -> list[str]:
        """The services covered, split on commas, semicolons and spaces; distinct, sorted."""
        return split_service_ids(self.text("qaf_service_ids"))

    @property
    def claimed(self) -> dict[str, str]:
        """The claimed grade of each objective as typed, trimmed (``B+`` stays ``B+``); ``""`` when blank."""
        return {o.code: self.text(o.claimed_cell) or "" for o in OBJECTIVES}

    def comparable_values(self) -> dict[str, Any]:
        """The provider's values as compared for duplicates: Summary texts and a digest of the evidence."""
        values: dict[str, Any] = {cell.name: self.text(cell.name) for cell in SUMMARY_CELLS}
        values["qaf_service_ids"] = ";".join(self.service_ids)
        values["qaf_form"] = self.form
        try:
            completed = read_date(self.summary.get("qaf_date_completed"))
        except ValueError:
            completed = None
        if completed is not None:
            values["qaf_date_completed"] = completed.isoformat()
        evidence = json.dumps(self.evidence, sort_keys=True, ensure_ascii=False)
        values["evidence_sha256"] = hashlib.sha256(evidence.encode("utf-8")).hexdigest()
        return values


def split_service_ids(text: str | None) -> list[str]:
    """``"SV2, SV1;SV3 SV1"`` -> ``["SV1", "SV2", "SV3"]``."""
    return sorted({part for part in _SERVICE_SEPARATORS.split(text or "") if part})


def _squeezed(text: str) -> str:
    return _SPACES.sub("", text).casefold()


def match_sheet(workbook: Workbook, wanted: str) -> str | None:
    """The actual name of a sheet, matched ignoring case and all spaces (``c1. 3`` is ``C1.3``)."""
    key = _squeezed(wanted)
    return next((name for name in workbook.sheet_names if _squeezed(name) == key), None)


def summary_sheet(workbook: Workbook) -> str | None:
    """The Summary sheet: by name, else where the ``qaf_`` names point, else the first with its labels."""
    by_name = match_sheet(workbook, SUMMARY_SHEET)
    if by_name is not None:
        return by_name
    for name, address in workbook.defined_names.items():
        if name.startswith("qaf_") and address is not None and address.sheet in workbook.sheet_names:
            return address.sheet
    for sheet in workbook.sheet_names:
        if workbook.find_label(sheet, "Provider ID") is not None:
            return sheet
    return None


def read_summary(workbook: Workbook, content: QafContent) -> None:
    """Every Summary cell's raw value and where it was found."""
    sheet = summary_sheet(workbook)
    for cell in SUMMARY_CELLS:
        found = workbook.find(cell.name, sheet, cell.label)
        content.summary[cell.name] = found.value
        if found.address is not None:
            content.addresses[cell.name] = str(found.address)


def _header_columns(row: list[Any]) -> tuple[int, int] | None:
    """The Requirement and Evidence columns when ``row`` is a table header."""
    labels = [normalise_label(value) if isinstance(value, str) else "" for value in row]
    wanted = (normalise_label(REQUIREMENT_HEADER), normalise_label(EVIDENCE_HEADER))
    if not all(label in labels for label in wanted):
        return None
    return labels.index(wanted[0]), labels.index(wanted[1])


@lru_cache(maxsize=1)
def _known_ids() -> dict[str, str]:
    return {_squeezed(r.id): r.id for r in requirements()}


def _requirement_id(value: Any) -> str | None:
    """The requirement ID a cell holds (ignoring case and spaces), or ``None``."""
    text = read_text(value)
    return _known_ids().get(_squeezed(text)) if text else None


def _cell(grid: list[list[Any]], merged: list[MergedRange], row: int, column: int) -> Any:
    """A cell's value; a blank cell inside a merged area takes the area's top-left value."""
    value = grid[row][column] if row < len(grid) and column < len(grid[row]) else None
    if not is_blank(value):
        return value
    for (top, left), (bottom, right) in merged:
        if top <= row <= bottom and left <= column <= right:
            return grid[top][left] if top < len(grid) and left < len(grid[top]) else None
    return value


def sheet_evidence(workbook: Workbook, sheet: str) -> dict[str, tuple[str | None, CellAddress]]:
    """Evidence on one sheet by requirement ID: under each header row, the first row of each ID."""
    try:
        grid = workbook.grid(sheet)
    except UnreadableWorkbook:
        return {}
    merged = workbook.merged_ranges(sheet)
    found: dict[str, tuple[str | None, CellAddress]] = {}
    columns: tuple[int, int] | None = None
    for index, row in enumerate(grid):
        header = _header_columns(row)
        if header is not None:
            columns = header
            continue
        if columns is None:
            continue
        requirement = _requirement_id(_cell(grid, merged, index, columns[0]))
        if requirement is None or requirement in found:
            continue
        evidence = read_text(_cell(grid, merged, index, columns[1]))
        found[requirement] = (evidence, CellAddress(sheet, index, columns[1]))
    return found


def _sheets_in_order(workbook: Workbook, first: str | None, skip: str | None) -> Iterable[str]:
    if first is not None:
        yield first
    yield from (name for name in workbook.sheet_names if name not in (first, skip))


def read_evidence(workbook: Workbook, content: QafContent) -> None:
    """Every requirement's evidence: from its objective's sheet if it is there, else any other sheet."""
    skip = summary_sheet(workbook)
    by_sheet: dict[str, dict[str, tuple[str | None, CellAddress]]] = {}
    for objective in OBJECTIVES:
        own = match_sheet(workbook, objective.code)
        for requirement in (r for r in requirements() if r.objective == objective.code):
            content.evidence[requirement.id] = None
            for sheet in _sheets_in_order(workbook, own, skip):
                if sheet not in by_sheet:
                    by_sheet[sheet] = sheet_evidence(workbook, sheet)
                if requirement.id in by_sheet[sheet]:
                    text, address = by_sheet[sheet][requirement.id]
                    content.evidence[requirement.id] = text
                    content.evidence_addresses[requirement.id] = str(address)
                    break


def read_qaf_workbook(workbook: Workbook) -> QafContent:
    """The Summary values and the evidence of every requirement."""
    content = QafContent()
    read_summary(workbook, content)
    read_evidence(workbook, content)
    return content
