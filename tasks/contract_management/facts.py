"""Each service's facts, gathered from the database as it stood on an as-at date, and their risk.

"As it stood" means: PI and QAF files received (Europe/London date) on or
before the as-at date; the current return of a quarter is the latest of
them, with the status it had then (a return since superseded was
``returned`` when it carried reasons, else ``accepted``); agreed grades
agreed, plans received and re-validations made on or before it; actions
closed on or before it. Meetings and actions have no recorded date of entry:
all held are used. Evaluating the same date twice on the same data gives the
same answer.

Everything is read once into a ``FactSource``, from which any day's facts are
cut in memory (the risk history asks for many days); ``evaluate_all`` and
the history use the same cut, so they cannot disagree. The load is in
``fact_source``, the cutting of rows in ``fact_rows``; every name is still
importable from here.

The services judged are those with a contract record in the as-at date's
monitoring year; their quarters are those of every year they have a contract
record for, up to that year, where a deadline is known (the year is in the
programme file, or an extension is agreed).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from foundation.programme import Programme
from tasks.calendar.dates import year_of
from tasks.contract_management.clauses import ServiceFacts
from tasks.contract_management.fact_rows import (
    CURRENT_STATUSES,
    accepted_currents,
    agreed_grades_as_at,
    contract_years,
    contracts_up_to,
    covers,
    gather_actions,
    gather_qaf_facts,
    improvement_plans,
    latest_current,
    latest_grades,
    one_quarter,
    pi_rows_as_at,
    qaf_rows_as_at,
    quarter_facts,
    received_by,
    status_then,
    taken_order,
)
from tasks.contract_management.fact_source import Dated, FactSource, ServiceRisk, judge

__all__ = [
    "CURRENT_STATUSES",
    "Dated",
    "FactSource",
    "ServiceRisk",
    "accepted_currents",
    "agreed_grades_as_at",
    "contract_years",
    "contracts_up_to",
    "covers",
    "evaluate_all",
    "gather_actions",
    "gather_facts",
    "gather_qaf_facts",
    "improvement_plans",
    "judge",
    "latest_current",
    "latest_grades",
    "one_quarter",
    "pi_rows_as_at",
    "qaf_rows_as_at",
    "quarter_facts",
    "received_by",
    "status_then",
    "taken_order",
]


def evaluate_all(session: Session, programme: Programme, as_at: date) -> list[ServiceRisk]:
    """Every service with a contract in the as-at date's year, judged as at that date, by service ID."""
    return FactSource.load(session, programme, year_of(as_at)).evaluate_all(as_at)


def gather_facts(session: Session, programme: Programme, as_at: date) -> list[ServiceFacts]:
    """The facts of every service with a contract in the as-at date's year, by service ID."""
    source = FactSource.load(session, programme, year_of(as_at))
    return [source.facts(contract, as_at) for contract in source.contracts_in(year_of(as_at))]
