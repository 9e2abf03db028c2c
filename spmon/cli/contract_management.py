"""Commands for contract management: meetings, actions, clause risks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from foundation.settings import get_settings
from spmon.cli.app import actions_app, meetings_app, risk_app
from spmon.cli.options import (
    as_at_option,
    current_programme,
    database_url,
    import_command,
    start_prefect,
)

import_command(
    meetings_app,
    "tasks.contract_management.imports:import_meetings",
    "meetings",
    "Load meetings: provider_id,planned_date,completed_date,officer (optional: replanned_on).",
)
import_command(
    actions_app,
    "tasks.contract_management.imports:import_actions",
    "actions",
    "Load actions: provider_id,service_id,description,owner,target_date,closed_on.",
)


@risk_app.command("export")
def risk_export(
    out: Annotated[Path, typer.Argument(help="the CSV file to write")],
    as_at: Annotated[str, typer.Option("--as-at", help="the day to judge, e.g. 2025-10-14")],
) -> None:
    """Write every service's clause risks and priority as at a day."""
    from foundation.db import session_scope
    from foundation.programme import load_programme
    from tasks.contract_management.export import export_risk

    day = as_at_option(as_at)
    programme = load_programme(get_settings().programme)
    with session_scope(database_url()) as session:
        count = export_risk(session, programme, day, out)
    typer.echo(f"{count} risk rows written to {out}")


@risk_app.command("evaluate")
def risk_evaluate(
    as_at: Annotated[str | None, typer.Option("--as-at", help="the day to judge (default: today)")] = None,
) -> None:
    """Run the risk flow once: judge every service, record changes, write reminders."""
    if as_at:
        as_at_option(as_at)
    current_programme()
    start_prefect()
    from flows.risk_flow import risk_flow

    result = risk_flow(as_at=as_at)
    typer.echo(f"{result['changes']} changes of level recorded; {result['reminders']} reminders written")
