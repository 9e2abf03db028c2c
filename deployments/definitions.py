"""Every deployment of spmon, declared once, with its schedule (Europe/London) and concurrency limit.

``make server`` serves them all (``deployments/serve.py``); a test builds each
without a server and checks its parameters against its flow's signature.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from prefect import Flow
from prefect.deployments.runner import RunnerDeployment
from prefect.events.schemas.deployment_triggers import (
    DeploymentEventTrigger,
    DeploymentTriggerTypes,
    TriggerTypes,
)
from prefect.schedules import Cron, Schedule

TIMEZONE = "Europe/London"


@dataclass(frozen=True)
class DeploymentSpec:
    """One deployment: a flow, when it runs, with what parameters, and how many at once."""

    name: str
    flow: Flow[..., Any]
    description: str
    crons: tuple[str, ...] = ()
    parameters: dict[str, Any] = field(default_factory=dict)
    after_flow: str | None = None  # run whenever a run of this flow completes
    concurrency_limit: int = 1
    paused: bool = False
    day_or: bool = True  # cron: a day of the month OR a day of the week (False: both)

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

    def build(self) -> RunnerDeployment:
        """The Prefect deployment, built without a server."""
        deployment = self.flow.to_deployment(
            name=self.name,
            description=self.description,
            schedules=self.schedules(),
            triggers=self.triggers(),
            parameters=self.parameters,
            concurrency_limit=self.concurrency_limit,
            paused=self.paused,
            tags=["spmon"],
        )
        assert isinstance(deployment, RunnerDeployment)  # noqa: S101 - sync flows build synchronously
        return deployment


def deployment_specs() -> list[DeploymentSpec]:
    """Every deployment of the project."""
    from flows.ingest import ingest_flow
    from flows.reports import monthly_reports_flow, quarterly_reports_flow
    from flows.risk import risk_flow

    return [
        DeploymentSpec(
            name="nightly",
            flow=ingest_flow,
            description="Every night: the drop folder's returns through every check into the database.",
            crons=("30 1 * * *",),
        ),
        DeploymentSpec(
            name="office-hours-poll",
            flow=ingest_flow,
            description="Optional: every 10 minutes in office hours, so providers hear back the same day.",
            crons=("*/10 8-17 * * 1-5",),
            paused=True,
        ),
        DeploymentSpec(
            name="after-ingestion",
            flow=risk_flow,
            description="After every completed ingestion: clause risks, priorities, changes and reminders.",
            after_flow="ingest",
        ),
        DeploymentSpec(
            name="first-working-day",
            flow=monthly_reports_flow,
            description="Monthly reports for the month before, on the first working day of the month.",
            # Mondays to Fridays from the 1st to the 4th; the flow skips bank holidays and what is published.
            crons=("0 6 1-4 * 1-5",),
            day_or=False,
        ),
        DeploymentSpec(
            name="after-report-date",
            flow=quarterly_reports_flow,
            description="Quarterly reports once the quarter's deadline is past by the year's report delay.",
            crons=("30 6 * * *",),
        ),
    ]


def build_deployments() -> list[RunnerDeployment]:
    """Every deployment, built."""
    return [spec.build() for spec in deployment_specs()]
