"""Judging a batch of QAF workbooks: every check of ``qaf.md``, in its reason order.

The per-value checks (incomplete, invalid grade, evidence) run as one Great
Expectations validation over the whole batch (``data_contracts.qaf_return_suite``);
the checks against other records (contract records, the programme file) are
plain functions here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from data_contracts.column_limits import column_length, fit_text
from data_contracts.qaf_check_frame import CLAIMED_CELL, COMPLETION_CELLS, EVIDENCE_CELL, ROW_ID
from data_contracts.qaf_tables import QafReturn
from data_contracts.qaf_workbook import (
    GRADES,
    LITE,
    OBJECTIVE_BY_CODE,
    OBJECTIVES,
    SUMMARY_CELL_BY_NAME,
    Requirement,
    assessed_objectives,
    is_community_alarm,
    join_service_ids,
    levels_needed,
    requirements,
)
from data_contracts.reasons import QAF_REASON_CODES, ordered
from data_contracts.tables import ContractRecord
from foundation.programme import Programme
from tasks.calendar.dates import is_year
from tasks.common.cell_values import is_blank
from tasks.intake.expectations import Finding, validate
from tasks.pi.rules import is_explanation
from tasks.qaf.read import QafContent

if TYPE_CHECKING:  # pandas only when a batch has something to check (an empty run need not load it)
    import pandas as pd

ContractKey = tuple[str, str]  # (year, service_id)
QafKey = tuple[str, str, str]  # (provider_id, year, service IDs sorted and joined by ';')
_OBJECTIVE_BY_CELL = {objective.claimed_cell: objective for objective in OBJECTIVES}


@dataclass
class JudgedQaf:
    """One QAF register row in the making."""

    provider_id: str
    year: str
    service_ids: list[str]
    form: str
    claimed: dict[str, str]  # objective -> grade as typed, trimmed ("" when blank)
    reasons: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def services(self) -> str:
        """The services covered, sorted and joined by ``;``."""
        return join_service_ids(self.service_ids)

    @property
    def key(self) -> QafKey | None:
        """(provider, year, services): ``None`` when any part is blank."""
        if not (self.provider_id and self.year and self.service_ids):
            return None
        return (self.provider_id, self.year, self.services)

    def add(self, code: str, message: str) -> None:
        """A reason and its plain-words message."""
        self.reasons.append(code)
        self.messages.append(message)


def judge_qaf_workbooks(
    contents: Sequence[QafContent],
    contracts: Mapping[ContractKey, ContractRecord],
    programme: Programme,
) -> list[JudgedQaf]:
    """Judge every QAF of a batch, in order; reasons and messages in the order of ``qaf.md``."""
    judged = [check_records(content, contracts, programme) for content in contents]
    findings = _findings_by_qaf(contents)
    for index, (content, item) in enumerate(zip(contents, judged, strict=True)):
        add_findings(item, content, findings.get(index, []))
        put_in_order(item)
    return judged


def missing_qaf_years(contents: Sequence[QafContent], programme: Programme) -> set[str]:
    """Well-formed years of the QAFs that the programme file lacks."""
    years = {content.year for content in contents}
    return {year for year in years if is_year(year) and not programme.has_year(year)}


def check_records(
    content: QafContent, contracts: Mapping[ContractKey, ContractRecord], programme: Programme
) -> JudgedQaf:
    """The checks against the contract records and the programme file."""
    judged = JudgedQaf(
        provider_id=shown_text(content.provider_id, "provider_id"),
        year=shown_text(content.year, "year"),
        service_ids=content.service_ids,
        form=content.form,
        claimed=content.claimed,
        values=content.comparable_values(),
    )
    check_provider(judged, contracts)
    check_services(judged, contracts)
    check_year_code(judged, content.year_code, programme)
    check_form(judged, contracts)
    return judged


def shown_text(text: str, column: str) -> str:
    """An ID or year as read, cut to what the register's column holds (the same on every database).

    Too long an ID matches no contract record, so it stays ``unknown_provider``;
    NUL and other control characters were already made visible by ``tasks.intake.normalise``.
    """
    return fit_text(text, column_length(QafReturn, column))


def check_provider(judged: JudgedQaf, contracts: Mapping[ContractKey, ContractRecord]) -> None:
    """``unknown_provider``: the provider ID is not in the contract records."""
    if any(contract.provider_id == judged.provider_id for contract in contracts.values()):
        return
    if judged.provider_id:
        judged.add("unknown_provider", f"Provider ID '{judged.provider_id}' is not in the contract records.")
    else:
        judged.add("unknown_provider", "The provider ID on the Summary is blank.")


def check_services(judged: JudgedQaf, contracts: Mapping[ContractKey, ContractRecord]) -> None:
    """``unknown_service``: no service listed, or one that is not the provider's for the year."""
    if not judged.service_ids:
        judged.add("unknown_service", "No service is listed under 'Services covered' on the Summary.")
        return
    foreign = [
        service_id
        for service_id in judged.service_ids
        if (contract := contracts.get((judged.year, service_id))) is None
        or contract.provider_id != judged.provider_id
    ]
    if foreign:
        provider = judged.provider_id or "the provider"
        year = judged.year or "the year"
        if len(foreign) == 1:
            text = f"Service {foreign[0]} is not one of {provider}'s services"
        else:
            text = f"Services {', '.join(foreign)} are not among {provider}'s services"
        judged.add("unknown_service", f"{text} in the contract records for {year}.")


