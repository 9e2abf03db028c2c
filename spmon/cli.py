"""The ``spmon`` command (``interface.md``): exit 0 done, 2 bad usage or input, 1 system failure."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
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
qaf_app = typer.Typer(no_args_is_help=True, help="QAF workbooks, officers' grades and improvement plans.")
qaf_grades_app = typer.Typer(no_args_is_help=True, help="Officers' agreed QAF grades.")
qaf_plans_app = typer.Typer(no_args_is_help=True, help="D-grade improvement plans.")
qaf_register_app = typer.Typer(no_args_is_help=True, help="The QAF return register.")
meetings_app = typer.Typer(no_args_is_help=True, help="Contract-management meetings.")
actions_app = typer.Typer(no_args_is_help=True, help="Improvement-plan actions.")
risk_app = typer.Typer(no_args_is_help=True, help="Clause risks and priorities.")
reports_app = typer.Typer(no_args_is_help=True, help="The scheduled reports, published on demand.")
deployments_app = typer.Typer(no_args_is_help=True, help="Prefect deployments: a work pool, or served.")
app.add_typer(contracts_app, name="contracts")
app.add_typer(extensions_app, name="extensions")
app.add_typer(templates_app, name="templates")
app.add_typer(register_app, name="register")
app.add_typer(qaf_app, name="qaf")
qaf_app.add_typer(qaf_grades_app, name="grades")
qaf_app.add_typer(qaf_plans_app, name="plans")
app.add_typer(qaf_register_app, name="qaf-register")
app.add_typer(meetings_app, name="meetings")
app.add_typer(actions_app, name="actions")
app.add_typer(risk_app, name="risk")
app.add_typer(reports_app, name="reports")
app.add_typer(deployments_app, name="deployments")

FileArgument = Annotated[
    Path, typer.Argument(help="CSV with a header row, or an .xlsx whose first sheet has one")
]


def _database() -> str:
    return get_settings().database


def _programme() -> Any:
    from spmon.programme import load_programme

    return load_programme(get_settings().programme)


def _year(text: str, option: str = "--year") -> str:
    """A year of the programme file, written like 2025/26; anything else is bad usage (exit 2)."""
    import re

    match = re.fullmatch(r"(\d{4})/(\d{2})", text.strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise BadInput(f"{option}: '{text}' is not a year like 2025/26")
    programme = _programme()
    if not programme.has_year(text.strip()):
        known = ", ".join(sorted(programme.years)) or "none"
        raise BadInput(f"{option}: {text} is not a year of the programme file (it has: {known})")
    return text.strip()


def _ids(values: list[str] | None, option: str, example: str) -> list[str] | None:
    """IDs given on the command line: letters, digits, '-' or '_', at most 32 (as the contract records)."""
    import re

    for value in values or []:
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", value):
            raise BadInput(f"{option}: '{value}' is not an ID like {example}")
    return values


def _out_folder(path: Path, option: str = "--out") -> Path:
    """A folder to write into: it may be new, but it cannot be a file."""
    if path.exists() and not path.is_dir():
        raise BadInput(f"{option}: {path} exists and is not a folder")
    return path


def _start_prefect() -> None:
    """Prefect's defaults, set just before a flow runs (after every input was checked)."""
    from spmon.prefect_env import apply_defaults

    apply_defaults()


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
    from tasks.issue_workbooks import issue_pi_workbooks

    year = _year(year)
    service = _ids(service, "--service", "SV00123")
    _out_folder(out)
    programme = _programme()
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
    file: Annotated[
        str | None, typer.Option("--file", help="re-ingest this archived or quarantined file (by name)")
    ] = None,
) -> None:
    """Run the ingestion flow once over the drop folder, or re-ingest one stored file."""
    from tasks.reingest import find_stored_file

    settings = get_settings()
    _programme()
    if drop_dir and file:
        raise BadInput("give a drop folder or --file, not both")
    if file:
        find_stored_file(file, [settings.archive, settings.quarantine])
    elif not (drop_dir or settings.drop).is_dir():
        raise BadInput(f"drop folder not found: {drop_dir or settings.drop}")
    _start_prefect()
    from flows.ingest_flow import ingest_flow

    summary = ingest_flow(drop_dir=str(drop_dir) if drop_dir else None, file=file)
    typer.echo(summary.markdown())


@register_app.command("export")
def register_export(
    out: Annotated[Path, typer.Argument(help="the CSV file to write")],
    year: Annotated[str | None, typer.Option(help="only this year, e.g. 2025/26")] = None,
) -> None:
    """Write the PI return register."""
    from spmon.db import session_scope
    from tasks.deadlines import load_deadlines
    from tasks.register import register_rows, write_register_csv

    year = _year(year) if year is not None else None
    programme = _programme()
    with session_scope(_database()) as session:
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
    from spmon.db import session_scope
    from spmon.programme import load_programme
    from tasks.issue_qaf import issue_qaf_workbooks

    year = _year(year)
    provider = _ids(provider, "--provider", "PR0042")
    _out_folder(out)
    programme = load_programme(get_settings().programme)
    with session_scope(_database()) as session:
        contracts = list(session.execute(select(ContractRecord)).scalars())
    paths = issue_qaf_workbooks(contracts, programme, year, out, provider or None)
    typer.echo(f"{len(paths)} QAF workbooks written to {out}")


