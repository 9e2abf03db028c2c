"""What the registers must show for the corpus: the cases' rows, with the PIs of accepted returns worked out by hand."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from data_contracts.qaf_workbook import assessed_objectives, join_service_ids
from data_contracts.tables import ContractRecord
from tasks.calendar.dates import days_in_quarter
from tests.corpus.cases import CASES, YEAR
from tests.corpus.contracts import case_values, contracts_2025, contracts_by_id
from tests.corpus.qaf_cases import QAF_CASES

PI_NAMES = ("kpi1", "kpi2", "spi1", "spi2", "spi3", "spi4")


def two_decimals(value: float | None) -> str:
    if value is None:
        return ""
    return str(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def hand_pis(contract: ContractRecord, quarter: str, values: Mapping[str, object]) -> dict[str, str]:
    """The six PIs of a clean page by the formulas of ``pi-rules.md``, two decimals (blank: not applicable)."""
    v = {k: float(x) for k, x in values.items() if isinstance(x, int | float)}
    days = days_in_quarter(contract.year, quarter)
    unit_days = v["units"] * days
    accommodation = contract.service_type == "Accommodation based"
    short_term_accommodation = accommodation and contract.planned_duration == "Short term"
    pis: dict[str, float | None] = dict.fromkeys(PI_NAMES)
    if contract.planned_duration == "Long term" or contract.service_type == "Floating support":
        kept = v["continuing_service_users"] + v["departed_independent"]
        pis["kpi1"] = 100 * kept / (kept + v["departed_not_independent"])
    if short_term_accommodation:
        departures = v["planned_departures"] + v["unplanned_departures"]
        pis["kpi2"] = 100 * v["planned_departures"] / departures
        pis["spi4"] = 100 * (departures + v["departed_excluded"]) / v["units"]
    if accommodation:
        available = unit_days - v["unit_days_unavailable"]
        pis["spi1"] = 100 * available / unit_days
        pis["spi2"] = 100 * v["unit_days_occupied"] / available
    else:
        pis["spi2"] = 100 * v["service_user_days"] / unit_days
    if contract.frontline_hours_per_week > 0:
        pis["spi3"] = 100 * v["frontline_hours_delivered"] / (contract.frontline_hours_per_week * days / 7)
    return {pi: two_decimals(value) for pi, value in pis.items()}


def expected_register() -> list[dict[str, str]]:
    """Every PI register row the corpus must give, in the order the cases arrive.

    Columns: source_file, service_id, year, quarter, status, reasons, breaches, late,
    received_at, deadline ("" when the case does not say), and the PIs of accepted and
    duplicate rows (worked out by hand; absent for the others).
    """
    rows = []
    for case in CASES:
        for row in case.rows:
            item = {
                "source_file": case.name,
                "service_id": "" if row.status == "quarantined" else case.service_id,
                "year": "" if row.status == "quarantined" else YEAR,
                "quarter": row.quarter,
                "status": row.status,
                "reasons": row.reasons,
                "breaches": row.breaches,
                "late": "true" if row.late else ("false" if row.quarter else ""),
                "received_at": case.received.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "deadline": row.deadline,
            }
            if row.status in ("accepted", "duplicate"):
                contract = contracts_by_id()[case.service_id]
                item |= hand_pis(contract, row.quarter, case_values(case, row.quarter))
            rows.append(item)
    return rows


def expected_qaf_register() -> list[dict[str, str]]:
    """Every QAF register row the corpus must give (the columns the cases say)."""
    rows = []
    services = {
        p: join_service_ids([c.service_id for c in contracts_2025() if c.provider_id == p])
        for p in {c.provider_id for c in contracts_2025()}
    }
    for case in QAF_CASES:
        objectives = assessed_objectives(case.form)
        rows.append(
            {
                "source_file": case.name,
                "received_at": case.received.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "provider_id": case.provider_id,
                "year": YEAR,
                "service_ids": services[case.provider_id],
                "form": case.form,
                "status": case.status,
                "reasons": case.reasons,
                **{
                    f"claimed_{o.lower().replace('.', '_')}": case.claims.get(o, "C")
                    if o in objectives
                    else ""
                    for o in ("C1.1", "C1.2", "C1.3", "C1.4", "C1.5", "C1.6", "C1.7")
                },
                "visit": "true" if case.visit_reasons else "false",
                "visit_reasons": case.visit_reasons,
            }
        )
    return rows


def compare(actual: list[dict[str, str]], expected: list[dict[str, str]]) -> list[str]:
    """The differences between register rows and what the cases say (only the columns they give)."""
    problems = []
    if len(actual) != len(expected):
        problems.append(f"{len(actual)} rows, expected {len(expected)}")
    for index, (got, want) in enumerate(zip(actual, expected, strict=False)):
        for column, value in want.items():
            if column == "deadline" and not value:
                continue
            if got.get(column) != value:
                problems.append(
                    f"row {index} {want['source_file']} {want.get('quarter', '')}: "
                    f"{column} is {got.get(column)!r}, expected {value!r}"
                )
    return problems
