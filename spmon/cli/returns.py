"""Commands for returns: the database, contract records, issued workbooks, ingestion, registers, QAF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from foundation.errors import BadInput
from foundation.settings import get_settings
from spmon.cli.app import (
    app,
    contracts_app,
    extensions_app,
    qaf_app,
    qaf_grades_app,
    qaf_plans_app,
    qaf_register_app,
    register_app,
    templates_app,
)
from spmon.cli.options import (
    current_programme,
    database_url,
    id_options,
    import_command,
    out_folder,
    start_prefect,
    year_option,
)


@app.command()
def init() -> None:
    """Create or upgrade the database schema."""
    from foundation.db import safe_url, upgrade

    upgrade(database_url())
    typer.echo(f"database ready: {safe_url(database_url())}")


import_command(
    contracts_app,
    "tasks.common.contract_records:import_contracts",
    "contract records",
    "Load contract records, upserting by year and service ID.",
)
import_command(
    extensions_app,
    "tasks.common.contract_records:import_extensions",
    "extensions",
    "Load agreed extensions: service_id,year,quarter,until.",
)
import_command(
    qaf_grades_app,
    "tasks.qaf.imports:import_agreed_grades",
    "agreed grades",
    "Record officers' grades; a grade that differs from the claim sends a grade letter.",
    ("tasks.outbox.qaf_letters:write_pending_grade_letters", "grade letters"),
)
import_command(
    qaf_plans_app,
    "tasks.qaf.imports:import_improvement_plans",
    "improvement plans",
    "Record D-grade improvement plans and re-validations.",
)


@templates_app.command("issue")
def templates_issue(
    year: Annotated[str, typer.Option(help="the year, e.g. 2025/26")],
    out: Annotated[Path, typer.Option(help="folder to write the workbooks to")],
    service: Annotated[list[str] | None, typer.Option(help="only these service IDs")] = None,
) -> None:
    """Write pre-populated, locked PI workbooks for the year's contracts."""
    from sqlalchemy import select

    from data_contracts.tables import ContractRecord
    from foundation.db import session_scope
    from tasks.pi.issue import issue_pi_workbooks

    year = year_option(year)
    service = id_options(service, "--service", "SV00123")
    out_folder(out)
    programme = current_programme()
    with session_scope(database_url()) as session:
        statement = select(ContractRecord).where(ContractRecord.year == year)  # type: ignore[arg-type]
        contracts = list(session.exec(statement).scalars())  # type: ignore[call-overload]
    if service:
        missing = sorted(set(service) - {c.service_id for c in contracts})
        if missing:
            raise BadInput(f"no contract record for {year}: {', '.join(missing)}")
        contracts = [c for c in contracts if c.service_id in set(service)]
    paths = issue_pi_workbooks(contracts, programme, out)
    typer.echo(f"{len(paths)} workbooks written to {out}")


@app.command()
def ingest(
    drop_dir: Annotated[Path | None, typer.Argument(help="the drop folder (default: SPMON_DROP_DIR)")] = None,
    file: Annotated[
        str | None, typer.Option("--file", help="re-ingest this archived or quarantined file (by name)")
    ] = None,
) -> None:
    """Run the ingestion flow once over the drop folder, or re-ingest one stored file."""
    settings = get_settings()
    current_programme()
    if drop_dir and file:
        raise BadInput("give a drop folder or --file, not both")
    if file:
        from tasks.intake.reingest import find_stored_file

        find_stored_file(file, [settings.archive, settings.quarantine])
    elif not (drop_dir or settings.drop).is_dir():
        raise BadInput(f"drop folder not found: {drop_dir or settings.drop}")
    elif idle := idle_drop_folder(drop_dir or settings.drop):
        typer.echo(idle)
        return
    start_prefect()
    from flows.ingest_flow import ingest_flow

    summary = ingest_flow(drop_dir=str(drop_dir) if drop_dir else None, file=file)
    typer.echo(summary.markdown())


def idle_drop_folder(drop: Path) -> str | None:
    """What to say when a run would do nothing (no file to take, no notice waiting), or None.

    Then no flow run is started: starting Prefect and a flow run costs seconds
    and would only record that nothing was there. The scheduled runs of the
    ``ingest`` deployment always run the flow (officers see each night's run in
    the Prefect UI); this shortcut is the command line's alone.
    """
    from tasks.intake.pending import drop_folder_state

    settings = get_settings()
    state = drop_folder_state(drop, settings.settle_seconds, settings.database)
    return state.idle_message(drop) if state.idle else None


@register_app.command("export")
def register_export(
    out: Annotated[Path, typer.Argument(help="the CSV file to write")],
    year: Annotated[str | None, typer.Option(help="only this year, e.g. 2025/26")] = None,
) -> None:
    """Write the PI return register."""
    from foundation.db import session_scope
    from tasks.calendar.deadlines import load_deadlines
    from tasks.pi.register import register_rows, write_register_csv

    year = year_option(year) if year is not None else None
    programme = current_programme()
    with session_scope(database_url()) as session:
        count = write_register_csv(register_rows(session, load_deadlines(session, programme), year), out)
    typer.echo(f"{count} register rows written to {out}")


@qaf_app.command("issue")
def qaf_issue(
    year: Annotated[str, typer.Option(help="the year, e.g. 2025/26")],
    out: Annotated[Path, typer.Option(help="folder to write the workbooks to")],
    provider: Annotated[list[str] | None, typer.Option(help="only these provider IDs")] = None,
) -> None:
    """Write QAF workbooks, one per provider (Lite where all its services are community alarms)."""
    from sqlalchemy import select

    from data_contracts.tables import ContractRecord
    from foundation.db import session_scope
    from foundation.programme import load_programme
    from tasks.qaf.issue import issue_qaf_workbooks

    year = year_option(year)
    provider = id_options(provider, "--provider", "PR0042")
    out_folder(out)
    programme = load_programme(get_settings().programme)
    with session_scope(database_url()) as session:
        contracts = list(session.execute(select(ContractRecord)).scalars())
    paths = issue_qaf_workbooks(contracts, programme, year, out, provider or None)
    typer.echo(f"{len(paths)} QAF workbooks written to {out}")


@qaf_register_app.command("export")
def qaf_register_export(
    out: Annotated[Path, typer.Argument(help="the CSV file to write")],
    year: Annotated[str | None, typer.Option(help="only this year, e.g. 2025/26")] = None,
) -> None:
    """Write the QAF return register."""
    from foundation.db import session_scope
    from tasks.qaf.register import qaf_register_rows, write_qaf_register_csv

    year = year_option(year) if year is not None else None

    with session_scope(database_url()) as session:
        count = write_qaf_register_csv(qaf_register_rows(session, year), out)
    typer.echo(f"{count} QAF register rows written to {out}")
