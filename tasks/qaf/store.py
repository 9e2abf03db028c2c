"""Writing a batch of judged QAF files to the database, in one transaction.

Statuses, duplicates and supersession work as for PI returns
(``tasks.intake.statuses.plan_statuses``), keyed by provider, year and the set of
services covered. A QAF that is accepted gets its validation-visit decision
there and then, from what the database holds (``tasks.qaf.visits``); every
row that is not accepted has no visit, and a QAF superseded later loses its
visit with its ``accepted`` status.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.qaf_tables import CurrentQaf, QafReturn
from data_contracts.qaf_workbook import OBJECTIVES
from foundation.programme import Programme
from tasks.common.safe_paths import file_name, path_part
from tasks.intake.drop_folder import DropFile
from tasks.intake.recording import (
    insert_files,
    insert_rows,
    mark_superseded,
    replace_currents,
    stored_currents,
)
from tasks.intake.statuses import Incoming, plan_statuses
from tasks.qaf.judge import JudgedQaf
from tasks.qaf.visits import gather_visit_inputs, visit_reasons

QAF_KIND = "qaf"


@dataclass
class QafFileResult:
    """A QAF file of the batch, judged: where its bytes go and the register row it yields."""

    drop: DropFile
    sha256: str
    stored_path: Path
    judged: JudgedQaf
    message: str = ""
    kind: str = QAF_KIND


def notice_path(result: QafFileResult) -> str:
    """Where the notice for a returned QAF goes, relative to the outbox."""
    who = path_part(result.judged.provider_id or "unknown-provider")
    year = result.judged.year.replace("/", "-") or "unknown-year"
    return f"qaf/{who}/{file_name(f'QAF_{year}_{result.sha256[:12]}', '.txt')}"


def record_qaf_batch(
    session: Session, run_id: int, results: Sequence[QafFileResult], programme: Programme
) -> list[int]:
    """Insert the batch's QAF files and returns with their statuses and visits; move the current QAFs.

    Call it after the PI returns received before these QAFs are in the session:
    an accepted QAF's visit looks at the PI returns taken before it.
    Returns the new ``qaf_return`` IDs, in order.
    """
    incoming = [
        Incoming(
            r.judged.key,
            r.judged.values,
            failed=bool(r.judged.reasons),
            received=(r.drop.received_at, r.drop.name),
        )
        for r in results
    ]
    stored = stored_currents(session, CurrentQaf, QafReturn, {item.key for item in incoming if item.key})
    plan = plan_statuses(incoming, stored)
    file_ids = insert_files(session, run_id, results)
    rows = [
        _return_row(
            result, status, file_id, _visit(session, result, programme) if status == "accepted" else []
        )
        for result, status, file_id in zip(results, plan.statuses, file_ids, strict=True)
    ]
    return_ids = insert_rows(session, QafReturn, rows)
    mark_superseded(session, QafReturn, plan.superseded_ids, visit=False, visit_reasons="")
    currents = {key: return_ids[index] for key, index in plan.currents.items()}
    replace_currents(session, CurrentQaf, ("provider_id", "year", "service_ids"), currents)
    return return_ids


def qaf_statuses(session: Session, return_ids: Sequence[int]) -> list[str]:
    """The statuses of these QAF returns, as recorded."""
    if not return_ids:
        return []
    statement = select(col(QafReturn.status)).where(col(QafReturn.id).in_(list(return_ids)))
    return list(session.execute(statement).scalars())


def _visit(session: Session, result: QafFileResult, programme: Programme) -> list[str]:
    judged = result.judged
    inputs = gather_visit_inputs(
        session,
        judged.provider_id,
        judged.year,
        judged.service_ids,
        judged.claimed,
        programme.years.get(judged.year),
        received_by=(result.drop.received_at, result.drop.name),
    )
    return visit_reasons(inputs)


def _return_row(result: QafFileResult, status: str, file_id: int, visit: list[str]) -> dict[str, Any]:
    judged = result.judged
    row: dict[str, Any] = {
        "file_id": file_id,
        "source_file": result.drop.name,
        "received_at": result.drop.received_at,
        "provider_id": judged.provider_id,
        "year": judged.year,
        "service_ids": judged.services,
        "form": judged.form,
        "status": status,
        "reasons": ";".join(judged.reasons),  # kept for a duplicate too; the register hides them
        "messages": judged.messages,
        "values": judged.values,
        "visit": bool(visit),
        "visit_reasons": ";".join(visit),
        "notice_path": notice_path(result) if status == "returned" else "",
        "notice_written": False,
    }
    for objective in OBJECTIVES:
        row[objective.claimed_column] = judged.claimed.get(objective.code, "")
    return row
