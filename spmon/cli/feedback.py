"""Commands for feedback, involvement and support-plan audits (``feedback.md``).

``spmon feedback stakeholders|questionnaires|responses|provider-replies|consultations|due|register ...``
and ``spmon audits import|export``. Every option and file is checked before
anything is written: bad input is exit 2 naming it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from foundation.errors import BadInput
from foundation.settings import get_settings
from spmon.cli.app import app
from spmon.cli.options import (
    FileArgument,
    as_at_option,
    database_url,
    id_options,
    import_file,
    out_folder,
    write_pending_letters,
)

if TYPE_CHECKING:
    from tasks.feedback.cycle import FeedbackProgramme

feedback_app = typer.Typer(no_args_is_help=True, help="Stakeholder and service-user feedback.")
stakeholders_app = typer.Typer(no_args_is_help=True, help="Stakeholders of the services.")
questionnaires_app = typer.Typer(no_args_is_help=True, help="Stakeholder questionnaire workbooks.")
responses_app = typer.Typer(
    no_args_is_help=True, help="Questionnaires answered by telephone or at a meeting."
)
provider_replies_app = typer.Typer(no_args_is_help=True, help="Providers' responses to adverse feedback.")
consultations_app = typer.Typer(no_args_is_help=True, help="Service-user consultations.")
due_app = typer.Typer(no_args_is_help=True, help="Open feedback and audit items.")
feedback_register_app = typer.Typer(no_args_is_help=True, help="The questionnaire reply register.")
audits_app = typer.Typer(no_args_is_help=True, help="Support-plan audits.")
app.add_typer(feedback_app, name="feedback")
app.add_typer(audits_app, name="audits")
feedback_app.add_typer(stakeholders_app, name="stakeholders")
feedback_app.add_typer(questionnaires_app, name="questionnaires")
feedback_app.add_typer(responses_app, name="responses")
feedback_app.add_typer(provider_replies_app, name="provider-replies")
feedback_app.add_typer(consultations_app, name="consultations")
feedback_app.add_typer(due_app, name="due")
feedback_app.add_typer(feedback_register_app, name="register")

OutArgument = Annotated[Path, typer.Argument(help="the CSV file to write")]
AsAtOption = Annotated[str, typer.Option("--as-at", help="the day to judge, e.g. 2025-10-14")]


def _issued_option(text: str | None) -> date:
    from tasks.calendar.dates import london_today, parse_day

    if text is None:
        return london_today()
    try:
        return parse_day(text)
    except ValueError as error:
        raise BadInput(f"--issued: {error}") from None


def _feedback_programme() -> FeedbackProgramme:
    from tasks.feedback.cycle import load_feedback_programme

    return load_feedback_programme(get_settings().programme)


@stakeholders_app.command("import")
def stakeholders_import(file: FileArgument) -> None:
    """Load stakeholders, upserting by stakeholder_id."""
    from tasks.feedback.stakeholders import import_stakeholders

    import_file(file, import_stakeholders, "stakeholders")


@questionnaires_app.command("issue")
def questionnaires_issue(
    service: Annotated[list[str], typer.Option(help="the service IDs (repeat the option for more)")],
    out: Annotated[Path, typer.Option(help="folder to write the workbooks to")],
    issued: Annotated[str | None, typer.Option(help="the issue date (default: today)")] = None,
) -> None:
    """Write one questionnaire workbook per stakeholder of the services, and record each issue."""
    from foundation.db import session_scope
    from tasks.feedback.issuing import issue_for_services

    services = id_options(service, "--service", "SV00123") or []
    day = _issued_option(issued)
    out_folder(out)
    with session_scope(database_url()) as session:
        paths = issue_for_services(session, services, day, out)
    typer.echo(f"{len(paths)} questionnaires written to {out}")


@responses_app.command("import")
def responses_import(file: FileArgument) -> None:
    """Record questionnaires answered by telephone or at a meeting; adverse ones write a letter."""
    from tasks.feedback.letters import write_pending_letters as write_feedback_letters
    from tasks.feedback.responses import import_responses

    import_file(file, import_responses, "questionnaire responses")
    write_pending_letters(write_feedback_letters, "adverse-feedback letters")


@provider_replies_app.command("import")
def provider_replies_import(file: FileArgument) -> None:
    """Record providers' responses to adverse feedback: sq_reference,replied_on."""
    from tasks.feedback.responses import import_provider_replies

    import_file(file, import_provider_replies, "provider replies")


@consultations_app.command("import")
def consultations_import(file: FileArgument) -> None:
    """Load service-user consultations, upserting by consultation_id."""
    from tasks.feedback.consultations import import_consultations

    import_file(file, import_consultations, "consultations")


@consultations_app.command("export")
def consultations_export(out: OutArgument, as_at: AsAtOption) -> None:
    """Write every consultation with its minimum sample, warnings and report dates."""
    from foundation.db import session_scope
    from tasks.common.safe_output import check_output_path
    from tasks.feedback.consultations import WarningContext
    from tasks.feedback.exports import export_consultations
    from tasks.feedback.priority import priority_from_risk

    day = as_at_option(as_at)
    check_output_path(out)
    fb = _feedback_programme()
    with session_scope(database_url()) as session:
        context = WarningContext(fb.programme, priority_from_risk(session, fb.programme))
        count = export_consultations(session, context, day, out)
    typer.echo(f"{count} consultations written to {out}")


@due_app.command("export")
def due_export(out: OutArgument, as_at: AsAtOption) -> None:
    """Write the open feedback and audit items as at a day."""
    from foundation.db import session_scope
    from tasks.common.safe_output import check_output_path
    from tasks.feedback.due import due_items
    from tasks.feedback.exports import export_due

    day = as_at_option(as_at)
    check_output_path(out)
    fb = _feedback_programme()
    with session_scope(database_url()) as session:
        count = export_due(due_items(session, fb, day), day, out)
    typer.echo(f"{count} open items written to {out}")


@feedback_register_app.command("export")
def feedback_register_export(out: OutArgument) -> None:
    """Write every questionnaire reply."""
    from foundation.db import session_scope
    from tasks.common.safe_output import check_output_path
    from tasks.feedback.exports import export_register

    check_output_path(out)
    with session_scope(database_url()) as session:
        count = export_register(session, out)
    typer.echo(f"{count} questionnaire replies written to {out}")


@audits_app.command("import")
def audits_import(file: FileArgument) -> None:
    """Load support-plan audits, upserting by audit_id."""
    from tasks.feedback.audits import import_audits

    import_file(file, import_audits, "audits")


@audits_app.command("export")
def audits_export(out: OutArgument, as_at: AsAtOption) -> None:
    """Write every audit with its warnings, feedback and re-audit dates and status as at a day."""
    from foundation.db import session_scope
    from tasks.common.safe_output import check_output_path
    from tasks.feedback.exports import export_audits
    from tasks.feedback.priority import priority_from_risk

    day = as_at_option(as_at)
    check_output_path(out)
    fb = _feedback_programme()
    with session_scope(database_url()) as session:
        count = export_audits(session, priority_from_risk(session, fb.programme), day, out)
    typer.echo(f"{count} audits written to {out}")
