"""The report flows: monthly on the first working day of a month, quarterly after the report date.

Both can also be run for any past period on demand.

Scheduled runs pass no period: the flow works out which period is due and
publishes it if it has not been published yet, so a run missed while the
server was down is caught up by the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.runtime import flow_run

from foundation.db import session_scope
from foundation.programme import Programme, load_programme
from foundation.settings import get_settings
from reports.periods import default_month_as_at, default_quarter_as_at, month_period, quarter_period_name
from reports.publish import read_manifest
from reports.run import publish_monthly, publish_quarterly
from tasks.calendar.dates import QUARTER_FIRST_MONTH, is_working_day, london_today, parse_day, year_of
from tasks.outbox.failure_notices import notify_crash, notify_failure


def first_working_day(day: date) -> date:
    """The first working day of the month ``day`` falls in."""
    first = day.replace(day=1)
    while not is_working_day(first):
        first += timedelta(days=1)
    return first


def month_due(today: date) -> date | None:
    """The month whose reports are due by ``today``: the month before, from its first working day."""
    if today < first_working_day(today):
        return None
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def quarter_due(programme: Programme, today: date) -> tuple[str, str] | None:
    """The latest quarter whose report date (deadline plus the year's delay) has passed by ``today``."""
    candidates = []
    for year in (year_of(today - timedelta(days=366)), year_of(today)):
        if not programme.has_year(year):
            continue
        for quarter in QUARTER_FIRST_MONTH:
            report_day = default_quarter_as_at(programme, year, quarter)
            if report_day <= today:
                candidates.append((report_day, year, quarter))
    return max(candidates)[1:] if candidates else None


def _published(period: str) -> bool:
    return any(entry["period"] == period for entry in read_manifest(get_settings().reports))


@task(name="publish-monthly", cache_policy=NONE, retries=1)
def publish_month(month: date, as_at: date) -> list[str]:
    """Publish the month's three reports; the files written.

    Nothing is recorded first: the reports derive the risk history from the
    data (``tasks.contract_management.history``), so they do not depend on the risk flow.
    """
    programme = load_programme(get_settings().programme)
    with session_scope(get_settings().database) as session:
        entries = publish_monthly(session, programme, get_settings().reports, month, as_at)
    return [file["path"] for entry in entries for file in entry["files"]]


@task(name="publish-quarterly", cache_policy=NONE, retries=1)
def publish_quarter(year: str, quarter: str, as_at: date) -> list[str]:
    """Publish the quarter's reports and the providers' packs; the files written."""
    programme = load_programme(get_settings().programme)
    with session_scope(get_settings().database) as session:
        entries = publish_quarterly(session, programme, get_settings().reports, year, quarter, as_at)
    return [file["path"] for entry in entries for file in entry["files"]]


def _summarise(title: str, files: list[str]) -> list[str]:
    summary = "\n".join([f"# {title}", f"- {len(files)} files published", *[f"- {name}" for name in files]])
    get_run_logger().info(summary)
    create_markdown_artifact(markdown=summary, key="reports-published", description=title)
    return files


def _run_name(kind: str) -> Callable[[], str]:
    def name() -> str:
        parameters = flow_run.parameters
        period = parameters.get("month") or "-".join(
            filter(None, [parameters.get("year"), parameters.get("quarter")])
        )
        return f"{kind}-{(period or f'due-{london_today().isoformat()}').replace('/', '-')}"

    return name


@flow(
    name="monthly-reports",
    flow_run_name=_run_name("monthly-reports"),
    on_failure=[notify_failure],
    on_crashed=[notify_crash],
)
def monthly_reports_flow(month: str | None = None, as_at: str | None = None) -> list[str]:
    """Publish the monthly reports of ``month`` (YYYY-MM), or of the month now due."""
    if month is None:
        due = month_due(london_today())
        if due is None or _published(month_period(due)):
            get_run_logger().info("no monthly reports due today")
            return []
    else:
        due = parse_day(f"{month}-01")
    day = parse_day(as_at) if as_at else default_month_as_at(due)
    return _summarise(f"Monthly reports {month_period(due)} as at {day}", publish_month(due, day))


@flow(
    name="quarterly-reports",
    flow_run_name=_run_name("quarterly-reports"),
    on_failure=[notify_failure],
    on_crashed=[notify_crash],
)
def quarterly_reports_flow(
    year: str | None = None, quarter: str | None = None, as_at: str | None = None
) -> list[str]:
    """Publish the quarterly reports of ``year`` and ``quarter``, or of the quarter now due."""
    programme = load_programme(get_settings().programme)
    if year is None or quarter is None:
        due = quarter_due(programme, london_today())
        if due is None or _published(quarter_period_name(*due)):
            get_run_logger().info("no quarterly reports due today")
            return []
        year, quarter = due
    day = parse_day(as_at) if as_at else default_quarter_as_at(programme, year, quarter)
    title = f"Quarterly reports {quarter_period_name(year, quarter)} as at {day}"
    return _summarise(title, publish_quarter(year, quarter, day))
