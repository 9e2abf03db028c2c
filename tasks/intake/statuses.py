"""Statuses, resubmissions and duplicates (``pi-rules.md``): a pure function over a batch.

Every (service, year, quarter) has at most one current return: the latest one
received. A later return supersedes it, unless its provider values are
identical, in which case the later one is a duplicate and nothing changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ReturnKey = tuple[str, str, str]  # (service_id, year, quarter)
ReceivedOrder = tuple[datetime, str]  # (received time, file name): the order returns are taken in


@dataclass
class Current:
    """The current return of a key: a stored one (``return_id``) or one of the batch (``index``)."""

    values: dict[str, Any]
    return_id: int | None = None
    index: int | None = None
    received: ReceivedOrder | None = None


@dataclass
class Incoming:
    """A return of the batch, in processing order."""

    key: ReturnKey | None  # None for file-level rows and returns without a service ID
    values: dict[str, Any]
    failed: bool  # any reason applies
    quarantined: bool = False
    received: ReceivedOrder | None = None


@dataclass
class StatusPlan:
    """What the batch does: a status per incoming return, stored returns superseded, new currents."""

    statuses: list[str] = field(default_factory=list)
    superseded_ids: set[int] = field(default_factory=set)
    currents: dict[ReturnKey, int] = field(default_factory=dict)  # key -> index in the batch


def plan_statuses(incoming: Sequence[Incoming], stored: Mapping[ReturnKey, Current]) -> StatusPlan:
    """Decide every status of the batch, given the stored current returns of its keys."""
    plan = StatusPlan()
    state: dict[ReturnKey, Current] = dict(stored)
    for index, item in enumerate(incoming):
        if item.quarantined:
            plan.statuses.append("quarantined")
            continue
        status = "returned" if item.failed else "accepted"
        current = state.get(item.key) if item.key else None
        if current is not None and current.values == item.values:
            plan.statuses.append("duplicate")
            continue
        if item.key is None:
            plan.statuses.append(status)
            continue
        if current is not None and _older(item.received, current.received):
            plan.statuses.append("superseded")  # a file received before the current one, taken late
            continue
        plan.statuses.append(status)
        if current is not None:
            _supersede(plan, current)
        state[item.key] = Current(item.values, index=index, received=item.received)
        plan.currents[item.key] = index
    return plan


def _older(incoming: ReceivedOrder | None, current: ReceivedOrder | None) -> bool:
    return incoming is not None and current is not None and incoming < current


def _supersede(plan: StatusPlan, current: Current) -> None:
    if current.index is not None:
        plan.statuses[current.index] = "superseded"
    elif current.return_id is not None:
        plan.superseded_ids.add(current.return_id)
