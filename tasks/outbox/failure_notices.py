"""Telling officers that a run failed or crashed: a notice in the outbox, and an email when SMTP is set.

Every flow has :func:`notify_failure` as its ``on_failure`` hook (an error
inside the run) and :func:`notify_crash` as its ``on_crashed`` hook (the
process running it died: killed, out of memory, machine restarted; the worker
or runner that started it runs this hook). The notice says which run, what
went wrong in plain words, and what to do next.
"""

from __future__ import annotations

import logging
import re
import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from foundation.settings import Settings, get_settings
from tasks.outbox.writer import write_atomically

logger = logging.getLogger(__name__)

WHAT_TO_DO = {
    "ingest": (
        "A run is safe to repeat: once the cause is fixed, open the run in the Prefect UI and use Retry "
        "(or wait for the next night). To judge one stored file again, after its contract record was "
        "put right, run: spmon ingest --file NAME"
    ),
    "risk": "Open the run in the Prefect UI to see its logs; once the cause is fixed, use Retry.",
}
DEFAULT_TO_DO = (
    "Open the run in the Prefect UI to see its logs; once the cause is fixed, use Retry "
    "(the reports are published again, identically, for the same period)."
)


def failure_text(flow_name: str, run_name: str, what_happened: str, run_id: str = "") -> str:
    """The notice an officer reads."""
    ident = f" (flow run id {run_id})" if run_id else ""
    return (
        f"The spmon run '{run_name}' of flow '{flow_name}'{ident} did not finish.\n\n"
        f"What happened: {what_happened}\n\n"
        f"What to do: {WHAT_TO_DO.get(flow_name, DEFAULT_TO_DO)}\n"
    )


def notice_name(run_name: str, run_id: str) -> str:
    """``ingest-2025-10-14-0130-0123abcd``: the run's name (already naming its flow) and its id."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", run_name)[:100]
    return f"{safe}-{run_id[:8]}"


def write_failure_notice(outbox: Path, name: str, text: str) -> Path:
    """Write the notice to ``outbox/failures/<name>.txt``."""
    path = outbox / "failures" / f"{name}.txt"
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
    """Prefect ``on_failure`` hook: the run raised an error."""
    message = str(getattr(state, "message", "") or state)
    _notify(get_settings(), flow.name, flow_run, f"the run stopped on an error: {message}", "failed")


def notify_crash(flow: Any, flow_run: Any, state: Any) -> None:
    """Prefect ``on_crashed`` hook: the process running the flow died before it finished."""
    message = str(getattr(state, "message", "") or state)
    what = (
        "the process running it stopped before the run finished (killed, out of memory, or the "
        f"machine restarted); nothing is half-recorded. Prefect said: {message}"
    )
    _notify(settings_of_run(flow_run), flow.name, _with_current_name(flow_run), what, "crashed")


def _with_current_name(flow_run: Any) -> Any:
    """The run as the server knows it now: the hook may hold a copy taken before the run renamed itself."""
    try:
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            return client.read_flow_run(flow_run.id)
    except Exception:  # the notice matters more than the name
        logger.exception("could not read flow run %s", flow_run.id)
        return flow_run


def settings_of_run(flow_run: Any) -> Settings:
    """The settings the run itself had: its deployment's recorded ``SPMON_*`` environment, if any.

    A crash hook runs in the worker, whose own environment may not carry the
    settings that ``spmon deployments deploy`` recorded for the runs.
    """
    recorded = _deployment_environment(getattr(flow_run, "deployment_id", None))
    overrides = {
        name[len("SPMON_") :].lower(): value for name, value in recorded.items() if name.startswith("SPMON_")
    }
    if not overrides:
        return get_settings()
    return Settings.model_validate(overrides)


def _deployment_environment(deployment_id: Any) -> dict[str, str]:
    if deployment_id is None:
        return {}
    try:
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            deployment = client.read_deployment(deployment_id)
        return dict((deployment.job_variables or {}).get("env") or {})
    except Exception:  # the notice matters more than the settings lookup
        logger.exception("could not read the settings of deployment %s", deployment_id)
        return {}


def _notify(settings: Settings, flow_name: str, flow_run: Any, what_happened: str, verb: str) -> None:
    """Notice in the outbox, email if configured; never raises."""
    run_id = str(flow_run.id)
    text = failure_text(flow_name, flow_run.name, what_happened, run_id)
    try:
        write_failure_notice(settings.outbox, notice_name(flow_run.name, run_id), text)
        send_email(settings, f"spmon: {flow_name} run {flow_run.name} {verb}", text)
    except OSError:
        logger.exception("could not send the failure notice of run %s", flow_run.name)
