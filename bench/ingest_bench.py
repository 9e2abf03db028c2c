"""``make bench``: what a drop file costs to read and to ingest, an empty run, and peak memory.

``python -m bench.ingest_bench [--files N] [--profile]`` makes N filled PI
workbooks with the project's own code (50 contracts, Q1..Q4, distinct values)
under ``bench/out/`` and reports, against the targets of the issue:

- read-only cost per file: ``tasks.intake.reading.read_drop_files`` over all N files
  (bytes, hash, calamine, every quarter page), and openpyxl on a sample for comparison;
- whole-flow cost per file: ``spmon ingest`` over N/2 and over N files (fresh
  data folder and SQLite database each), ``(t_N - t_N/2) / (N/2)``, so that start-up
  does not count; its ratio to the read-only cost (target <= 3);
- an empty run (the folder already processed) against a running Prefect server
  (target < 5 s), and with a temporary server for information;
- the peak memory of the ingest of N files (target < 1 GB).

Every ``spmon`` runs in a subprocess, as the scheduler runs it, against one
Prefect server started here (its home under ``bench/out/``). The table is
printed and written to ``bench/out/results.json``. ``--profile`` also runs one
batch in-process under cProfile and writes ``bench/out/profile.txt``.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import os
import pstats
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from functools import lru_cache, partial
from pathlib import Path

import openpyxl

from data_contracts.pi_workbook import CONTRACT_SHEET, QUARTERS, workbook_file_name
from data_contracts.tables import ContractRecord
from deployments.server import running_prefect_server
from spmon.sample_data import (
    demo_contracts,
    demo_programme,
    demo_programme_toml,
    good_quarter_values,
    write_return,
)
from tasks.calendar.dates import quarter_period
from tasks.common.contract_records import CONTRACT_COLUMNS
from tasks.intake.drop_folder import settled_files
from tasks.intake.reading import read_drop_files

OUT = Path(__file__).resolve().parent / "out"
BIN = Path(sys.executable).parent
YEAR = "2025/26"
CONTRACT_COUNT = 50
# Smaller than the default (1000), so that both sizes span several batches.
BATCH_SIZE = 250
SEED = 7
OPENPYXL_SAMPLE = 100
WARM_UP = 5  # files of an untimed first ingest
REPEATS = 3  # reads and empty runs are timed this often
IDLE_CPU = 0.05  # the server counts as idle below this share of one core
PROFILE_LINES = 40  # of each profile listing
MB = 1024 * 1024
QUIET = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}


@dataclass
class Figure:
    """One measured figure and its target; ``passed`` is None where there is no target."""

    name: str
    value: float
    unit: str
    target: str = ""
    passed: bool | None = None


# Making the files.


def received_time(quarter: str, number: int) -> datetime:
    """Files of a quarter arrive in the weeks after it ends, one a few minutes after another."""
    end = quarter_period(YEAR, quarter)[1]
    return datetime.combine(end + timedelta(days=2), dt_time(8), tzinfo=UTC) + timedelta(minutes=7 * number)


@lru_cache(maxsize=1)
def bench_contracts() -> list[ContractRecord]:
    """The bench's 50 contracts (the same in every worker process)."""
    return demo_contracts(YEAR, count=CONTRACT_COUNT, seed=SEED)


def write_file(folder: Path, number: int) -> Path:
    """File ``number``: service ``number % 50`` in round ``number // 50``.

    It fills every quarter up to its round's quarter (Q1..Q4 in turn) with that round's
    figures, so files are distinct and later ones resubmit earlier quarters.
    """
    contracts = bench_contracts()
    contract = contracts[number % len(contracts)]
    round_ = number // len(contracts)
    quarter = QUARTERS[round_ % len(QUARTERS)]
    filled = QUARTERS[: QUARTERS.index(quarter) + 1]
    values = {q: good_quarter_values(contract, q, seed=SEED * 1000 + round_) for q in filled}
    name = workbook_file_name(contract.service_id, YEAR, contract.workbook_version)
    path = folder / name.replace(".xlsx", f" {quarter} r{round_:02d}.xlsx")
    year_settings = demo_programme([YEAR]).year(YEAR)
    return write_return(path, contract, year_settings, values, received_time(quarter, number))


def generate(folder: Path, count: int) -> list[Path]:
    """``count`` distinct filled workbooks, written on every core."""
    with ProcessPoolExecutor() as pool:
        return list(pool.map(partial(write_file, folder), range(count), chunksize=25))


