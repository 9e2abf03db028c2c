"""Every deployment of spmon, declared once, with its schedule (Europe/London) and concurrency limit.

Each deployment names its flow by module path (``flows.ingest_flow.ingest_flow``),
so a worker or a served runner imports the installed project: nothing depends
on the folder a command was run from, and no script folder is put on
``sys.path``. ``spmon deployments serve`` serves them; ``spmon deployments
deploy --pool NAME`` registers them on a process work pool for workers
(``deployments/work_pool.py``). A test builds each without a server and checks
its parameters against its flow's signature; another runs each on a server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from prefect import Flow
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.events.schemas.deployment_triggers import (
    DeploymentEventTrigger,
    DeploymentTriggerTypes,
    TriggerTypes,
)
from prefect.schedules import Cron, Schedule

TIMEZONE = "Europe/London"
IN_LONDON = "London time (Europe/London: GMT in winter, BST in summer)"


@dataclass(frozen=True)
class DeploymentSpec:
    """One deployment: a flow, when it runs (in words and as cron), with what parameters."""

    name: str
    flow: Flow[..., Any]
    when: str  # the schedule in words, as an officer reads it in the UI
    does: str
    crons: tuple[str, ...] = ()
    parameters: dict[str, Any] = field(default_factory=dict)
    after_flow: str | None = None  # run whenever a run of this flow completes
    concurrency_limit: int = 1
    paused: bool = False
    day_or: bool = True  # cron: a day of the month OR a day of the week (False: both)

    @property
    def description(self) -> str:
        """What the UI's deployment page says: when, then what."""
        return f"{self.when}. {self.does}"

    def schedules(self) -> list[Schedule]:
        """Cron schedules in Europe/London, with the deployment's parameters."""
        return [Cron(cron, timezone=TIMEZONE, day_or=self.day_or) for cron in self.crons]

    def triggers(self) -> list[DeploymentTriggerTypes | TriggerTypes]:
        """The event trigger that starts it after another flow's run completes."""
        if self.after_flow is None:
            return []
        return [
            DeploymentEventTrigger(
                expect={"prefect.flow-run.Completed"},
                match_related={"prefect.resource.role": "flow", "prefect.resource.name": self.after_flow},
            )
        ]

    def build(self, job_variables: dict[str, Any] | None = None) -> RunnerDeployment:
        """The Prefect deployment, built without a server, its flow named by module path."""
        deployment = self.flow.to_deployment(
            name=self.name,
            description=self.description,
            schedules=self.schedules(),
            triggers=self.triggers(),
            parameters=self.parameters,
            concurrency_limit=self.concurrency_limit,
            paused=self.paused,
            tags=["spmon"],
            entrypoint_type=EntrypointType.MODULE_PATH,
            job_variables=job_variables or {},
        )
        assert isinstance(deployment, RunnerDeployment)  # noqa: S101 - sync flows build synchronously
        return deployment


def deployment_specs() -> list[DeploymentSpec]:
    """Every deployment of the project."""
    from flows.ingest_flow import ingest_flow
    from flows.report_flows import monthly_reports_flow, quarterly_reports_flow
    from flows.risk_flow import risk_flow

    return [
        DeploymentSpec(
            name="nightly",
            flow=ingest_flow,
            when=f"Every night at 01:30 {IN_LONDON}",
            does="Takes the drop folder's returns through every check into the database.",
            crons=("30 1 * * *",),
        ),
        DeploymentSpec(
            name="office-hours-poll",
            flow=ingest_flow,
            when=f"Every 10 minutes from 08:00 to 17:50, Monday to Friday, {IN_LONDON}; paused until resumed",
            does="Optional extra ingestion runs, so providers hear back the same day.",
            crons=("*/10 8-17 * * 1-5",),
            paused=True,
        ),
        DeploymentSpec(
            name="after-ingestion",
            flow=risk_flow,
            when="Whenever an ingestion run completes",
            does="Clause risks, priorities, changes of level and reminders to providers.",
            after_flow="ingest",
        ),
        DeploymentSpec(
            name="first-working-day",
            flow=monthly_reports_flow,
            when=f"At 06:00 {IN_LONDON} on weekdays from the 1st to the 4th of each month",
            does=(
                "Publishes the monthly reports of the month before on the month's first working day "
                "(bank holidays skipped), or on the next run if that one was missed."
            ),
            crons=("0 6 1-4 * 1-5",),
            day_or=False,
        ),
        DeploymentSpec(
            name="after-report-date",
            flow=quarterly_reports_flow,
            when=f"Every day at 06:30 {IN_LONDON}",
            does=(
                "Publishes, once, the quarterly reports of the latest quarter whose deadline "
                "is past by the year's report delay."
            ),
            crons=("30 6 * * *",),
        ),
    ]


def build_deployments(job_variables: dict[str, Any] | None = None) -> list[RunnerDeployment]:
    """Every deployment, built."""
    return [spec.build(job_variables) for spec in deployment_specs()]
