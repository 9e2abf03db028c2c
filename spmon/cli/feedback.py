"""Commands for feedback, involvement and support-plan audits (``feedback.md``).

``spmon feedback stakeholders|questionnaires|responses|provider-replies|consultations|due|register ...``
and ``spmon audits import|export``. Every option and file is checked before
anything is written: bad input is exit 2 naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from foundation.errors import BadInput
from foundation.settings import get_settings
from spmon.cli.app import app, group
from spmon.cli.options import (
    as_at_option,
    database_url,
    id_options,
    import_command,
    out_folder,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from tasks.feedback.cycle import FeedbackProgramme

feedback_app = group(app, "feedback", "Stakeholder and service-user feedback.")
audits_app = group(app, "audits", "Support-plan audits.")
stakeholders_app = group(feedback_app, "stakeholders", "Stakeholders of the services.")
questionnaires_app = group(feedback_app, "questionnaires", "Stakeholder questionnaire workbooks.")
responses_app = group(feedback_app, "responses", "Questionnaires answered by telephone or at a meeting.")
provider_replies_app = group(feedback_app, "provider-replies", "Providers' responses to adverse feedback.")
consultations_app = group(feedback_app, "consultations", "Service-user consultations.")
due_app = group(feedback_app, "due", "Open feedback and audit items.")
feedback_register_app = group(feedback_app, "register", "The questionnaire reply register.")

OutArgument = Annotated[Path, typer.Argument(help="the CSV file to write")]
AsAtOption = Annotated[str, typer.Option("--as-at", help="the day to judge, e.g. 2025-10-14")]

import_command(
    stakeholders_app,
    "tasks.feedback.stakeholders:import_stakeholders",
    "stakeholders",
    "Load stakeholders, upserting by stakeholder_id.",
)
import_command(
    responses_app,
    "tasks.feedback.responses:import_responses",
    "questionnaire responses",
    "Record questionnaires answered by telephone or at a meeting; adverse ones write a letter.",
    ("tasks.feedback.letters:write_pending_letters", "adverse-feedback letters"),
)
import_command(
    provider_replies_app,
    "tasks.feedback.responses:import_provider_replies",
    "provider replies",
    "Record providers' responses to adverse feedback: sq_reference,replied_on.",
)
import_command(
    consultations_app,
    "tasks.feedback.consultations:import_consultations",
    "consultations",
    "Load service-user consultations, upserting by consultation_id.",
)
import_command(
    audits_app,
    "tasks.feedback.audits:import_audits",
    "audits",
    "Load support-plan audits, upserting by audit_id.",
)


def _issued_option(text: str | None) -> date:
    from tasks.calendar.dates import london_today, parse_day

    if text is None:
        return london_today()
    try:
        return parse_day(text)
    except ValueError as error:
        raise BadInput(f"--issued: {error}") from None


def _export_as_at(
    out: Path, as_at: str, write: Callable[[Session, FeedbackProgramme, date], int], what: str
) -> None:
    """Check ``--as-at``, the output path and the programme file, then write the export in one session."""
    from foundation.db import session_scope
    from tasks.common.safe_output import check_output_path

    day = as_at_option(as_at)
    check_output_path(out)
    fb = _feedback_programme()
    with session_scope(database_url()) as session:
        count = write(session, fb, day)
    typer.echo(f"{count} {what} written to {out}")


def _feedback_programme() -> FeedbackProgramme:
    from tasks.feedback.cycle import load_feedback_programme

    return load_feedback_programme(get_settings().programme)


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


@consultations_app.command("export")
def consultations_export(out: OutArgument, as_at: AsAtOption) -> None:
    """Write every consultation with its minimum sample, warnings and report dates."""
    from tasks.feedback.consultations import WarningContext
    from tasks.feedback.exports import export_consultations
    from tasks.feedback.priority import priority_from_risk

    def write(session: Session, fb: FeedbackProgramme, day: date) -> int:
        context = WarningContext(fb.programme, priority_from_risk(session, fb.programme))
        return export_consultations(session, context, day, out)

    _export_as_at(out, as_at, write, "consultations")


@due_app.command("export")
def due_export(out: OutArgument, as_at: AsAtOption) -> None:
    """Write the open feedback and audit items as at a day."""
    from tasks.feedback.due import due_items
    from tasks.feedback.exports import export_due

    def write(session: Session, fb: FeedbackProgramme, day: date) -> int:
        return export_due(due_items(session, fb, day), day, out)

    _export_as_at(out, as_at, write, "open items")


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


@audits_app.command("export")
def audits_export(out: OutArgument, as_at: AsAtOption) -> None:
    """Write every audit with its warnings, feedback and re-audit dates and status as at a day."""
    from tasks.feedback.exports import export_audits
    from tasks.feedback.priority import priority_from_risk

    def write(session: Session, fb: FeedbackProgramme, day: date) -> int:
        return export_audits(session, priority_from_risk(session, fb.programme), day, out)

    _export_as_at(out, as_at, write, "audits")