def write_contracts_csv(path: Path, contracts: Sequence[ContractRecord]) -> Path:
    """The contracts as ``spmon contracts import`` takes them."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CONTRACT_COLUMNS)
        writer.writerows([getattr(c, column) for column in CONTRACT_COLUMNS] for c in contracts)
    return path


# Reading only.


def calamine_seconds(folder: Path, max_file_bytes: int, max_unzipped_bytes: int) -> tuple[float, int]:
    """Seconds to read every settled file of ``folder`` (best of 3), and how many."""
    files = settled_files(folder, 0)
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        read = read_drop_files(files, max_file_bytes, max_unzipped_bytes)
        times.append(time.perf_counter() - start)
    elapsed = min(times)
    unreadable = [r.message for r in read if r.kind != "pi"]
    if unreadable:
        raise SystemExit(f"the generated files should all read as PI workbooks: {unreadable[:3]}")
    return elapsed, len(files)


def openpyxl_seconds(paths: Sequence[Path]) -> float:
    """Seconds to read the same files with openpyxl (best of 3): load, then every value the reader reads."""
    wanted = {CONTRACT_SHEET, *QUARTERS}
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for path in paths:
            workbook = openpyxl.load_workbook(path, data_only=True)
            for sheet in workbook.worksheets:
                if sheet.title in wanted:
                    for _ in sheet.iter_rows(values_only=True):
                        pass
            workbook.close()
        times.append(time.perf_counter() - start)
    return min(times)


# Running spmon.


def base_env() -> dict[str, str]:
    """The environment of this process without SPMON_* and with analytics off; batches of BATCH_SIZE."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPMON_")}
    env.pop("PREFECT_API_URL", None)
    return env | QUIET | {"SPMON_BATCH_SIZE": os.environ.get("SPMON_BATCH_SIZE", str(BATCH_SIZE))}


@dataclass
class Run:
    """A finished subprocess: its wall time and peak resident memory."""

    seconds: float
    max_rss_bytes: int


@dataclass
class Workspace:
    """A data folder, its SQLite database and drop folder, and the environment that points spmon there."""

    root: Path
    env: dict[str, str]
    log: Path

    @classmethod
    def create(cls, root: Path, programme: Path, env: dict[str, str], log: Path) -> Workspace:
        """A new, empty data folder under ``root``."""
        root.mkdir(parents=True)
        (root / "drop").mkdir()
        data = {
            "SPMON_DATA_DIR": str(root),
            "SPMON_PROGRAMME_FILE": str(programme),
            "SPMON_SETTLE_SECONDS": "0",
        }
        return cls(root, env | data, log)

    @property
    def drop(self) -> Path:
        """The drop folder."""
        return self.root / "drop"

    def last_flow_seconds(self) -> float:
        """How long the last ingestion run took inside the flow (its recorded start to finish)."""
        import sqlite3

        with closing(sqlite3.connect(self.root / "foundation.db")) as connection:
            started, finished = connection.execute(
                "SELECT started_at, finished_at FROM ingest_run ORDER BY id DESC LIMIT 1"
            ).fetchone()
        return (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()

    def run(self, *args: str | Path, env: dict[str, str] | None = None) -> Run:
        """Run ``spmon ARGS`` (output to the log); its wall time and max RSS (``wait4``)."""
        command = [str(BIN / "spmon"), *map(str, args)]
        with self.log.open("a", encoding="utf-8") as out:
            out.write(f"\n$ {' '.join(command)}\n")
            out.flush()
            start = time.perf_counter()
            process = subprocess.Popen(
                command, cwd=self.root, env=env or self.env, stdout=out, stderr=subprocess.STDOUT
            )
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"spmon {' '.join(map(str, args))} exited {process.returncode}; see {self.log}")
        return Run(seconds, usage.ru_maxrss * 1024)  # Linux reports kilobytes


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running Prefect server: its API URL and process."""

    api_url: str
    process: subprocess.Popen[bytes]

    def wait_idle(self, timeout: float = 60) -> None:
        """Wait until the server has digested the last run (events, logs) and takes no CPU from the next."""
        deadline = time.monotonic() + timeout
        before = tree_cpu_seconds(self.process.pid)
        while time.monotonic() < deadline:
            time.sleep(1)
            after = tree_cpu_seconds(self.process.pid)
            if after - before < IDLE_CPU:
                return
            before = after


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds used so far by a process and its descendants (Linux ``/proc``)."""
    parents, used = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = int(fields[11]) + int(fields[12])
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(used.get(pid, 0) for pid in tree) / os.sysconf("SC_CLK_TCK")


