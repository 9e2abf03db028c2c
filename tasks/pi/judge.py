"""Judging a batch of PI workbooks: every check of ``pi-rules.md``, the PIs and breaches.

The per-value checks run as one Great Expectations validation over the whole
batch (``data_contracts.pi_return_suite``); the checks against other records
(contract records, the programme file) are plain functions here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from data_contracts.column_limits import column_length, fit_text
from data_contracts.pi_check_frame import LIMIT_RULES
from data_contracts.pi_workbook import PROVIDER_CELLS, CellType
from data_contracts.reasons import ordered
from data_contracts.tables import ContractRecord, PiReturn
from foundation.programme import Programme, YearSettings
from tasks.calendar.dates import days_in_quarter, is_year
from tasks.common.cell_values import MAX_TEXT, read_text, shortened, typed_version, version_number
from tasks.intake.expectations import Finding, validate
from tasks.pi.frame import CheckRow, check_frame, usable
from tasks.pi.messages import cell_label, figure, finding_message
from tasks.pi.read import PiWorkbookContent, QuarterPage
from tasks.pi.rules import (
    breaches,
    compute_pis,
    contract_differences,
    is_explanation,
    two_decimals,
)
from tasks.pi.values import comparable, normalise_page

ContractKey = tuple[str, str]  # (year, service_id)
_TEXT_CELLS = {cell.name for cell in PROVIDER_CELLS if cell.type is CellType.TEXT}


def shown_id(value: object, column: str) -> str:
    """An ID or year as read, trimmed and cut to what the register's column holds.

    Provider text is never trusted: a 300-character or NUL-holding ID (NUL is
    shown as U+FFFD, ``tasks.common.cell_values``) matches no contract record, so it is
    an ``unknown_service``; it is kept as read, only cut to fit the column, so
    SQLite and PostgreSQL store the same row.
    """
    return fit_text((read_text(value) or "").strip(), column_length(PiReturn, column))


@dataclass
class JudgedReturn:
    """One register row in the making: a quarter of a file, or a file-level row."""

    quarter: str
    service_id: str
    year: str
    provider_id: str = ""
    reasons: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    pis: dict[str, float | None] = field(default_factory=dict)
    breaches: list[str] = field(default_factory=list)
    comments: str = ""


@dataclass
class _Pending:
    """A quarter page between the record checks and the suite's verdict."""

    page: QuarterPage
    judged: JudgedReturn
    row: CheckRow | None = None
    year_settings: YearSettings | None = None


def missing_years(content: PiWorkbookContent, programme: Programme) -> set[str]:
    """Well-formed years of the workbook's returns that the programme file lacks."""
    years = {(page.year or "").strip() for page in content.returns}
    return {year for year in years if is_year(year) and not programme.has_year(year)}


def no_quarter_row(content: PiWorkbookContent) -> JudgedReturn:
    """The file-level row of a workbook with no completed quarter."""
    page = content.contract_page or {}
    return JudgedReturn(
        quarter="",
        service_id=shown_id(page.get("service_id"), "service_id"),
        year=shown_id(page.get("year"), "year"),
        provider_id=shown_id(page.get("provider_id"), "provider_id"),
        reasons=["no_quarter_completed"],
        messages=["The workbook has no completed quarter: every quarter page's provider cells are blank."],
    )


def judge_pi_workbooks(
    workbooks: Sequence[PiWorkbookContent],
    contracts: Mapping[ContractKey, ContractRecord],
    programme: Programme,
) -> list[list[JudgedReturn]]:
    """Judge every workbook of a batch; one list of rows per workbook, in order."""
    pending_by_file: list[list[_Pending]] = []
    rows: list[CheckRow] = []
    for content in workbooks:
        pending = [_check_records(page, content, contracts, programme) for page in content.returns]
        for item in pending:
            if item.row is not None:
                item.row.row_id = len(rows)
                rows.append(item.row)
        pending_by_file.append(pending)
    findings = _findings_by_row(rows)
    judged_files = []
    for content, pending in zip(workbooks, pending_by_file, strict=True):
        if not pending:
            judged_files.append([no_quarter_row(content)])
            continue
        for item in pending:
            if item.row is not None and item.year_settings is not None:
                _finish(item, findings.get(item.row.row_id, []), item.year_settings)
        judged_files.append([item.judged for item in pending])
    return judged_files


def _findings_by_row(rows: list[CheckRow]) -> dict[int, list[Finding]]:
    by_row: dict[int, list[Finding]] = defaultdict(list)
    if not rows:
        return by_row
    # Importing Great Expectations takes seconds: only a batch with returns to check pays for it.
    from data_contracts.pi_return_suite import pi_return_suite

    frame, meaning = check_frame(rows)
    for finding in validate(frame, pi_return_suite()):
        return_row, cell = meaning[finding.row_id]
        rule = LIMIT_RULES[cell][0] if finding.rule == "above_limit" else finding.rule
        by_row[return_row].append(replace(finding, row_id=return_row, rule=rule, cell=cell))
    return by_row


