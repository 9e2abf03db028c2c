"""Every deployment builds without a server, and its schedule fits its flow."""

from __future__ import annotations

import inspect

import pytest

from deployments.definitions import TIMEZONE, build_deployments, deployment_specs


def test_every_deployment_builds_without_a_server() -> None:
    deployments = build_deployments()
    names = [(d.flow_name, d.name) for d in deployments]
    assert len(names) == len(set(names)), "deployment names repeat"
    assert ("ingest", "nightly") in names


@pytest.mark.parametrize("spec", deployment_specs(), ids=lambda spec: spec.name)
def test_parameters_fit_the_flow_signature(spec) -> None:  # type: ignore[no-untyped-def]
    signature = inspect.signature(spec.flow.fn)
    assert set(spec.parameters) <= set(signature.parameters), f"{spec.name}: unknown parameters"
    signature.bind(**spec.parameters)  # every required parameter is given
    deployment = spec.build()
    assert deployment.parameters == spec.parameters
    assert deployment.concurrency_limit == 1


@pytest.mark.parametrize("spec", deployment_specs(), ids=lambda spec: spec.name)
def test_schedules_run_in_london_time(spec) -> None:  # type: ignore[no-untyped-def]
    deployment = spec.build()
    assert deployment.schedules or deployment.triggers, f"{spec.name} never runs"
    for schedule in deployment.schedules:
        assert schedule.schedule.timezone == TIMEZONE
