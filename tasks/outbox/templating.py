"""The outbox's Jinja2 environment: notice and letter templates of ``tasks/outbox/templates``."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from data_contracts.qaf_tables import QafReturn
from data_contracts.tables import PiReturn
from foundation.templating import package_environment
from tasks.calendar.dates import LONDON, as_utc


def environment() -> Environment:
    """Templates of ``tasks/outbox/templates``, text kept as is."""
    return package_environment("tasks.outbox")


def render(template: str, **values: Any) -> str:
    """The text of one notice or letter from its template."""
    return environment().get_template(template).render(**values)


def returned_file_values(row: PiReturn | QafReturn) -> dict[str, Any]:
    """What every notice of a returned file tells: whose, which year, which file, when received, and why."""
    return {
        "provider_id": row.provider_id,
        "year": row.year,
        "source_file": row.source_file,
        "received": as_utc(row.received_at).astimezone(LONDON).strftime("%d/%m/%Y at %H:%M"),
        "messages": row.messages,
        "reasons": row.reasons,
    }
