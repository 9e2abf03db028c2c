"""The ``spmon`` command and its groups (``interface.md``): exit 0 done, 2 bad usage or input, 1 failure."""

from __future__ import annotations

import sys

import typer

from foundation.errors import BadInput, SystemFailure

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