@contextmanager
def prefect_server(home: Path, log: Path) -> Iterator[Server]:
    """A Prefect server on a free loopback port for the bench's runs. Stopped afterwards."""
    home.mkdir(parents=True, exist_ok=True)
    env = base_env() | {"PREFECT_HOME": str(home)}
    with running_prefect_server(free_port(), env, log=log) as running:
        yield Server(running.api_url, running.process)


# Profiling one batch in-process.


def profile_batch(files: Sequence[Path], scratch: Path, programme: Path, contracts_csv: Path) -> str:
    """Profile ``ingest_flow`` over one batch of ``files`` in-process, under a test harness; the top costs.

    A first run over a few files warms up (imports, GX, the Prefect client); the profiled run
    then takes the batch into a fresh data folder and database of its own.
    """
    from prefect.testing.utilities import prefect_test_harness

    from foundation.settings import get_settings

    def prepared(name: str, batch: Sequence[Path]) -> Workspace:
        workspace = Workspace.create(scratch / name, programme, base_env(), scratch / "profile.log")
        for path in batch:
            shutil.copy2(path, workspace.drop)
        workspace.run("init")
        workspace.run("contracts", "import", contracts_csv)
        os.environ.update({k: v for k, v in workspace.env.items() if k.startswith("SPMON_")})
        get_settings.cache_clear()
        return workspace

    from flows.ingest_flow import ingest_flow

    profiler = cProfile.Profile()
    with prefect_test_harness(server_startup_timeout=180):
        ingest_flow(drop_dir=str(prepared("profile-warm-up", files[:5]).drop))
        workspace = prepared("profile", files)
        start = time.perf_counter()
        profiler.enable()
        ingest_flow(drop_dir=str(workspace.drop))
        profiler.disable()
        seconds = time.perf_counter() - start
    text = io.StringIO()
    text.write(f"ingest_flow over {len(files)} files in-process: {seconds:.2f} s\n")
    for order in ("cumulative", "tottime"):
        text.write(f"\n=== by {order} ===\n")
        pstats.Stats(profiler, stream=text).sort_stats(order).print_stats(PROFILE_LINES)
    return text.getvalue()


# The report.


