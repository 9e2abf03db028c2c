"""Writing a batch of judged PI files to the database, in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col

from data_contracts.tables import ContractRecord, CurrentReturn, IngestRun, PiReturn, ReceivedFile
from tasks.common.safe_paths import file_name, path_part
from tasks.intake.drop_folder import DropFile
from tasks.intake.recording import (
    insert_files,
    insert_rows,
    mark_superseded,
    replace_currents,
    stored_currents,
)
from tasks.intake.statuses import Incoming, ReturnKey, plan_statuses
from tasks.pi.judge import ContractKey, JudgedReturn

PI_COLUMNS = ("kpi1", "kpi2", "spi1", "spi2", "spi3", "spi4")


@dataclass
class FileResult:
    """A file of the batch, judged: where it goes and the register rows it yields."""

    drop: DropFile
    sha256: str
    kind: str  # pi, qaf or unreadable
    stored_path: Path
    message: str = ""
    returns: list[JudgedReturn] = field(default_factory=list)


def contract_index(session: Session) -> dict[ContractKey, ContractRecord]:
    """Every contract record by (year, service ID)."""
    return {(c.year, c.service_id): c for c in session.execute(select(ContractRecord)).scalars()}


def known_sha256(session: Session, hashes: Iterable[str]) -> set[str]:
    """Which of these contents were already processed."""
    wanted = list(set(hashes))
    if not wanted:
        return set()
    found = session.execute(select(col(ReceivedFile.sha256)).where(col(ReceivedFile.sha256).in_(wanted)))
    return set(found.scalars())


def start_run(session: Session, name: str) -> int:
    """Record the start of an ingestion run."""
    run = IngestRun(name=name, started_at=datetime.now(UTC))
    session.add(run)
    session.flush()
    assert run.id is not None  # noqa: S101
    return run.id


def _key(judged: JudgedReturn) -> ReturnKey | None:
    if not judged.quarter or not judged.service_id:
        return None
    return (judged.service_id, judged.year, judged.quarter)


def notice_path(result: FileResult, judged: JudgedReturn) -> str:
    """Where the notice for a returned return goes, relative to the outbox."""
    who = path_part(judged.provider_id or "unknown-provider")
    what = "_".join(
        part for part in (judged.service_id, judged.year.replace("/", "-"), judged.quarter) if part
    )
    stem = f"{what or 'file'}_{result.sha256[:12]}"
    return f"pi/{who}/{file_name(stem, '.txt')}"


def record_pi_batch(session: Session, run_id: int, results: Sequence[FileResult]) -> list[str]:
    """Insert the batch's files and returns with their statuses, move the current returns; the statuses."""
    flat = [(result, judged) for result in results for judged in result.returns]
    incoming = [
        Incoming(
            _key(j),
            j.values,
            failed=bool(j.reasons),
            quarantined=r.kind == "unreadable",
            received=(r.drop.received_at, r.drop.name),
        )
        for r, j in flat
    ]
    stored = stored_currents(session, CurrentReturn, PiReturn, {item.key for item in incoming if item.key})
    plan = plan_statuses(incoming, stored)
    file_ids = dict(zip(map(id, results), insert_files(session, run_id, results), strict=True))
    rows = [
        _return_row(result, judged, status, file_ids[id(result)])
        for (result, judged), status in zip(flat, plan.statuses, strict=True)
    ]
    return_ids = insert_rows(session, PiReturn, rows)
    mark_superseded(session, PiReturn, plan.superseded_ids)
    currents = {key: return_ids[index] for key, index in plan.currents.items()}
    replace_currents(session, CurrentReturn, ("service_id", "year", "quarter"), currents)
    return plan.statuses


def _return_row(result: FileResult, judged: JudgedReturn, status: str, file_id: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "file_id": file_id,
        "source_file": result.drop.name,
        "received_at": result.drop.received_at,
        "service_id": judged.service_id,
        "year": judged.year,
        "quarter": judged.quarter,
        "provider_id": judged.provider_id,
        "status": status,
        "reasons": ";".join(judged.reasons),  # kept for a duplicate too; the register hides them
        "messages": judged.messages,
        "values": judged.values,
        "breaches": ";".join(judged.breaches),
        "comments": judged.comments,
        "notice_path": notice_path(result, judged) if status == "returned" else "",
        "notice_written": False,
    }
    for pi, column in zip(("KPI1", "KPI2", "SPI1", "SPI2", "SPI3", "SPI4"), PI_COLUMNS, strict=True):
        row[column] = judged.pis.get(pi)
    return row


def finish_run(session: Session, run_id: int, counts: dict[str, int]) -> None:
    """Record the end of a run and its counts."""
    session.execute(
        update(IngestRun).where(col(IngestRun.id) == run_id).values(finished_at=datetime.now(UTC), **counts)
    )
