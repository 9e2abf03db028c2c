"""How a change of level is named, and how a quarter under an extension reads (one rule each)."""

from __future__ import annotations

from datetime import date

import pytest

from reports.inputs import RiskChangeRow
from reports.pi_data import ServiceQuarter

DAY = date(2025, 11, 20)


@pytest.mark.parametrize(
    ("subject", "before", "after", "named"),
    [
        ("pi_timeliness", "Medium", "High", "escalated"),
        ("pi_timeliness", "Low", "Medium", "escalated"),
        ("pi_timeliness", "Low", "High", "escalated"),
        ("pi_timeliness", "High", "Medium", "reduced"),
        ("pi_timeliness", "High", "Low", "resolved"),
        ("pi_timeliness", "Medium", "Low", "resolved"),
        ("pi_timeliness", None, "Medium", "new"),
        ("pi_timeliness", None, "High", "new"),
        ("priority", "GREEN", "RED", "escalated"),
        ("priority", "GREEN", "AMBER", "escalated"),
        ("priority", "AMBER", "RED", "escalated"),
        ("priority", "RED", "AMBER", "reduced"),
        ("priority", "RED", "GREEN", "resolved"),
        ("priority", None, "RED", "new"),
    ],
)
def test_a_change_is_named_by_its_direction(subject: str, before: str | None, after: str, named: str) -> None:
    row = RiskChangeRow("SV1", "PR1", subject, before, after, DAY)
    assert row.change == named
    assert row.movement == (after if before is None else f"{before} to {after}")


def quarter(**fields: object) -> ServiceQuarter:
    base: dict[str, object] = {
        "service_id": "SV109",
        "provider_id": "PR1",
        "provider_name": "Provider",
        "service_name": "Service",
        "client_group": "Older people",
        "service_type": "Floating support",
        "contracted_units": 10,
        "hours_per_week": 35.0,
        "year": "2025/26",
        "quarter": "Q2",
        "applicable": ("SPI2",),
        "deadline": date(2025, 11, 7),  # after the extension
    }
    return ServiceQuarter(**(base | fields))  # type: ignore[arg-type]


def test_a_quarter_within_its_extension_is_extended_not_missing() -> None:
    extended = quarter(extension=date(2025, 11, 7))
    assert extended.state(date(2025, 10, 28)) == "extended to 2025-11-07"
    assert extended.state(date(2025, 11, 7)) == "extended to 2025-11-07"
    assert extended.state(date(2025, 11, 8)) == "non-return"  # the extension has passed
    received = quarter(extension=date(2025, 11, 7), first_received=date(2025, 10, 24))
    assert received.state(date(2025, 10, 28)) == "on time"
    assert quarter(deadline=date(2025, 10, 21)).state(date(2025, 10, 28)) == "non-return"