def table(figures: Sequence[Figure]) -> str:
    """The figures as a plain text table."""
    rows = [("figure", "value", "target", "")]
    for f in figures:
        verdict = "" if f.passed is None else ("pass" if f.passed else "FAIL")
        rows.append((f.name, f"{f.value:,.2f} {f.unit}", f.target or "(information)", verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def measure(count: int, profile: bool) -> list[Figure]:
    """Make the files, take every measurement, and return the figures."""
    from foundation.settings import Settings

    scratch = OUT / "run"
    shutil.rmtree(scratch, ignore_errors=True)
    files_dir = scratch / "files"
    files_dir.mkdir(parents=True)
    contracts = bench_contracts()
    programme = scratch / "programme.toml"
    programme.write_text(demo_programme_toml([YEAR]), encoding="utf-8")
    contracts_csv = write_contracts_csv(scratch / "contracts.csv", contracts)

    print(f"making {count} workbooks in {files_dir} ...", flush=True)
    start = time.perf_counter()
    paths = sorted(generate(files_dir, count), key=lambda p: (p.stat().st_mtime_ns, p.name))
    print(f"  {time.perf_counter() - start:.0f} s", flush=True)

    settings = Settings()
    print("reading them (calamine, all; openpyxl, a sample) ...", flush=True)
    read_seconds, read_count = calamine_seconds(
        files_dir, settings.max_file_bytes, settings.max_unzipped_bytes
    )
    assert read_count == count
    sample = random.Random(SEED).sample(paths, min(OPENPYXL_SAMPLE, count))  # noqa: S311 - a sample
    sample_dir = scratch / "sample"
    sample_dir.mkdir()
    for path in sample:
        shutil.copy2(path, sample_dir)
    sample_calamine, _ = calamine_seconds(sample_dir, settings.max_file_bytes, settings.max_unzipped_bytes)
    sample_openpyxl = openpyxl_seconds(sample)
    read_per_file = read_seconds / count

    log = scratch / "spmon.log"
    half = count // 2
    with prefect_server(OUT / "prefect-home", scratch / "prefect-server.log") as server:
        env = base_env() | {"PREFECT_API_URL": server.api_url, "PREFECT_HOME": str(OUT / "prefect-home")}
        runs: dict[str, Run] = {}
        flow_seconds: dict[str, float] = {}
        workspaces: dict[str, Workspace] = {}
        # The warm-up compiles and caches what any first run would; it is not timed.
        for label, size in (("warm-up", min(WARM_UP, count)), ("half", half), ("all", count)):
            workspace = Workspace.create(scratch / f"ingest-{label}", programme, env, log)
            for path in paths[:size]:
                shutil.copy2(path, workspace.drop)
            workspace.run("init")
            workspace.run("contracts", "import", contracts_csv)
            print(f"spmon ingest over {size} files ({label}) ...", flush=True)
            server.wait_idle()
            runs[label] = workspace.run("ingest", workspace.drop)
            flow_seconds[label] = workspace.last_flow_seconds()
            print(
                f"  {runs[label].seconds:.1f} s ({flow_seconds[label]:.1f} s inside the flow), "
                f"max RSS {runs[label].max_rss_bytes / MB:.0f} MB",
                flush=True,
            )
            if any(workspace.drop.iterdir()):
                raise SystemExit(f"files were left in {workspace.drop}; see {log}")
            workspaces[label] = workspace
        print(f"spmon ingest over the processed (now empty) folder, {REPEATS} times ...", flush=True)
        empty_runs = []
        for _ in range(REPEATS):
            server.wait_idle()
            empty_runs.append(workspaces["all"].run("ingest", workspaces["all"].drop).seconds)
        empty = statistics.median(empty_runs)
        print("  " + ", ".join(f"{seconds:.1f} s" for seconds in empty_runs), flush=True)
    ephemeral_home = OUT / "prefect-home-ephemeral"
    fresh_home = not ephemeral_home.exists()
    print("the same without a server (temporary server) ...", flush=True)
    env_ephemeral = workspaces["all"].env | {"PREFECT_HOME": str(ephemeral_home)}
    env_ephemeral.pop("PREFECT_API_URL")
    empty_ephemeral = workspaces["all"].run("ingest", workspaces["all"].drop, env=env_ephemeral)

    # The flow's own time, from two sizes: process start-up, imports and the first batch's
    # one-off costs cancel out; batches of BATCH_SIZE make the per-batch GX run count.
    flow_per_file = (flow_seconds["all"] - flow_seconds["half"]) / (count - half)
    ratio = flow_per_file / read_per_file
    peak = max(runs["half"].max_rss_bytes, runs["all"].max_rss_bytes) / MB
    figures = [
        Figure("read-only per file (calamine)", read_per_file * 1000, "ms"),
        Figure(f"openpyxl per file ({len(sample)}-file sample)", sample_openpyxl / len(sample) * 1000, "ms"),
        Figure("calamine per file (same sample)", sample_calamine / len(sample) * 1000, "ms"),
        Figure("openpyxl / calamine", sample_openpyxl / sample_calamine, "x", "~20x (issue)"),
        Figure(f"spmon ingest, {half} files", runs["half"].seconds, "s"),
        Figure(f"spmon ingest, {count} files", runs["all"].seconds, "s"),
        Figure("whole flow per file", flow_per_file * 1000, "ms"),
        # A negative slope means too few files to see the per-file cost through the noise: no pass.
        Figure("whole flow / read-only per file", ratio, "x", "<= 3", 0 < ratio <= 3),
        Figure("empty run, running server (median)", empty, "s", "< 5 s", empty < 5),
        Figure(
            "empty run, temporary server" + (" (new home)" if fresh_home else ""),
            empty_ephemeral.seconds,
            "s",
        ),
        Figure(f"peak memory, ingest of {count}", peak, "MB", "< 1024 MB", peak < 1024),
    ]
    if profile:
        batch = int(os.environ.get("SPMON_BATCH_SIZE", "250"))
        print(f"profiling one batch of {min(batch, count)} files in-process ...", flush=True)
        report = profile_batch(paths[:batch], scratch, programme, contracts_csv)
        (OUT / "profile.txt").write_text(report, encoding="utf-8")
        print(f"  written to {OUT / 'profile.txt'}")
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    """Run the bench; 0 when every target is met, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--files", type=int, default=1000, help="how many workbooks (default 1000)")
    parser.add_argument("--profile", action="store_true", help="also cProfile one batch in-process")
    args = parser.parse_args(argv)
    if args.files < 2:
        parser.error("--files must be at least 2")
    os.environ.update(QUIET)
    figures = measure(args.files, args.profile)
    print()
    print(table(figures))
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": args.files,
        "batch_size": int(os.environ.get("SPMON_BATCH_SIZE", "250")),
        "cpus": os.cpu_count(),
        "figures": [asdict(f) for f in figures],
    }
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {OUT / 'results.json'}")
    return 0 if all(f.passed is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
