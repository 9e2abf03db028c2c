"""Received files and PI returns: raw rows (``add_pi``), or with the PIs computed as the ingestion does.

For ``pi_return``: every figure a report test asserts is computed again in
the test from the raw counts given, by hand, never by the project's own functions.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from data_contracts.tables import ContractRecord, Extension, PiReturn, ReceivedFile
from tasks.calendar.dates import days_in_quarter
from tasks.pi.rules import breaches, compute_pis
from tests.factories.programmes import YEAR, programme
from tests.factories.sessions import stored

LOCAL = {
    "new_service_users": 2,
    "referrals_received": 4,
    "referrals_accepted": 2,
    "referrals_declined": 1,
    "referrals_withdrawn": 1,
    "referrals_pending": 0,
    "referrals_eth_white": 4,
    "referrals_eth_mixed": 0,
    "referrals_eth_asian": 0,
    "referrals_eth_black": 0,
    "referrals_eth_other": 0,
    "referrals_eth_not_known": 0,
}


def add_file(
    session: Session, name: str, received: datetime, kind: str = "pi", key: str | None = None
) -> ReceivedFile:
    """A received file; its SHA-256 is that of ``key`` (by default the name and the time received)."""
    text = f"{name}{received.isoformat()}" if key is None else key
    return stored(
        session,
        ReceivedFile(
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            source_file=name,
            received_at=received,
            size_bytes=1,
            kind=kind,
            stored_path=name,
        ),
    )


def add_pi(
    session: Session,
    service_id: str,
    quarter: str,
    received: datetime,
    status: str = "accepted",
    year: str = YEAR,
    **fields: Any,
) -> PiReturn:
    """A PI return row (and its file); ``fields`` set reasons, breaches, values, ...

    ``source_file`` names the file, ``file_key`` sets what its SHA-256 is of.
    """
    name = fields.pop("source_file", f"PI_{service_id}_{quarter}_{received:%Y%m%d%H%M}.xlsx")
    file = add_file(session, name, received, key=fields.pop("file_key", None))
    assert file.id is not None
    row = PiReturn(
        file_id=file.id,
        source_file=name,
        received_at=received,
        service_id=service_id,
        year=year,
        quarter=quarter,
        provider_id=fields.pop("provider_id", "PR1"),
        status=status,
        **fields,
    )
    return stored(session, row)


def pi_return(
    session: Session,
    record: ContractRecord,
    quarter: str,
    received: datetime,
    values: dict[str, Any],
    status: str = "accepted",
    comments: str = "",
    reasons: str = "",
    name: str | None = None,
) -> PiReturn:
    """A stored return whose PIs and breaches are computed as the ingestion does."""
    full = {**LOCAL, **values, "comments": comments}
    pis = compute_pis(full, record, days_in_quarter(record.year, quarter))
    triggers = programme().year(record.year).triggers
    return add_pi(
        session,
        record.service_id,
        quarter,
        received,
        status,
        record.year,
        source_file=name or f"PI_{record.service_id}_{quarter}_{received:%Y%m%d%H%M}.xlsx",
        provider_id=record.provider_id,
        reasons=reasons,
        values=full,
        comments=comments,
        breaches=";".join(breaches(pis, triggers)),
        **{pi.lower(): value for pi, value in pis.items()},
    )


def extension(session: Session, service_id: str, quarter: str, until: date, year: str = YEAR) -> None:
    stored(session, Extension(service_id=service_id, year=year, quarter=quarter, until=until))
