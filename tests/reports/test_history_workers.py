"""The risk history derived by forked workers is the history one derivation gives, in the same order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session

import reports.history_workers
from reports.history_workers import judged_with_history
from tasks.calendar.dates import year_of
from tasks.contract_management.facts import FactSource
from tasks.contract_management.history import derive_history
from tests.factories.programmes import programme
from tests.factories.sessions import sqlite_session
from tests.reports import scenario


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def test_forked_history_is_one_derivations(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario.build(session)
    source = FactSource.load(session, programme(), year_of(scenario.AS_AT))
    alone = derive_history(source, scenario.AS_AT)
    judged_alone = source.evaluate_all(scenario.AS_AT)
    monkeypatch.setattr(reports.history_workers, "FORK_FROM", 1)  # fork even for these seven services
    for workers in (2, 3):
        judged, history = judged_with_history(source, scenario.AS_AT, workers=workers)
        assert history.changes == alone.changes
        assert judged == judged_alone
    assert len({c.service_id for c in alone.changes}) == len(scenario.SERVICES["PR3"]) + 4  # every service
