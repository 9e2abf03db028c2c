"""Telling officers that a run failed: a notice in the outbox, and an email when SMTP is set up.

Used as a Prefect ``on_failure`` hook of every flow, so a failed nightly run is
seen without opening the UI; the run itself can then be retried from the UI.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from spmon.settings import Settings, get_settings
from tasks.notices import write_atomically

logger = logging.getLogger(__name__)


def failure_text(flow_name: str, run_name: str, message: str) -> str:
    """The notice an officer reads."""
    return (
        f"The spmon run '{run_name}' of flow '{flow_name}' failed.\n\n"
        f"{message}\n\n"
        "Open the run in the Prefect UI to see its logs; once the cause is fixed, use Retry.\n"
    )


def write_failure_notice(outbox: Path, run_name: str, text: str) -> Path:
    """Write the notice to ``outbox/failures/<run name>.txt``."""
    path = outbox / "failures" / f"{run_name}.txt"
    write_atomically(path, text)
    return path


def send_email(settings: Settings, subject: str, text: str) -> None:
    """Send the notice by email when an SMTP server and recipients are configured."""
    if not settings.smtp_host or not settings.alert_emails:
        return
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(settings.alert_emails)
    message.set_content(text)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        smtp.send_message(message)


def notify_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """Prefect ``on_failure`` hook: notice in the outbox, email if configured; never raises."""
    settings = get_settings()
    text = failure_text(flow.name, flow_run.name, str(getattr(state, "message", "") or state))
    try:
        write_failure_notice(settings.outbox, f"{flow.name}-{flow_run.name}-{str(flow_run.id)[:8]}", text)
        send_email(settings, f"spmon: {flow.name} run {flow_run.name} failed", text)
    except OSError:
        logger.exception("could not send the failure notice of run %s", flow_run.name)
