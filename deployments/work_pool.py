"""Registering every deployment on a process work pool, for workers on any machine.

``spmon deployments deploy --pool NAME`` creates the pool if it is missing and
registers each deployment on it by module path, so ``prefect worker start
--pool NAME`` runs them wherever the project is installed. By default the
deploying machine's resolved settings (database URL, data folders, programme
file: absolute paths) are recorded as the runs' environment, so every worker
uses the same database and shared folders whatever folder it was started in;
with ``record_settings=False`` each worker's own ``SPMON_*`` variables apply.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from foundation.settings import Settings

POOL_TYPE = "process"


def settings_environment(settings: Settings) -> dict[str, str]:
    """The ``SPMON_*`` variables that make a run elsewhere see this machine's settings."""
    environment = {
        "SPMON_DATABASE_URL": settings.database,
        "SPMON_DATA_DIR": str(settings.data_dir.absolute()),
        "SPMON_DROP_DIR": str(settings.drop),
        "SPMON_ARCHIVE_DIR": str(settings.archive),
        "SPMON_QUARANTINE_DIR": str(settings.quarantine),
        "SPMON_OUTBOX_DIR": str(settings.outbox),
        "SPMON_REPORTS_DIR": str(settings.reports),
        "SPMON_PROGRAMME_FILE": str(settings.programme),
        "SPMON_SETTLE_SECONDS": str(settings.settle_seconds),
        "SPMON_MAX_FILE_MB": str(settings.max_file_mb),
        "SPMON_MAX_UNZIPPED_MB": str(settings.max_unzipped_mb),
        "SPMON_BATCH_SIZE": str(settings.batch_size),
    }
    if settings.smtp_host:
        environment |= {
            "SPMON_SMTP_HOST": settings.smtp_host,
            "SPMON_SMTP_PORT": str(settings.smtp_port),
            "SPMON_SMTP_FROM": settings.smtp_from,
            "SPMON_ALERT_EMAILS": json.dumps(settings.alert_emails),
        }
    return environment


def ensure_process_pool(name: str) -> bool:
    """Create the process work pool ``name`` unless it exists; True when it was created."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(name)
            return False
        except ObjectNotFound:
            template = ProcessWorker.get_default_base_job_template()
            client.create_work_pool(WorkPoolCreate(name=name, type=POOL_TYPE, base_job_template=template))
            return True


def deploy_to_pool(pool: str, settings: Settings | None) -> list[UUID]:
    """Register every deployment on ``pool``, recording ``settings`` as the runs' environment."""
    from prefect import deploy

    from deployments.definitions import build_deployments

    ensure_process_pool(pool)
    job_variables: dict[str, Any] = {"env": settings_environment(settings)} if settings else {}
    ids = deploy(
        *build_deployments(job_variables),
        work_pool_name=pool,
        build=False,
        push=False,
        print_next_steps_message=False,
        ignore_warnings=True,
    )
    assert isinstance(ids, list)  # noqa: S101 - called from synchronous code, it runs synchronously
    return ids