@qaf_grades_app.command("import")
def qaf_grades_import(file: FileArgument) -> None:
    """Record officers' grades; a grade that differs from the claim sends a grade letter."""
    from spmon.db import session_scope
    from tasks.qaf_imports import import_agreed_grades
    from tasks.qaf_notices import write_pending_grade_letters

    _import(file, import_agreed_grades, "agreed grades")
    with session_scope(_database()) as session:
        letters = write_pending_grade_letters(session, get_settings().outbox)
    if letters:
        typer.echo(f"{len(letters)} grade letters written to {get_settings().outbox}")


@qaf_plans_app.command("import")
def qaf_plans_import(file: FileArgument) -> None:
    """Record D-grade improvement plans and re-validations."""
    from tasks.qaf_imports import import_improvement_plans

    _import(file, import_improvement_plans, "improvement plans")


@qaf_register_app.command("export")
def qaf_register_export(
    out: Annotated[Path, typer.Argument(help="the CSV file to write")],
    year: Annotated[str | None, typer.Option(help="only this year, e.g. 2025/26")] = None,
) -> None:
    """Write the QAF return register."""
    from spmon.db import session_scope
    from tasks.qaf_register import qaf_register_rows, write_qaf_register_csv

    year = _year(year) if year is not None else None

    with session_scope(_database()) as session:
        count = write_qaf_register_csv(qaf_register_rows(session, year), out)
    typer.echo(f"{count} QAF register rows written to {out}")


@meetings_app.command("import")
def meetings_import(file: FileArgument) -> None:
    """Load meetings: provider_id,planned_date,completed_date,officer."""
    from tasks.risk_imports import import_meetings

    _import(file, import_meetings, "meetings")


@actions_app.command("import")
def actions_import(file: FileArgument) -> None:
    """Load actions: provider_id,service_id,description,owner,target_date,closed_on."""
    from tasks.risk_imports import import_actions

    _import(file, import_actions, "actions")


def _as_at(text: str) -> date:
    from tasks.calendar import parse_day

    try:
        return parse_day(text)
    except ValueError as error:
        raise BadInput(f"--as-at: {error}") from None


@risk_app.command("export")
def risk_export(
    out: Annotated[Path, typer.Argument(help="the CSV file to write")],
    as_at: Annotated[str, typer.Option("--as-at", help="the day to judge, e.g. 2025-10-14")],
) -> None:
    """Write every service's clause risks and priority as at a day."""
    from spmon.db import session_scope
    from spmon.programme import load_programme
    from tasks.risk_export import export_risk

    day = _as_at(as_at)
    programme = load_programme(get_settings().programme)
    with session_scope(_database()) as session:
        count = export_risk(session, programme, day, out)
    typer.echo(f"{count} risk rows written to {out}")


@risk_app.command("evaluate")
def risk_evaluate(
    as_at: Annotated[str | None, typer.Option("--as-at", help="the day to judge (default: today)")] = None,
) -> None:
    """Run the risk flow once: judge every service, record changes, write reminders."""
    if as_at:
        _as_at(as_at)
    _programme()
    _start_prefect()
    from flows.risk_flow import risk_flow

    result = risk_flow(as_at=as_at)
    typer.echo(f"{result['changes']} changes of level recorded; {result['reminders']} reminders written")


@reports_app.command("monthly")
def reports_monthly(
    month: Annotated[str, typer.Option(help="the month, e.g. 2025-10")],
    as_at: Annotated[str | None, typer.Option("--as-at", help="default: the month's last day")] = None,
) -> None:
    """Publish the Contracts Update, meeting schedule and returns status of a month."""
    from tasks.calendar import parse_day

    try:
        parse_day(f"{month}-01")
    except ValueError:
        raise BadInput(f"--month: '{month}' is not a month like 2025-10") from None
    if as_at:
        _as_at(as_at)
    _programme()
    _start_prefect()
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
    from tasks.imports import quarter_text

    year = _year(year)
    try:
        quarter = quarter_text(quarter)
    except ValueError as error:
        raise BadInput(f"--quarter: {error}") from None
    if as_at:
        _as_at(as_at)
    _start_prefect()
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
        _programme()
    _require_prefect_api()
    from deployments.work_pool import deploy_to_pool

    ids = deploy_to_pool(pool, settings)
    typer.echo(f"{len(ids)} deployments registered on work pool '{pool}'")
    typer.echo(f"start a worker on any machine with spmon installed: prefect worker start --pool {pool}")


@deployments_app.command("serve")
def deployments_serve() -> None:
    """Serve every deployment from this process against the server at PREFECT_API_URL, until stopped."""
    _require_prefect_api()
    from prefect import serve

    from deployments.definitions import build_deployments

    serve(*build_deployments())


def _require_prefect_api() -> None:
    _start_prefect()
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        raise BadInput(
            "PREFECT_API_URL is not set: point it at the Prefect server "
            "(e.g. http://127.0.0.1:4200/api), or run `make server` to start one and serve"
        )


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
