"""The export columns of the return registers (``interface.md``)."""

from __future__ import annotations

PI_REGISTER_COLUMNS: tuple[str, ...] = (
    "source_file",
    "sha256",
    "service_id",
    "year",
    "quarter",
    "status",
    "reasons",
    "kpi1",
    "kpi2",
    "spi1",
    "spi2",
    "spi3",
    "spi4",
    "breaches",
    "received_at",
    "deadline",
    "late",
)
