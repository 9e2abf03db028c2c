"""``make demo`` builds a demo authority and its register shows each intended fault."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from spmon import demo

pytestmark = pytest.mark.e2e


def _rows(register: Path) -> list[dict[str, str]]:
    """The register without the hashes (openpyxl stamps the time of saving into each file)."""
    with register.open(newline="", encoding="utf-8") as handle:
        return [{k: v for k, v in row.items() if k != "sha256"} for row in csv.DictReader(handle)]


def test_demo_is_repeatable_and_its_register_shows_every_fault(
    tmp_path: Path, prefect_api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", prefect_api_url)
    monkeypatch.setenv("SPMON_DATABASE_URL", "postgresql://must-not-be-used/")  # the demo ignores SPMON_*
    root = tmp_path / "demo"
    first = _rows(demo.main(root))
    register = demo.main(root)  # wipes and rebuilds: the same register again

    rows = _rows(register)
    assert rows == first
    returned = Counter(r["reasons"] for r in rows if r["status"] == "returned")
    for reason in (
        "trigger_unexplained",
        "local_pi_unbalanced",
        "incomplete",
        "invalid_value",
        "units_changed_unexplained",
    ):
        assert returned[reason] >= 1, f"no return returned for {reason} alone: {returned}"
    statuses = Counter(r["status"] for r in rows)
    assert statuses["duplicate"] >= 1
    assert statuses["quarantined"] == 2
    assert statuses["superseded"] >= 1
    assert sum(r["late"] == "true" for r in rows) == 1
    explained = [r for r in rows if r["status"] == "accepted" and r["breaches"]]
    assert explained, "no accepted return with an explained breach"
    extended = next(r for r in rows if r["source_file"] == "Hillcrest Floating Support Q2.xlsx")
    assert (extended["status"], extended["deadline"], extended["late"]) == ("accepted", "2025-11-07", "false")

    assert not list((root / "drop").iterdir())
    assert len(list((root / "quarantine").rglob("*.xlsx"))) == 2
    assert list((root / "outbox").rglob("*.*"))
    assert len(list((root / "issued").glob("*.xlsx"))) == 12