def check_year_code(judged: JudgedQaf, typed: str | None, programme: Programme) -> None:
    """``year_code_mismatch``: the authority code is missing or is not the year's code."""
    settings = programme.years.get(judged.year) if is_year(judged.year) else None
    expected = settings.code if settings else None
    if expected is not None and typed == expected:
        return
    shown = f"'{typed}'" if typed else "blank"
    judged.add(
        "year_code_mismatch",
        f"The authority code on the Summary is {shown}, not the one issued for "
        f"{judged.year or 'the year'}: complete the QAF workbook issued for this year.",
    )


def check_form(judged: JudgedQaf, contracts: Mapping[ContractKey, ContractRecord]) -> None:
    """``form_not_allowed``: the Lite form covers a service that is not a community alarm."""
    if judged.form != LITE:
        return
    others = [
        f"{contract.service_id} ({contract.service_type.lower()})"
        for service_id in judged.service_ids
        if (contract := contracts.get((judged.year, service_id))) is not None
        and not is_community_alarm(contract.service_type)
    ]
    if others:
        judged.add(
            "form_not_allowed",
            "The Lite form is only for community alarm services, but this QAF covers "
            f"{', '.join(others)}: complete the Full form.",
        )


@dataclass(frozen=True)
class FrameRow:
    """What one row of the check frame stands for: a requirement of a QAF of the batch."""

    qaf: int  # index of the QAF in the batch
    requirement: Requirement


def check_rows(content: QafContent) -> list[dict[str, Any]]:
    """The check-frame rows of one QAF (see ``data_contracts.qaf_return_suite``), without row IDs."""
    assessed = set(assessed_objectives(content.form))
    claimed = content.claimed
    given = {cell: not is_blank(content.summary.get(cell)) for cell in COMPLETION_CELLS}
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for requirement in requirements():
        grade = claimed[requirement.objective]
        is_assessed = requirement.objective in assessed
        needed = is_assessed and grade in GRADES and requirement.level in levels_needed(grade)
        rows.append(
            {
                "return_head": not rows,
                "objective_head": requirement.objective not in seen,
                "assessed": is_assessed,
                **{f"{cell}__given": value for cell, value in given.items()},
                CLAIMED_CELL: grade or None,
                f"{CLAIMED_CELL}__given": bool(grade),
                f"{EVIDENCE_CELL}__needed": needed,
                f"{EVIDENCE_CELL}__counts": is_explanation(content.evidence.get(requirement.id)),
            }
        )
        seen.add(requirement.objective)
    return rows


