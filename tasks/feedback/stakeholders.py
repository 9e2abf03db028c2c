"""``spmon feedback stakeholders import``: stakeholders, upserted by ``stakeholder_id``, all or nothing."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from data_contracts.feedback_tables import STAKEHOLDER_COLUMNS, Stakeholder
from tasks.common.contract_records import id_text, required_text
from tasks.feedback.rows import (
    Reader,
    check_rows,
    no_repeats,
    optional_text,
    parse_rows,
    service_problems,
    services_by_provider,
    upsert,
)

_REQUIRED: dict[str, Reader] = {
    "stakeholder_id": id_text,
    "provider_id": id_text,
    "service_id": id_text,
    "name": required_text,
}


def import_stakeholders(session: Session, path: Path) -> int:
    """Load stakeholders; a later import updates by ``stakeholder_id``. The number of rows."""
    readers = {column: _REQUIRED.get(column, optional_text) for column in STAKEHOLDER_COLUMNS}
    rows, records = parse_rows(path, STAKEHOLDER_COLUMNS, readers, Stakeholder)
    no_repeats(path, rows, [r["stakeholder_id"] for r in records], "stakeholder_id")
    services = services_by_provider(session)
    check_rows(path, rows, [service_problems(services, record) for record in records])
    upsert(session, Stakeholder, "stakeholder_id", records)
    return len(records)
