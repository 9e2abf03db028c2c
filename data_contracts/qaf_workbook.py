"""The annual QAF return, format version 1 (spec: ``qaf.md``, ``qaf-requirements.csv``).

One place says what a QAF workbook holds: the ``Summary`` cells with their
defined names, labels and types; the seven core objectives and their
requirements; the grades and their order; what the Lite form leaves out; and
the QAF register's export columns. The reader, the checks, the issuer and the
imports take their lists from here.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from data_contracts.pi_workbook import COMMUNITY_ALARM, Cell, CellType, FilledBy

SUMMARY_SHEET = "Summary"
FULL, LITE = "Full", "Lite"
FORMS: tuple[str, ...] = (FULL, LITE)

# Grades rank A > B > C > D; C is the minimum standard.
GRADES: tuple[str, ...] = ("A", "B", "C", "D")
GRADE_RANK: dict[str, int] = {"D": 0, "C": 1, "B": 2, "A": 3}
# Requirement levels in the order evidence is needed: C first, then B, then A.
LEVELS: tuple[str, ...] = ("C", "B", "A")
MINIMUM_GRADE = "C"


@dataclass(frozen=True)
class Objective:
    """A core objective: its code (``C1.3``) and name."""

    code: str
    name: str

    @property
    def title(self) -> str:
        """``C1.3 Security, Health and Safety``."""
        return f"{self.code} {self.name}"

    @property
    def claimed_cell(self) -> str:
        """The defined name of its claimed grade on the Summary: ``qaf_claimed_c1_3``."""
        return claimed_cell_name(self.code)

    @property
    def claimed_column(self) -> str:
        """Its claimed-grade column in the QAF return table and register: ``claimed_c1_3``."""
        return self.claimed_cell.removeprefix("qaf_")


OBJECTIVES: tuple[Objective, ...] = (
    Objective("C1.1", "Needs and Risk Assessment"),
    Objective("C1.2", "Support Planning"),
    Objective("C1.3", "Security, Health and Safety"),
    Objective("C1.4", "Protection from Abuse"),
    Objective("C1.5", "Fair Access, Diversity and Inclusion"),
    Objective("C1.6", "Complaints"),
    Objective("C1.7", "Consulting and Involving Service Users"),
)
OBJECTIVE_BY_CODE: dict[str, Objective] = {objective.code: objective for objective in OBJECTIVES}
OBJECTIVE_CODES: tuple[str, ...] = tuple(OBJECTIVE_BY_CODE)
# The Lite form (community alarm services) does not assess these.
LITE_OMITS: tuple[str, ...] = ("C1.1", "C1.2")


def claimed_cell_name(code: str) -> str:
    """``C1.3`` -> ``qaf_claimed_c1_3``."""
    return "qaf_claimed_" + code.lower().replace(".", "_")


T, D = CellType.TEXT, CellType.DATE
P = FilledBy.PROVIDER

SUMMARY_CELLS: tuple[Cell, ...] = (
    Cell("qaf_year_code", "Authority code", T),
    Cell("qaf_year", "Year", T),
    Cell("qaf_provider_id", "Provider ID", T),
    Cell("qaf_provider_name", "Provider name", T),
    Cell("qaf_service_ids", "Services covered", T),
    Cell("qaf_form", "Form", T, choices=FORMS),
    *(Cell(o.claimed_cell, f"Claimed grade {o.code}", T, P, choices=GRADES) for o in OBJECTIVES),
    Cell("qaf_completed_by", "Completed by", T, P),
    Cell("qaf_date_completed", "Date completed", D, P),
)
SUMMARY_CELL_BY_NAME: dict[str, Cell] = {cell.name: cell for cell in SUMMARY_CELLS}

# The header of the table on each objective sheet (it may sit on any row).
REQUIREMENT_HEADER, LEVEL_HEADER, TEXT_HEADER, EVIDENCE_HEADER = (
    "Requirement",
    "Level",
    "Requirement text",
    "Evidence",
)
TABLE_HEADER: tuple[str, ...] = (REQUIREMENT_HEADER, LEVEL_HEADER, TEXT_HEADER, EVIDENCE_HEADER)

# Validation-visit reasons, in the order of qaf.md.
VISIT_REASONS: tuple[str, ...] = (
    "a_grade_claimed",
    "significant_change",
    "service_concerns",
    "procurement_review",
    "random_sample",
)

QAF_REGISTER_COLUMNS: tuple[str, ...] = (
    "source_file",
    "sha256",
    "received_at",
    "provider_id",
    "year",
    "service_ids",
    "form",
    "status",
    "reasons",
    *(objective.claimed_column for objective in OBJECTIVES),
    "visit",
    "visit_reasons",
)


@dataclass(frozen=True)
class Requirement:
    """One requirement of a core objective, at level C, B or A."""

    id: str
    objective: str
    level: str
    text: str


@lru_cache(maxsize=1)
def requirements() -> tuple[Requirement, ...]:
    """The requirement list (packaged copy of ``qaf-requirements.csv``), in its order."""
    path = Path(__file__).parent / "qaf_requirements.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Requirement(row["requirement"], row["objective"], row["level"], row["text"])
            for row in csv.DictReader(handle)
        )


def requirements_of(objective: str) -> tuple[Requirement, ...]:
    """The requirements of one objective, C level first."""
    return tuple(r for r in requirements() if r.objective == objective)


def assessed_objectives(form: str | None) -> tuple[str, ...]:
    """The objectives a form assesses: all seven, or five on the Lite form."""
    if form == LITE:
        return tuple(code for code in OBJECTIVE_CODES if code not in LITE_OMITS)
    return OBJECTIVE_CODES


def is_community_alarm(service_type: str) -> bool:
    """Whether a contract's service type is community alarm (the Lite form's services)."""
    return service_type.strip().casefold() == COMMUNITY_ALARM.casefold()


def levels_needed(grade: str) -> tuple[str, ...]:
    """The requirement levels a claimed grade needs evidence for: D none, C C, B C and B, A all."""
    return LEVELS[: GRADE_RANK[grade]]


def join_service_ids(service_ids: list[str] | tuple[str, ...] | set[str]) -> str:
    """The key text of a set of services: sorted, distinct, joined by ``;``."""
    return ";".join(sorted(set(service_ids)))


_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def qaf_file_name(provider_id: str, year: str, provider_name: str) -> str:
    """The issued file name: ``QAF 2025-26 PR0134 Greystone Care Association.xlsx``."""
    name = _NOT_IN_FILE_NAMES.sub(" ", provider_name).strip(" .")
    parts = ["QAF", year.replace("/", "-"), provider_id, name]
    return " ".join(part for part in parts if part) + ".xlsx"
