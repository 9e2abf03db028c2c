"""Commands that publish or schedule: the reports on demand, the Prefect deployments."""

from __future__ import annotations

from typing import Annotated

import typer

from foundation.errors import BadInput
from foundation.settings import get_settings
from spmon.cli.app import deployments_app, reports_app
from spmon.cli.options import as_at_option, current_programme, require_prefect_api, start_prefect, year_option


@reports_app.command("monthly")
def reports_monthly(
    month: Annotated[str, typer.Option(help="the month, e.g. 2025-10")],
    as_at: Annotated[str | None, typer.Option("--as-at", help="default: the month's last day")] = None,
) -> None:
    """Publish the Contracts Update, meeting schedule and returns status of a month."""
    from tasks.calendar.dates import parse_day

    try:
        parse_day(f"{month}-01")
    except ValueError:
        raise BadInput(f"--month: '{month}' is not a month like 2025-10") from None
    if as_at:
        as_at_option(as_at)
    current_programme()
    start_prefect()
    from flows.report_flows import monthly_reports_flow

    files = monthly_reports_flow(month=month, as_at=as_at)
    typer.echo(f"{len(files)} files published under {get_settings().reports}")


@reports_app.command("quarterly")
def reports_quarterly(
    year: Annotated[str, typer.Option(help="the year, e.g. 2025/26")],
    quarter: Annotated[str, typer.Option(help="Q1 to Q4")],
    as_at: Annotated[
        str | None, typer.Option("--as-at", help="default: the quarter's deadline plus the report delay")
    ] = None,
) -> None:
    """Publish the PI management report, late and non-returns, the national extract and the packs."""
    from tasks.common.contract_records import quarter_text

    year = year_option(year)
    try:
        quarter = quarter_text(quarter)
    except ValueError as error:
        raise BadInput(f"--quarter: {error}") from None
    if as_at:
        as_at_option(as_at)
    start_prefect()
    from flows.report_flows import quarterly_reports_flow

    files = quarterly_reports_flow(year=year, quarter=quarter, as_at=as_at)
    typer.echo(f"{len(files)} files published under {get_settings().reports}")
    typer.echo(f"index: {get_settings().reports / 'index.html'}")


@deployments_app.command("deploy")
def deployments_deploy(
    pool: Annotated[str, typer.Option(help="the process work pool (created if missing)")],
    record_settings: Annotated[
        bool,
        typer.Option(
            "--record-settings/--worker-settings",
            help="record this machine's SPMON_* settings as the runs' environment (default), "
            "or leave them to each worker's environment",
        ),
    ] = True,
) -> None:
    """Register every deployment on a process work pool: then `prefect worker start --pool NAME` runs them."""
    import re

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}", pool):
        raise BadInput(f"--pool: '{pool}' is not a work pool name (letters, digits, '-', '_', '.')")
    settings = get_settings() if record_settings else None
    if settings is not None:
        current_programme()
    require_prefect_api()
    from deployments.work_pool import deploy_to_pool

    ids = deploy_to_pool(pool, settings)
    typer.echo(f"{len(ids)} deployments registered on work pool '{pool}'")
    typer.echo(f"start a worker on any machine with spmon installed: prefect worker start --pool {pool}")


@deployments_app.command("serve")
def deployments_serve() -> None:
    """Serve every deployment from this process against the server at PREFECT_API_URL, until stopped."""
    require_prefect_api()
    from prefect import serve

    from deployments.definitions import build_deployments

    serve(*build_deployments())
