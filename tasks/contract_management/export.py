"""``spmon risk export OUT.csv --as-at DATE`` (``interface.md``): clause risks, then overall.

One row per service and clause (``service_id,provider_id,clause,level,detail``)
in the order of ``risk.md``'s table, then one ``overall`` row whose detail is
the service's priority; services by service ID. Text is made inert.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from sqlmodel import Session

from data_contracts.risk_tables import OVERALL, RISK_EXPORT_COLUMNS
from foundation.programme import Programme
from tasks.contract_management.facts import ServiceRisk, evaluate_all
from tasks.pi.register import write_register_csv


def risk_rows(risks: Iterable[ServiceRisk]) -> Iterator[dict[str, str]]:
    """The export rows of the services' risks, by service ID, clauses in order, then overall."""
    for risk in sorted(risks, key=lambda r: r.service_id):
        for result in risk.results:
            yield _row(risk, result.clause, result.level, result.detail)
        yield _row(risk, OVERALL, risk.overall, risk.priority)


def _row(risk: ServiceRisk, clause: str, level: str, detail: str) -> dict[str, str]:
    return {
        "service_id": risk.service_id,
        "provider_id": risk.provider_id,
        "clause": clause,
        "level": level,
        "detail": detail,
    }


def write_risk_csv(risks: Iterable[ServiceRisk], out: Path) -> int:
    """Write the export (UTF-8, header row, written under a temporary name); the number of rows."""
    return write_register_csv(risk_rows(risks), out, RISK_EXPORT_COLUMNS)


def export_risk(session: Session, programme: Programme, as_at: date, out: Path) -> int:
    """Judge every service as at the date and write the export; the number of rows."""
    return write_risk_csv(evaluate_all(session, programme, as_at), out)
