"""The national return extract (``reports.md``, Quarterly 3): its columns, in order.

A CSV (UTF-8, header row) with one row per service whose return for the
quarter is accepted (the current return as the database stood on the as-at
date), ordered by service ID:

| columns | content |
|---|---|
| ``service_id``, ``provider_id`` | as in the contract record of the return's year |
| ``client_group``, ``service_type`` | the primary client group and service type of that record |
| ``year``, ``quarter`` | ``2025/26``, ``Q1``..``Q4`` |
| ``days_in_quarter`` | ``D``, from the calendar (``pi-rules.md``) |
| ``contracted_units``, ``frontline_hours_per_week`` | from the contract record (the ``H`` of SPI3) |
| the raw counts | every figure a provider types, in the order of the PI workbook's quarter page, |
|  | ``units`` to ``referrals_eth_not_known`` (blank where not filled) |
| ``kpi1`` .. ``spi4`` | the six PI values to two decimals, half away from zero; blank where one does |
|  | not apply or has no value |
| ``source_file``, ``received_at`` | where the row comes from: the return's file name, and when it was |
|  | received (UTC, ``2025-10-06T12:00:00Z``; the date alone while only the date is known) |

The last two columns come after everything the national return expects, so a
reader that takes the columns it knows by position is not disturbed.

Whole counts are written without decimals (``12``), other numbers as they
were read (``37.5``). Text is made inert (``data_contracts.safe_cells``).
"""

from __future__ import annotations

from data_contracts.pi_workbook import NUMERIC_PROVIDER_CELLS

EXTRACT_SERVICE_COLUMNS: tuple[str, ...] = (
    "service_id",
    "provider_id",
    "client_group",
    "service_type",
    "year",
    "quarter",
    "days_in_quarter",
    "contracted_units",
    "frontline_hours_per_week",
)
# The raw counts: every numeric provider cell of the quarter page, in its order.
EXTRACT_COUNT_COLUMNS: tuple[str, ...] = NUMERIC_PROVIDER_CELLS
EXTRACT_PI_COLUMNS: tuple[str, ...] = ("kpi1", "kpi2", "spi1", "spi2", "spi3", "spi4")
EXTRACT_TRACE_COLUMNS: tuple[str, ...] = ("source_file", "received_at")
NATIONAL_EXTRACT_COLUMNS: tuple[str, ...] = (
    *EXTRACT_SERVICE_COLUMNS,
    *EXTRACT_COUNT_COLUMNS,
    *EXTRACT_PI_COLUMNS,
    *EXTRACT_TRACE_COLUMNS,
)
