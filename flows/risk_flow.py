"""The risk flow: the desk-top compliance audit of every service, as at a day, after ingestion.

judge every clause of every service -> bring the history cache up to date -> write reminders -> summary

The history itself is a function of the data (``tasks.contract_management.history``): the
reports derive it and never depend on this flow having run. What this flow
records in ``risk_change``/``risk_level`` is a cache equal to that derivation
up to the latest as-at date it ran for; the changes it reports are those the
cache did not hold before (a change dated the day the data made it, which
may be before the run).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE

from foundation.db import session_scope
from foundation.programme import load_programme
from foundation.settings import get_settings
from tasks.calendar.dates import london_today, parse_day
from tasks.contract_management.chasing import write_late_reminders, write_reminders
from tasks.contract_management.history import evaluate_and_record
from tasks.outbox.failure_notices import notify_crash, notify_failure


def risk_run_name() -> str:
    """``risk-as-at-2025-10-14`` for a given day, else ``risk-2025-10-14-0131`` (London time of the run)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from prefect.runtime import flow_run

    if flow_run.parameters.get("as_at"):
        return f"risk-as-at-{flow_run.parameters['as_at']}"
    return datetime.now(ZoneInfo("Europe/London")).strftime("risk-%Y-%m-%d-%H%M%S")


@task(name="evaluate-risk", cache_policy=NONE, retries=2, retry_delay_seconds=5)
def evaluate_risk(database_url: str, as_at: date) -> dict[str, object]:
    """Judge every service and bring the history cache up to date, in one transaction."""
    programme = load_programme(get_settings().programme)
    with session_scope(database_url) as session:
        changes = evaluate_and_record(session, programme, as_at)
        lines = [
            f"{c.service_id} {c.subject}: {c.from_level or 'new'} -> {c.to_level} on {c.changed_on}"
            for c in changes
            if c.subject in ("overall", "priority")
        ]
        priorities = Counter(c.to_level for c in changes if c.subject == "priority")
    return {"changes": len(changes), "lines": lines, "priorities": dict(priorities)}


@task(name="write-reminders", cache_policy=NONE, retries=2, retry_delay_seconds=5)
def remind_providers(database_url: str, as_at: date) -> int:
    """Reminders to providers: returns due in the next 14 days, and chases of late returns."""
    settings = get_settings()
    programme = load_programme(settings.programme)
    with session_scope(database_url) as session:
        upcoming = write_reminders(session, programme, settings.outbox, as_at)
        late = write_late_reminders(session, programme, settings.outbox, as_at)
    return len(upcoming) + len(late)


@flow(name="risk", flow_run_name=risk_run_name, on_failure=[notify_failure], on_crashed=[notify_crash])
def risk_flow(as_at: str | None = None) -> dict[str, object]:
    """Evaluate every service's clause risks and priority as at a day (default: today in London)."""
    day = parse_day(as_at) if as_at else london_today()
    url = get_settings().database
    result = evaluate_risk(url, day)
    result["reminders"] = remind_providers(url, day)
    summary = "\n".join(
        [
            f"# Risk as at {day.isoformat()}",
            f"- changes of level newly recorded (each dated the day the data made it): {result['changes']}",
            f"- reminders written to the outbox: {result['reminders']}",
            *[f"- {line}" for line in result["lines"]],  # type: ignore[attr-defined]
        ]
    )
    get_run_logger().info(summary)
    create_markdown_artifact(markdown=summary, key="risk-summary", description="Risk evaluation summary")
    return result
