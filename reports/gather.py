"""Gathering the reports' inputs from the database, as it stood on the as-at date.

Each function reads; none writes. Risk levels are judged afresh as at the
as-at date, and since when a level holds and what changed in a month come
from the history **derived** from the data (``tasks.contract_management.history.derive_history``),
never from the ``risk_change`` table (a cache the risk flow keeps for other
readers). So a report for any past period, run on demand on a database
where the risk flow never ran, equals the one a database with nightly risk
runs publishes.

One module a report input: ``gather_risk`` (the services judged, their
history, the Contracts Update), ``gather_meetings`` (the meeting schedule),
``gather_returns`` (the returns status) and ``gather_quarterly`` (the
quarterly report and the packs). Every name is importable from here.
"""

from reports.gather_meetings import gather_meeting_schedule, open_meeting, provider_names
from reports.gather_quarterly import gather_packs, gather_quarterly
from reports.gather_returns import (
    d_grades_as_at,
    extended_quarters,
    gather_returns_status,
    qaf_statuses,
    quarter_rows_as_at,
    received_in_month,
    visits_to_arrange,
)
from reports.gather_risk import RISK_STATE, gather_contracts_update, latest_contracts, risk_rows, risk_state

__all__ = [
    "RISK_STATE",
    "d_grades_as_at",
    "extended_quarters",
    "gather_contracts_update",
    "gather_meeting_schedule",
    "gather_packs",
    "gather_quarterly",
    "gather_returns_status",
    "latest_contracts",
    "open_meeting",
    "provider_names",
    "qaf_statuses",
    "quarter_rows_as_at",
    "received_in_month",
    "risk_rows",
    "risk_state",
    "visits_to_arrange",
]
