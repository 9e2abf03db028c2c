"""The corpus's contract records and programme: the demo authority's, with one outdated and one unknown service."""

from __future__ import annotations

from data_contracts.tables import ContractRecord
from foundation.programme import Programme, parse_programme
from spmon import demo
from spmon.sample_data import demo_contracts, demo_programme_toml
from tests.corpus.cases import OUTDATED, PREVIOUS, PROCUREMENT_REVIEW, SEED, UNKNOWN_SERVICE, YEAR, Case


def contract_of(service_id: str) -> ContractRecord:
    """The generator's contract record of a service (the unknown service's too)."""
    return contracts_by_id()[service_id]


def _all_contracts() -> list[ContractRecord]:
    """The generator's 13 contracts of 2025/26; SV00111 on workbook version V2."""
    records = demo_contracts(YEAR, count=13, seed=SEED)
    return [
        c.model_copy(update={"workbook_version": "V2"}) if c.service_id == OUTDATED else c for c in records
    ]


def contracts_2025() -> list[ContractRecord]:
    """The 2025/26 contract records the authority holds (every one but the unknown service)."""
    return [c for c in _all_contracts() if c.service_id != UNKNOWN_SERVICE]


def programme_toml() -> str:
    """The demo programme of 2024/25 and 2025/26, with SV00102 on 2025/26's procurement review."""
    text = demo_programme_toml([PREVIOUS, YEAR])
    head, marker, tail = text.partition(f'[years."{YEAR}"]')
    listed = ", ".join(f'"{s}"' for s in PROCUREMENT_REVIEW)
    reviewed = tail.replace("procurement_review = []", f"procurement_review = [{listed}]", 1)
    assert reviewed != tail  # noqa: S101 - the demo programme changed shape
    return head + marker + reviewed


def programme() -> Programme:
    return parse_programme(programme_toml(), source="corpus programme")


def case_values(case: Case, quarter: str) -> dict[str, object]:
    """The figures the provider typed into one quarter page of a case's file."""
    change = case.change if quarter == case.quarters[-1] else None
    return demo.quarter_values(contracts_by_id()[case.service_id], quarter, change)


def contracts_by_id() -> dict[str, ContractRecord]:
    return {c.service_id: c for c in _all_contracts()}
