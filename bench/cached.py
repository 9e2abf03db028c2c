"""Benchmark databases built once and kept under ``bench/out``, and the contracts they hold."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from data_contracts.tables import ContractRecord
from spmon.sample_data import demo_contracts

OUT = Path(__file__).parent / "out"
SERVICES_A_PROVIDER = 5


def cached_database(name: str, services: int, build: Callable[[Path, int], None]) -> Path:
    """``bench/out/<name>-<services>.sqlite``, built with ``build(path, services)`` when missing."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}-{services}.sqlite"
    if not path.exists():
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        build(partial, services)
        partial.replace(path)
        print(f"built {path.name} in {time.perf_counter() - started:.1f} s", flush=True)  # noqa: T201
    return path


def grouped_contracts(years: Sequence[str], services: int, seed: int) -> list[ContractRecord]:
    """N services of each year, five a provider; the same services and providers every year."""
    found = []
    for year in years:
        for number, record in enumerate(demo_contracts(year, services, seed=seed)):
            provider = number // SERVICES_A_PROVIDER
            record.provider_id = f"PR{provider + 1:05d}"
            record.provider_name = f"Provider {provider + 1} Housing Trust"
            found.append(record)
    return found
