"""The bench's drop files: PI returns of N services made with the project's own code, kept between runs.

Every service sends two returns of 2025/26, its Q1 and its Q2 workbook, so N
services make 2N files. In every ten services (twenty files):

- service 0 sends a Q1 with a required cell left blank (returned), then the
  corrected Q1 in August, which supersedes it (a resubmission);
- service 1 sends a Q1 with a required cell left blank (returned) and a good Q2;
- the eight others send a good Q1 and a good Q2;

so 85% of the PI files are clean, 10% are returned and 5% are resubmissions.
Files arrive in the weeks after their quarter ends, 30 seconds apart, so a
resubmission lands in a later batch than the file it corrects once N is large.
Among them arrive stakeholder questionnaires, issued with the project's own
code and returned filled in (``bench/questionnaire_files.py``: six files a
ten services, 4 received (1 adverse), 1 incomplete, 1 duplicate), with the
stakeholders' CSV a workspace imports before it issues them.
The files are made once per N under ``bench/out/files-<N>-v2/`` (in a folder
named ``.partial`` until every file is made; an interrupted making resumes)
and reused by later runs. Making them is the slow part (openpyxl, about 0.1 s
a workbook on an idle core).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import lru_cache, partial
from pathlib import Path

from bench.cached import OUT
from bench.questionnaire_files import (
    arrival_after,
    returned_questionnaires,
    write_questionnaire,
    write_stakeholders_csv,
)
from data_contracts.pi_workbook import NUMERIC_PROVIDER_CELLS, workbook_file_name
from data_contracts.tables import ContractRecord
from spmon.sample_data import (
    demo_contracts,
    demo_programme,
    demo_programme_toml,
    good_quarter_values,
    write_return,
)
from tasks.calendar.dates import quarter_period
from tasks.common.contract_records import CONTRACT_COLUMNS

YEAR = "2025/26"
SEED = 7
VERSION = "v2"  # of the files' recipe: a new recipe makes new files (v2: with questionnaires)
RESUBMITTED_AFTER = timedelta(days=30)


class BenchFiles:
    """The files of N services under ``root``: the drop folder, contracts, stakeholders, programme."""

    def __init__(self, services: int, root: Path) -> None:
        self.services = services
        self.folder, self.contracts_csv = root / "drop", root / "contracts.csv"
        self.stakeholders_csv, self.programme = root / "stakeholders.csv", root / "programme.toml"

    @property
    def paths(self) -> list[Path]:
        """The workbooks, in the order they arrived."""
        return sorted(self.folder.glob("*.xlsx"), key=lambda p: (p.stat().st_mtime_ns, p.name))


@lru_cache(maxsize=2)
def bench_contracts(services: int) -> list[ContractRecord]:
    """The contracts of N services (the same in every process that makes files)."""
    return demo_contracts(YEAR, count=services, seed=SEED)


def received_time(quarter: str, number: int) -> datetime:
    """A quarter's files arrive from two days after it ends, 30 seconds apart."""
    end = quarter_period(YEAR, quarter)[1]
    return datetime(end.year, end.month, end.day, 8, tzinfo=UTC) + timedelta(days=2, seconds=30 * number)


def with_blank_cell(values: dict[str, object]) -> dict[str, object]:
    """The values with the first required figure left blank: the return is ``incomplete``."""
    blank = next(name for name in NUMERIC_PROVIDER_CELLS if name in values and name != "units")
    return {name: value for name, value in values.items() if name != blank}


def write_service_file(folder: Path, services: int, file_number: int) -> Path:
    """File ``file_number``: service ``file_number // 2``; its first or second file (see the module)."""
    service, second = divmod(file_number, 2)
    contract = bench_contracts(services)[service]
    kind = service % 10
    quarter = "Q1" if (kind == 0 or not second) else "Q2"
    values = good_quarter_values(contract, quarter, seed=SEED + second)
    received = received_time(quarter, service)
    suffix = quarter
    if kind in (0, 1) and not second:
        values = with_blank_cell(values)
    elif kind == 0 and second:
        received += RESUBMITTED_AFTER
        suffix = "Q1 corrected"
    name = workbook_file_name(contract.service_id, YEAR, contract.workbook_version)
    path = folder / name.replace(".xlsx", f" {suffix}.xlsx")
    if path.exists():
        return path  # made by an earlier, interrupted making of the files
    year_settings = demo_programme([YEAR]).year(YEAR)
    return write_return(path, contract, year_settings, {quarter: values}, received)


def expected_pi_statuses(services: int) -> Counter[str]:
    """The PI returns' statuses after every file: in ten services 18 accepted, 1 returned, 1 superseded."""
    found: Counter[str] = Counter()
    for service in range(services):
        kind = service % 10
        found.update(["superseded" if kind == 0 else "returned" if kind == 1 else "accepted", "accepted"])
    return found


def write_questionnaire_file(folder: Path, services: int, number: int) -> Path:
    """Questionnaire file ``number``: after its service's Q1 workbook, or its Q2 one when sent again."""
    returned = returned_questionnaires(services)[number]
    received = arrival_after(received_time("Q1", returned.service), returned)
    return write_questionnaire(folder, bench_contracts(services)[returned.service], returned, received)


def write_bench_file(folder: Path, services: int, number: int) -> Path:
    """File ``number`` of the drop folder: the ``2N`` PI workbooks first, then the questionnaires."""
    if number < 2 * services:
        return write_service_file(folder, services, number)
    return write_questionnaire_file(folder, services, number - 2 * services)


def write_contracts_csv(path: Path, contracts: Sequence[ContractRecord]) -> Path:
    """The contracts as ``spmon contracts import`` takes them."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CONTRACT_COLUMNS)
        writer.writerows([getattr(c, column) for column in CONTRACT_COLUMNS] for c in contracts)
    return path


def bench_files(services: int) -> BenchFiles:
    """The files of N services, made on every core when missing."""
    root = OUT / f"files-{services}-{VERSION}"
    found = BenchFiles(services, root)
    if root.exists():
        return found
    partial_root = root.with_name(root.name + ".partial")  # kept when interrupted: making resumes
    (partial_root / "drop").mkdir(parents=True, exist_ok=True)
    write_contracts_csv(partial_root / "contracts.csv", bench_contracts(services))
    write_stakeholders_csv(partial_root / "stakeholders.csv", bench_contracts(services))
    (partial_root / "programme.toml").write_text(demo_programme_toml([YEAR]), encoding="utf-8")
    count = 2 * services + len(returned_questionnaires(services))
    with ProcessPoolExecutor() as pool:
        work = partial(write_bench_file, partial_root / "drop", services)
        list(pool.map(work, range(count), chunksize=25))
    partial_root.replace(root)
    return found


if __name__ == "__main__":
    import sys

    for count in map(int, sys.argv[1:]):
        print(bench_files(count).folder)  # noqa: T201
