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


def group(parent: typer.Typer, name: str, help: str) -> typer.Typer:
    """A command group ``spmon ... NAME``, added to ``parent``; without a command it shows its help."""
    child = typer.Typer(no_args_is_help=True, help=help)
    parent.add_typer(child, name=name)
    return child


contracts_app = group(app, "contracts", "Contract records.")
extensions_app = group(app, "extensions", "Agreed extensions of PI deadlines.")
templates_app = group(app, "templates", "Issued PI workbooks.")
register_app = group(app, "register", "The PI return register.")
qaf_app = group(app, "qaf", "QAF workbooks, officers' grades and improvement plans.")
qaf_grades_app = group(qaf_app, "grades", "Officers' agreed QAF grades.")
qaf_plans_app = group(qaf_app, "plans", "D-grade improvement plans.")
qaf_register_app = group(app, "qaf-register", "The QAF return register.")
meetings_app = group(app, "meetings", "Contract-management meetings.")
actions_app = group(app, "actions", "Improvement-plan actions.")
risk_app = group(app, "risk", "Clause risks and priorities.")
reports_app = group(app, "reports", "The scheduled reports, published on demand.")
deployments_app = group(app, "deployments", "Prefect deployments: a work pool, or served.")


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
