"""The services' risk history for the reports, derived by forked workers when there are many services.

Deriving the history (``tasks.contract_management.history``) judges every
clause of every service on its candidate days: most of the gathering of
both the monthly and the quarterly reports for a large authority, and each
service's history is its own. So the services are shared among workers
forked after the facts are loaded: each reads the one loaded copy (shared
until written, never sent), derives its share and sends back only the
changes, while this process judges the services as at the date. The
changes are put in the order one derivation gives, so the history is the
same whichever way it was made (``tests/reports/test_history_workers.py``).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from datetime import date

from reports.publish import report_workers
from tasks.calendar.dates import year_of
from tasks.contract_management.facts import FactSource, ServiceRisk
from tasks.contract_management.history import Change, History, derive_history

FORK_FROM = 400  # services: fewer are derived here (a fork costs more than it saves)
_SOURCE: FactSource | None = None  # what a forked worker reads (inherited, never pickled)
_AS_AT = date.min


def _changes_of(service_ids: Sequence[str]) -> list[Change]:
    assert _SOURCE is not None  # noqa: S101 - set before the workers are forked
    return derive_history(_SOURCE, _AS_AT, service_ids).changes


def judged_with_history(
    source: FactSource, as_at: date, workers: int | None = None
) -> tuple[list[ServiceRisk], History]:
    """Every service judged as at the date, and the history of each up to it (as ``derive_history``)."""
    global _SOURCE, _AS_AT  # noqa: PLW0603 - what the forked workers read
    service_ids = [c.service_id for c in source.contracts_in(year_of(as_at))]
    workers = report_workers() if workers is None else workers
    if workers < 2 or len(service_ids) < FORK_FROM or "fork" not in multiprocessing.get_all_start_methods():
        history = derive_history(source, as_at, service_ids)  # first: judging then reuses the facts it cut
        return source.evaluate_all(as_at), history
    size = -(-len(service_ids) // workers)
    shares = [service_ids[first : first + size] for first in range(0, len(service_ids), size)]
    _SOURCE, _AS_AT = source, as_at
    try:
        with multiprocessing.get_context("fork").Pool(len(shares)) as pool:
            pending = pool.map_async(_changes_of, shares, chunksize=1)
            judged = source.evaluate_all(as_at)  # here, meanwhile
            changes = [change for share in pending.get() for change in share]
    finally:
        _SOURCE, _AS_AT = None, date.min
    changes.sort(key=lambda c: (c.changed_on, c.service_id, c.subject))  # the order derive_history gives
    return judged, History(as_at, changes)
