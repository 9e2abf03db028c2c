"""The PI judging scenarios, judged once for the session."""

from __future__ import annotations

from typing import Any

import pytest

from tasks.pi.judge import JudgedReturn
from tests.tasks.pi.judge_scenarios import SCENARIOS, judge_books


@pytest.fixture(scope="session")
def judged() -> dict[str, list[JudgedReturn]]:
    results = judge_books(*SCENARIOS.values())
    assert len(results) == len(SCENARIOS)
    return dict(zip(SCENARIOS, results, strict=True))


@pytest.fixture
def one(judged: dict[str, list[JudgedReturn]]) -> Any:
    def get(name: str) -> JudgedReturn:
        [row] = judged[name]
        return row

    return get
