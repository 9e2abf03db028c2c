"""Thin Prefect task wrappers over the plain functions: a name, retries and a place in the UI.

Inputs are large in-memory objects passed within one flow run, so no task
caches its result (``cache_policy=NONE``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, cast

from prefect import Task, task
from prefect.cache_policies import NONE
from prefect.runtime import task_run
from prefect.utilities.annotations import quote

from data_contracts.tables import ContractRecord
from foundation.errors import BadInput, SystemFailure
from foundation.programme import Programme
from foundation.settings import get_settings
from tasks.intake import batch as ingest
from tasks.intake import reading as intake
from tasks.intake.drop_folder import DropFile, settled_files
from tasks.pi.judge import ContractKey

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")


def as_is(value: T) -> T:
    """A large task input passed as it is: Prefect need not walk it looking for futures."""
    return cast(T, quote(value))


def _unquoted(value: Any) -> Any:
    return value.unquote() if isinstance(value, quote) else value


def batch_run_name(verb: str) -> Callable[[], str]:
    """Task run names that say which files a batch holds: ``read-PI_SV00123_2025-26_V1.xlsx+24``."""

    def name() -> str:
        parameters = {name: _unquoted(value) for name, value in task_run.parameters.items()}
        items: list[Any] = parameters.get("files") or parameters.get("read_files") or []
        if "plan" in parameters:
            items = [result.drop for result in parameters["plan"].to_file()]
        if not items:
            return f"{verb}-nothing"
        first = items[0] if isinstance(items[0], DropFile) else items[0].drop
        return f"{verb}-{first.name}" + (f"+{len(items) - 1}" if len(items) > 1 else "")

    return name


def worth_retrying(task: Any, task_run: Any, state: Any) -> bool:
    """Retry what may pass a moment later (a locked database), not what spmon already judged final.

    A full or read-only disk (``SystemFailure``) or bad input stays so for
    seconds; retrying only repeats the traceback before the same message.
    """
    try:
        state.result()
    except (SystemFailure, BadInput):
        return False
    except Exception:  # noqa: BLE001 - any other failure may be transient
        return True
    return True


def retried_task(
    name: str, run_name: Callable[[], str] | None = None
) -> Callable[[Callable[P, R]], Task[P, R]]:
    """A task that writes: retried twice, 5 s apart, unless the failure is one spmon judged final."""
    return task(
        name=name,
        cache_policy=NONE,
        retries=2,
        retry_delay_seconds=5,
        retry_condition_fn=worth_retrying,
        task_run_name=run_name,
    )


@task(name="list-drop-files", cache_policy=NONE)
def list_drop_files(drop_dir: Path, settle_seconds: float) -> list[DropFile]:
    """The settled files of the drop folder, in processing order."""
    return settled_files(drop_dir, settle_seconds)


@task(name="read-batch", cache_policy=NONE, task_run_name=batch_run_name("read"))
def read_batch(files: list[DropFile], max_file_bytes: int, max_unzipped_bytes: int) -> list[intake.ReadFile]:
    """Read a batch of workbooks in a reader process, with marks of files being read beside the quarantine."""
    marks = intake.marks_folder(get_settings().quarantine)
    return intake.read_drop_files(files, max_file_bytes, max_unzipped_bytes, marks)


@task(name="check-batch", cache_policy=NONE, task_run_name=batch_run_name("check"))
def check_batch(
    read_files: list[intake.ReadFile],
    seen_sha256: set[str],
    contracts: dict[ContractKey, ContractRecord],
    programme: Programme,
    folders: dict[str, Path],
    left: dict[str, str],
) -> ingest.BatchPlan:
    """Judge a batch: the GX suite once, the record checks, the PIs."""
    return ingest.plan_batch(read_files, seen_sha256, contracts, programme, folders, left)


@retried_task("record-batch", batch_run_name("record"))
def record_batch(
    database_url: str, run_id: int, plan: ingest.BatchPlan, programme: Programme, reingest: bool = False
) -> Counter[str]:
    """Write a batch's files and returns in one transaction; the count of each status."""
    return ingest.record(database_url, run_id, plan, programme, reingest)


@retried_task("file-batch", batch_run_name("file"))
def file_batch(plan: ingest.BatchPlan) -> list[str]:
    """Move a recorded batch to the archive or quarantine."""
    return ingest.file_away(plan)


@retried_task("write-notices")
def write_notices(database_url: str, programme: Programme, outbox: Path) -> list[Path]:
    """Write every notice to providers not yet in the outbox."""
    return ingest.write_notices(database_url, programme, outbox)
