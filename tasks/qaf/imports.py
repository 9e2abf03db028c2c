"""Officers' QAF imports: agreed grades and D-grade improvement plans (``interface.md``). All or nothing.

Every problem names the file, the row and the column; a file with any bad
row imports nothing. Where an agreed grade differs from the claimed grade of
the provider's current QAF, the grade gets a letter path: the letter goes to
the outbox afterwards (``tasks.outbox.qaf_letters.write_pending_grade_letters``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.qaf_tables import AgreedGrade, CurrentQaf, ImprovementPlan, QafReturn
from data_contracts.qaf_workbook import GRADES, OBJECTIVE_BY_CODE, OBJECTIVE_CODES
from tasks.common.cell_values import read_text
from tasks.common.contract_records import one_of, required_text, year_text
from tasks.common.import_rows import (
    no_repeats,
    optional_date,
    optional_flag,
    optional_text,
    parse_rows,
    required_date,
)
from tasks.common.safe_paths import file_name, path_part
from tasks.common.table_files import RowErrors
from tasks.qaf.read import split_service_ids

GRADE_COLUMNS: tuple[str, ...] = (
    "provider_id",
    "year",
    "service_ids",
    "objective",
    "grade",
    "date_agreed",
    "method",
    "explanation",
)
PLAN_COLUMNS: tuple[str, ...] = (
    "provider_id",
    "year",
    "service_ids",
    "plan_received",
    "revalidated_on",
    "improved",
)
METHODS: tuple[str, ...] = ("desk", "visit")
_UNSAFE_IN_PATH = re.compile(r"[^A-Za-z0-9_-]+")
GradeKey = tuple[str, str, str, str]  # (provider_id, year, service_ids, objective)


def service_key(value: Any) -> str:
    """Service IDs (separated by ``;``, commas or spaces) as the key text: sorted, joined by ``;``."""
    services = split_service_ids(read_text(value))
    if not services:
        raise ValueError("is blank")
    return ";".join(services)


def objective_code(value: Any) -> str:
    """An objective ``C1.1`` .. ``C1.7`` (any case)."""
    return one_of(OBJECTIVE_CODES)(value)


def optional_bool(value: Any) -> bool | None:
    """``true``/``false`` (also yes/no, 1/0), or ``None`` when blank."""
    return optional_flag(value, "true or false")


def import_agreed_grades(session: Session, path: Path) -> int:
    """Upsert officers' grades by provider, year, services and objective; the number of grades.

    A grade that differs from the claim of the provider's current QAF for those
    services is given a grade letter to write.
    """
    readers: dict[str, Callable[[Any], Any]] = {
        "provider_id": required_text,
        "year": year_text,
        "service_ids": service_key,
        "objective": objective_code,
        "grade": one_of(GRADES),
        "date_agreed": required_date,
        "method": one_of(METHODS),
        "explanation": optional_text,
    }
    rows, records = parse_rows(path, GRADE_COLUMNS, readers, AgreedGrade)
    keys = [(r["provider_id"], r["year"], r["service_ids"], r["objective"]) for r in records]
    no_repeats(path, rows, keys, "provider_id, year, service_ids and objective")
    for record in records:
        _upsert_grade(session, record, _claimed_grade(session, record))
    return len(records)


def _claimed_grade(session: Session, record: dict[str, Any]) -> str:
    """The claimed grade of the objective on the provider's current QAF for those services ("" if none)."""
    statement = (
        select(QafReturn)
        .join(CurrentQaf, col(CurrentQaf.return_id) == col(QafReturn.id))
        .where(
            col(CurrentQaf.provider_id) == record["provider_id"],
            col(CurrentQaf.year) == record["year"],
            col(CurrentQaf.service_ids) == record["service_ids"],
        )
    )
    current = session.execute(statement).scalars().first()
    if current is None:
        return ""
    return str(getattr(current, OBJECTIVE_BY_CODE[record["objective"]].claimed_column))


def letter_path(record: dict[str, Any]) -> str:
    """Where the grade letter goes, relative to the outbox: one letter per QAF, date and method."""
    parts = [record["year"], record["service_ids"], record["date_agreed"].isoformat(), record["method"]]
    name = "_".join(_UNSAFE_IN_PATH.sub("-", part).strip("-") for part in parts)
    who = path_part(record["provider_id"], "unknown-provider")
    return f"qaf/{who}/{file_name(f'grades_{name}', '.txt')}"


def needs_letter(claimed: str, agreed: str) -> bool:
    """A grade letter goes for a grade that differs from the claim, and for every D (its plan is due)."""
    return agreed == "D" or bool(claimed and claimed != agreed)


def _upsert_grade(session: Session, record: dict[str, Any], claimed: str) -> None:
    key = (record["provider_id"], record["year"], record["service_ids"], record["objective"])
    held = session.get(AgreedGrade, key)
    decided = {name: record[name] for name in ("grade", "date_agreed", "method", "explanation")}
    if held is not None and all(getattr(held, name) == value for name, value in decided.items()):
        return  # imported again unchanged: its letter, if any, stands
    grade = held or AgreedGrade(
        provider_id=key[0], year=key[1], service_ids=key[2], objective=key[3], **decided
    )
    for name, value in decided.items():
        setattr(grade, name, value)
    grade.claimed = claimed
    grade.letter_path = letter_path(record) if needs_letter(claimed, record["grade"]) else ""
    grade.letter_written = False
    session.add(grade)
    session.flush()


def import_improvement_plans(session: Session, path: Path) -> int:
    """Upsert D-grade improvement plans by provider, year and services; the number of plans."""
    readers: dict[str, Callable[[Any], Any]] = {
        "provider_id": required_text,
        "year": year_text,
        "service_ids": service_key,
        "plan_received": required_date,
        "revalidated_on": optional_date,
        "improved": optional_bool,
    }
    rows, records = parse_rows(path, PLAN_COLUMNS, readers, ImprovementPlan)
    keys = [(r["provider_id"], r["year"], r["service_ids"]) for r in records]
    no_repeats(path, rows, keys, "provider_id, year and service_ids")
    errors = RowErrors(path, [])
    with_d_grade = _keys_with_d_grade(session)
    for row, record, key in zip(rows, records, keys, strict=True):
        errors.problems.extend(
            f"{path}: row {row.number}, {p}" for p in plan_problems(record, key, with_d_grade)
        )
    errors.raise_if_any()
    for record in records:
        session.merge(ImprovementPlan(**record))
    return len(records)


def _keys_with_d_grade(session: Session) -> set[tuple[str, str, str]]:
    statement = select(
        col(AgreedGrade.provider_id), col(AgreedGrade.year), col(AgreedGrade.service_ids)
    ).where(col(AgreedGrade.grade) == "D")
    return {(p, y, s) for p, y, s in session.execute(statement)}


def plan_problems(
    record: dict[str, Any], key: tuple[str, str, str], with_d_grade: set[tuple[str, str, str]]
) -> list[str]:
    """What is wrong with one plan row taken as a whole: ``column X: why``."""
    problems = []
    if key not in with_d_grade:
        problems.append(f"column service_ids: no agreed D grade is held for {key[0]}, {key[1]}, {key[2]}")
    revalidated, improved = record["revalidated_on"], record["improved"]
    if revalidated is not None and revalidated < record["plan_received"]:
        problems.append("column revalidated_on: is before plan_received")
    if revalidated is None and improved is not None:
        problems.append("column improved: is given, but revalidated_on is blank")
    if revalidated is not None and improved is None:
        problems.append("column improved: is blank; say true or false once re-validated")
    return problems