def check_frame(contents: Sequence[QafContent]) -> tuple[pd.DataFrame, list[FrameRow]]:
    """The frame the suite validates (one row per requirement of each QAF) and what each row stands for."""
    import pandas as pd

    records: list[dict[str, Any]] = []
    meaning: list[FrameRow] = []
    for index, content in enumerate(contents):
        for requirement, record in zip(requirements(), check_rows(content), strict=True):
            records.append({ROW_ID: len(records), **record})
            meaning.append(FrameRow(index, requirement))
    frame = pd.DataFrame(records)
    for column in frame.columns:
        if column.endswith(("__given", "__needed", "__counts", "_head")) or column == "assessed":
            frame[column] = frame[column].astype(bool)
    return frame, meaning


def _cell_at_fault(finding: Finding, row: FrameRow) -> str:
    """The cell a finding names: a Summary defined name or a requirement ID."""
    if finding.cell == CLAIMED_CELL:
        return OBJECTIVE_BY_CODE[row.requirement.objective].claimed_cell
    if finding.cell == EVIDENCE_CELL:
        return row.requirement.id
    return finding.cell


def _findings_by_qaf(contents: Sequence[QafContent]) -> dict[int, list[Finding]]:
    """The suite's findings per QAF of the batch, each naming its own cell."""
    by_qaf: dict[int, list[Finding]] = defaultdict(list)
    if not contents:
        return by_qaf
    # Importing Great Expectations takes seconds: only a batch with QAFs to check pays for it.
    from data_contracts.qaf_return_suite import qaf_return_suite

    frame, meaning = check_frame(contents)
    for finding in validate(frame, qaf_return_suite(), ROW_ID):
        row = meaning[finding.row_id]
        by_qaf[row.qaf].append(replace(finding, row_id=row.qaf, cell=_cell_at_fault(finding, row)))
    return by_qaf


def add_findings(judged: JudgedQaf, content: QafContent, findings: Sequence[Finding]) -> None:
    """The suite's findings as reasons with plain-words messages (evidence in one message)."""
    missing = [f.cell for f in findings if f.code == "evidence_missing"]
    for finding in findings:
        if finding.code != "evidence_missing":
            judged.add(finding.code, finding_message(content, finding))
    if missing:
        judged.add("evidence_missing", evidence_message(content, missing))


def _where(content: QafContent, cell: str) -> str:
    return _at(content.addresses.get(cell))


def finding_message(content: QafContent, finding: Finding) -> str:
    """The sentence for one failed incomplete or invalid-grade expectation."""
    where = _where(content, finding.cell)
    objective = _OBJECTIVE_BY_CELL.get(finding.cell)
    if finding.rule == "grade_blank" and objective is not None:
        return f"No grade is claimed for {objective.title}{where}: claim A, B, C or D."
    if finding.rule == "not_a_grade" and objective is not None:
        typed = content.claimed[objective.code]
        return f"The grade claimed for {objective.title}{where} is '{typed}': claim A, B, C or D."
    label = SUMMARY_CELL_BY_NAME[finding.cell].label
    return f"'{label}'{where} is blank; fill it in."


def evidence_message(content: QafContent, requirement_ids: Sequence[str]) -> str:
    """One message listing every requirement without evidence, with its text, by objective."""
    wanted = set(requirement_ids)
    parts = []
    for objective in OBJECTIVES:
        missing = [r for r in requirements() if r.objective == objective.code and r.id in wanted]
        if not missing:
            continue
        items = "; ".join(f"{r.id} {r.text}{_at(content.evidence_addresses.get(r.id))}" for r in missing)
        parts.append(f"{objective.code} (claimed {content.claimed[objective.code]}): {items}.")
    return (
        "Evidence is missing for requirements of the grades claimed (a tick, 'yes' or a word or two "
        "is not evidence: describe it in at least three words). " + " ".join(parts)
    )


def _at(address: str | None) -> str:
    return f" ({address})" if address else ""


def put_in_order(judged: JudgedQaf) -> None:
    """Reasons in the order of ``qaf.md``, each message beside its reason."""
    order = ordered(judged.reasons, QAF_REASON_CODES)
    pairs = sorted(zip(judged.reasons, judged.messages, strict=True), key=lambda pair: order.index(pair[0]))
    judged.messages = [message for _, message in pairs]
    judged.reasons = order
