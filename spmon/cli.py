"""The ``spmon`` command (``interface.md``): exit 0 done, 2 bad usage or input, 1 system failure."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from spmon.errors import BadInput, SystemFailure
from spmon.settings import get_settings

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Supporting People contract monitoring.",
)
contracts_app = typer.Typer(no_args_is_help=True, help="Contract records.")
extensions_app = typer.Typer(no_args_is_help=True, help="Agreed extensions of PI deadlines.")
templates_app = typer.Typer(no_args_is_help=True, help="Issued PI workbooks.")
register_app = typer.Typer(no_args_is_help=True, help="The PI return register.")
app.add_typer(contracts_app, name="contracts")
app.add_typer(extensions_app, name="extensions")
app.add_typer(templates_app, name="templates")
app.add_typer(register_app, name="register")

FileArgument = Annotated[Path, typer.Argument(help="CSV with a header row, or an .xlsx whose first sheet has one")]


def _database() -> str:
    return get_settings().database


@app.command()
def init() -> None:
    """Create or upgrade the database schema."""
    from spmon.db import safe_url, upgrade

    upgrade(_database())
    typer.echo(f"database ready: {safe_url(_database())}")


def _import(path: Path, importer: Callable[[Any, Path], int], what: str) -> None:
    from spmon.db import session_scope

    with session_scope(_database()) as session:
        count = importer(session, path)
    typer.echo(f"{count} {what} imported from {path}")


@contracts_app.command("import")
def contracts_import(file: FileArgument) -> None:
    """Load contract records, upserting by year and service ID."""
    from tasks.imports import import_contracts

    _import(file, import_contracts, "contract records")


@extensions_app.command("import")
def extensions_import(file: FileArgument) -> None:
    """Load agreed extensions: service_id,year,quarter,until."""
    from tasks.imports import import_extensions

    _import(file, import_extensions, "extensions")


@templates_app.command("issue")
def templates_issue(
    year: Annotated[str, typer.Option(help="the year, e.g. 2025/26")],
    out: Annotated[Path, typer.Option(help="folder to write the workbooks to")],
    service: Annotated[list[str] | None, typer.Option(help="only these service IDs")] = None,
) -> None:
    """Write pre-populated, locked PI workbooks for the year's contracts."""
    from sqlalchemy import select

    from data_contracts.tables import ContractRecord
    from spmon.db import session_scope
    from spmon.programme import load_programme
    from tasks.issue_workbooks import issue_pi_workbooks

    programme = load_programme(get_settings().programme)
    programme.year(year)
    with session_scope(_database()) as session:
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
) -> None:
    """Run the ingestion flow once over the drop folder."""
    from spmon.prefect_env import apply_defaults

    apply_defaults()
    from flows.ingest import ingest_flow

    summary = ingest_flow(drop_dir=str(drop_dir) if drop_dir else None)
    typer.echo(summary.markdown())


@register_app.command("export")
def register_export(
    out: Annotated[Path, typer.Argument(help="the CSV file to write")],
    year: Annotated[str | None, typer.Option(help="only this year, e.g. 2025/26")] = None,
) -> None:
    """Write the PI return register."""
    from spmon.db import session_scope
    from spmon.programme import load_programme
    from tasks.deadlines import load_deadlines
    from tasks.register import register_rows, write_register_csv

    programme = load_programme(get_settings().programme)
    with session_scope(_database()) as session:
        count = write_register_csv(register_rows(session, load_deadlines(session, programme), year), out)
    typer.echo(f"{count} register rows written to {out}")


def main() -> None:
    """Run the command, turning spmon's errors into messages and exit codes."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        app(standalone_mode=True)
    except BadInput as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(2)
    except SystemFailure as error:
        typer.echo(f"failure: {error}", err=True)
        sys.exit(1)
    except (OperationalError, ProgrammingError) as error:
        typer.echo(f"failure: the database: {error.orig} (run 'spmon init'?)", err=True)
        sys.exit(1)