def _check_records(
    page: QuarterPage,
    content: PiWorkbookContent,
    contracts: Mapping[ContractKey, ContractRecord],
    programme: Programme,
) -> _Pending:
    service_id, year = shown_id(page.service_id, "service_id"), shown_id(page.year, "year")
    page_values = normalise_page(page.cells)
    judged = JudgedReturn(quarter=page.quarter, service_id=service_id, year=year)
    judged.values = comparable(page_values.values) | {
        cell: {"unreadable": shortened(read_text(page.cells.get(cell)) or "", 200)}
        for cell in page_values.unreadable
    }
    judged.comments = (read_text(page.cells.get("comments")) or "")[:MAX_TEXT]
    contract_page = content.contract_page
    judged.provider_id = shown_id((contract_page or {}).get("provider_id"), "provider_id")
    year_settings = programme.years.get(year) if is_year(year) else None
    contract = contracts.get((year, service_id))
    if contract is None:
        judged.reasons.append("unknown_service")
        judged.messages.append(
            f"Service ID '{service_id}' is not in the contract records for {year or 'the year'}."
        )
    wrong_codes = _wrong_codes(page, contract_page, year_settings.code if year_settings else None)
    if wrong_codes:
        judged.reasons.append("year_code_mismatch")
        judged.messages.append(
            f"The authority code is not the one issued for {year or 'the year'} "
            f"({'; '.join(wrong_codes)}): complete the workbook issued for this year."
        )
    if contract is None or year_settings is None:
        return _Pending(page, judged)
    judged.provider_id = contract.provider_id
    if contract_page is not None:
        _check_contract_page(judged, contract_page, contract)
    row = CheckRow(-1, contract, year, page.quarter, page_values, page.addresses)
    return _Pending(page, judged, row, year_settings)


def _wrong_codes(page: QuarterPage, contract_page: Mapping[str, Any] | None, code: str | None) -> list[str]:
    """Where the authority code is missing or not the year's: ``["Q2 page: 'SZY-2425-EQH'"]``."""
    typed = {f"{page.quarter} page": page.year_code}
    if contract_page is not None:
        typed["Contract page"] = read_text(contract_page.get("year_code"))
    return [
        f"{where}: '{text.strip()}'" if text else f"{where}: blank"
        for where, text in typed.items()
        if code is None or (text or "").strip() != code
    ]


def _check_contract_page(
    judged: JudgedReturn, contract_page: Mapping[str, Any], contract: ContractRecord
) -> None:
    typed = contract_page.get("workbook_version")
    number = typed_version(typed)
    if number is None or number < (version_number(contract.workbook_version) or 1):
        judged.reasons.append("outdated_version")
        judged.messages.append(
            f"The workbook is version '{shortened(read_text(typed) or '')}', but version "
            f"{contract.workbook_version} has been issued for this service: use the newest workbook."
        )
    differences = contract_differences(contract_page, contract)
    if differences:
        judged.reasons.append("contract_altered")
        judged.messages.append("The contract page was changed: " + "; ".join(differences) + ".")


def _finish(item: _Pending, findings: list[Finding], year_settings: YearSettings) -> None:
    judged, row = item.judged, item.row
    assert row is not None  # noqa: S101 - only rows with a contract get here
    for finding in findings:
        judged.reasons.append(finding.code)
        judged.messages.append(finding_message(row, finding.rule, finding.cell))
    for cell in sorted(_TEXT_CELLS & set(row.page.unreadable)):  # text longer than a cell holds
        judged.reasons.append("invalid_value")
        judged.messages.append(f"{cell_label(row, cell)} cannot be read: {row.page.unreadable[cell]}.")
    invalid = {finding.cell for finding in findings if finding.code == "invalid_value"}
    valid_values = {cell: value for cell, value in row.page.values.items() if cell not in invalid}
    days = days_in_quarter(row.year, row.quarter)
    judged.pis = compute_pis(valid_values, row.contract, days)
    judged.breaches = breaches(judged.pis, year_settings.triggers)
    explained = is_explanation(judged.comments)
    units = valid_values.get("units")
    if usable("units", units) and units != row.contract.contracted_units and not explained:
        judged.reasons.append("units_changed_unexplained")
        judged.messages.append(
            f"Unit numbers this quarter is {figure(units)}, but the contract is for "
            f"{row.contract.contracted_units} units, and the comments do not explain the change."
        )
    if judged.breaches and not explained:
        judged.reasons.append("trigger_unexplained")
        judged.messages.append(_trigger_message(judged, year_settings))
    order = ordered(judged.reasons)
    judged.messages = [
        m for _, m in sorted(zip(judged.reasons, judged.messages, strict=True), key=_by(order))
    ]
    judged.reasons = order


def _by(order: list[str]) -> Any:
    return lambda pair: order.index(pair[0])


def _shown_below(value: float, trigger: float) -> str:
    """Two decimals as exported, or four where two would hide that the figure is below the trigger."""
    shown = two_decimals(value)
    return shown if float(shown) < trigger else f"{value:.4f}"


def _trigger_message(judged: JudgedReturn, year_settings: YearSettings) -> str:
    below = ", ".join(
        f"{pi} is {_shown_below(judged.pis[pi] or 0, year_settings.triggers.of(pi))}% against a trigger of "
        f"{figure(year_settings.triggers.of(pi))}%"
        for pi in judged.breaches
    )
    return f"{below}; explain this in the comments (a sentence of at least three words)."
