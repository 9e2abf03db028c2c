"""``make fuzz N=10000``: mutated workbooks through real ingestion runs, and what went wrong.

``python -m bench.fuzz [--cases N] [--seed S] [--batch 300]`` makes N cases
(``bench/fuzz_cases.py``: the project's own PI and QAF workbooks, mutated),
drops them ``--batch`` at a time into a fresh data folder (SQLite) and runs
``spmon ingest`` over each lot, against one Prefect server started here. It
reports:

- crashes: runs that exit other than 0 (or 2 for a file naming a year the
  programme file lacks, which leaves that file in the drop folder by design);
- hangs: runs still going after ``--run-timeout`` seconds (then killed);
- peak memory: the largest resident memory of a run's process tree (the run,
  its reader processes), sampled every 0.2 s, and the largest single process;
- files unaccounted for: every dropped file must end up archived or
  quarantined, or be left in the drop folder and named in the run's output;
- why files were quarantined, counted by their message.

Figures are printed and written to ``bench/out/fuzz/<seed>/results.json``.
``--replay I`` writes case I of the seed to the output folder instead, so a
failure replays byte for byte; ``--first I --cases N`` runs only that lot again.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.fuzz_cases import YEAR, make_case
from deployments.server import running_prefect_server
from spmon.sample_data import demo_contracts, demo_programme_toml
from tasks.common.contract_records import CONTRACT_COLUMNS

OUT = Path(__file__).resolve().parent / "out" / "fuzz"
BIN = Path(sys.executable).parent
RECEIVED = datetime(2025, 7, 10, 9, tzinfo=UTC)
QUIET = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "GX_ANALYTICS_ENABLED": "false"}
_PART = re.compile(r"(sheet|part )\S*\d+\.xml|\d[\d,]{3,}|'[^']*'|\([^)]*\)")


@dataclass
class RunFigures:
    """One ingestion run over one lot of cases."""

    first_case: int
    cases: int
    exit_code: int | None
    seconds: float
    peak_tree_mb: float
    peak_process_mb: float
    archived: int
    quarantined: int
    left_explained: list[str] = field(default_factory=list)
    unaccounted: list[str] = field(default_factory=list)
    output_tail: str = ""

    @property
    def hung(self) -> bool:
        """Killed after the time limit."""
        return self.exit_code is None

    def crashed(self) -> bool:
        """Exit other than 0, or 2 for a file naming a year the programme file lacks."""
        if self.exit_code in (0, None):
            return False
        return not (self.exit_code == 2 and "programme file" in self.output_tail)


class MemoryWatch:
    """Samples the resident memory of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval = pid, interval
        self.peak_tree = self.peak_process = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop sampling."""
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.is_set():
            sizes = [_rss_bytes(pid) for pid in _descendants(self.pid)]
            self.peak_tree = max(self.peak_tree, sum(sizes))
            self.peak_process = max(self.peak_process, *sizes, 0)
            self._stop.wait(self.interval)


def _descendants(root: int) -> set[int]:
    parents = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return tree


def _rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


@dataclass
class Workspace:
    """A fresh data folder with the demo contracts, and the environment pointing spmon at it."""

    root: Path
    env: dict[str, str]

    @classmethod
    def create(cls, root: Path, api_url: str) -> Workspace:
        """Data folder, programme file, database and the contracts the seed workbooks belong to."""
        shutil.rmtree(root, ignore_errors=True)
        (root / "drop").mkdir(parents=True)
        (root / "programme.toml").write_text(demo_programme_toml([YEAR]), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("SPMON_")} | QUIET
        env |= {
            "PREFECT_API_URL": api_url,
            "SPMON_DATA_DIR": str(root),
            "SPMON_PROGRAMME_FILE": str(root / "programme.toml"),
            "SPMON_SETTLE_SECONDS": "0",
        }
        workspace = cls(root, env)
        contracts = root / "contracts.csv"
        with contracts.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(CONTRACT_COLUMNS)
            writer.writerows(
                [getattr(c, col) for col in CONTRACT_COLUMNS] for c in demo_contracts(YEAR, 3, 5)
            )
        for args in (["init"], ["contracts", "import", str(contracts)]):
            subprocess.run([str(BIN / "spmon"), *args], env=env, cwd=root, check=True, capture_output=True)
        return workspace

    def stored_names(self) -> tuple[set[str], set[str]]:
        """Names of the files in the archive and in the quarantine."""
        return tuple(  # type: ignore[return-value]
            {p.name for p in (self.root / folder).rglob("*") if p.is_file()}
            for folder in ("archive", "quarantine")
        )


def drop_cases(workspace: Workspace, seed: int, first: int, count: int) -> list[str]:
    """Write cases ``first`` .. ``first + count - 1`` into the drop folder, a minute apart; their names."""
    names = []
    for index in range(first, first + count):
        case = make_case(seed, index)
        path = workspace.root / "drop" / case.name
        path.write_bytes(case.data)
        stamp = (RECEIVED + timedelta(minutes=index)).timestamp()
        os.utime(path, (stamp, stamp))
        names.append(case.name)
    return names


def ingest(workspace: Workspace, names: list[str], first: int, timeout: float) -> RunFigures:
    """One ``spmon ingest`` over the dropped cases; its figures and what became of each file."""
    before_archive, before_quarantine = workspace.stored_names()
    start = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own spmon
        [str(BIN / "spmon"), "ingest"],
        env=workspace.env,
        cwd=workspace.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    watch = MemoryWatch(process.pid)
    try:
        output, _ = process.communicate(timeout=timeout)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, code = process.communicate()[0], None
    finally:
        watch.stop()
    archive, quarantine = workspace.stored_names()
    left = {p.name for p in (workspace.root / "drop").iterdir()}
    figures = RunFigures(
        first_case=first,
        cases=len(names),
        exit_code=code,
        seconds=round(time.perf_counter() - start, 1),
        peak_tree_mb=round(watch.peak_tree / 1048576),
        peak_process_mb=round(watch.peak_process / 1048576),
        archived=len(set(names) & (archive - before_archive)),
        quarantined=len(set(names) & (quarantine - before_quarantine)),
        output_tail=output[-4000:],
    )
    for name in sorted(set(names) - (archive | quarantine)):
        explained = name in left and name in output
        (figures.left_explained if explained else figures.unaccounted).append(name)
    _set_aside(workspace, left)
    return figures


def _set_aside(workspace: Workspace, left: set[str]) -> None:
    """Files left in the drop folder move aside, so the next lot starts clean."""
    aside = workspace.root / "left-in-drop"
    aside.mkdir(exist_ok=True)
    for name in left:
        (workspace.root / "drop" / name).replace(aside / name)


def quarantine_reasons(workspace: Workspace) -> Counter[str]:
    """Why files were quarantined: each unreadable file's message without its name and particulars."""
    with closing(sqlite3.connect(workspace.root / "foundation.db")) as connection:
        rows = connection.execute("SELECT message FROM received_file WHERE kind = 'unreadable'").fetchall()
    return Counter(_PART.sub("…", (message or "").split(": ", 1)[-1])[:90] for (message,) in rows)


def free_port() -> int:
    """A free loopback port for the Prefect server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def campaign(
    cases: int, seed: int, batch: int, timeout: float, out: Path, first: int = 0
) -> dict[str, object]:
    """Every lot through a real ingestion run; the figures of the campaign."""
    out.mkdir(parents=True, exist_ok=True)
    home = out / "prefect-home"
    env = (
        {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | QUIET | {"PREFECT_HOME": str(home)}
    )
    runs: list[RunFigures] = []
    started = time.perf_counter()
    with running_prefect_server(free_port(), env, log=out / "server.log") as server:
        workspace = Workspace.create(out / "data", server.api_url)
        workspace.env["PREFECT_HOME"] = str(home)
        for start in range(first, first + cases, batch):
            names = drop_cases(workspace, seed, start, min(batch, first + cases - start))
            runs.append(ingest(workspace, names, start, timeout))
            _progress(runs[-1])
        reasons = quarantine_reasons(workspace)
    return _summary(runs, reasons, cases, seed, time.perf_counter() - started)


def _progress(run: RunFigures) -> None:
    state = "HUNG" if run.hung else ("CRASH" if run.crashed() else f"exit {run.exit_code}")
    print(
        f"cases {run.first_case}-{run.first_case + run.cases - 1}: {state}, {run.seconds} s, "
        f"archived {run.archived}, quarantined {run.quarantined}, left {len(run.left_explained)}, "
        f"unaccounted {len(run.unaccounted)}, peak {run.peak_tree_mb} MB "
        f"(largest process {run.peak_process_mb} MB)",
        flush=True,
    )


def _summary(
    runs: list[RunFigures], reasons: Counter[str], cases: int, seed: int, seconds: float
) -> dict[str, object]:
    return {
        "seed": seed,
        "cases": cases,
        "runs": len(runs),
        "seconds": round(seconds),
        "crashes": [asdict(run) for run in runs if run.crashed()],
        "hangs": [asdict(run) for run in runs if run.hung],
        "peak_tree_mb": max((run.peak_tree_mb for run in runs), default=0),
        "peak_process_mb": max((run.peak_process_mb for run in runs), default=0),
        "archived": sum(run.archived for run in runs),
        "quarantined": sum(run.quarantined for run in runs),
        "left_in_drop_explained": sum(len(run.left_explained) for run in runs),
        "unaccounted": [name for run in runs for name in run.unaccounted],
        "stopped_the_reader": sum(n for reason, n in reasons.items() if "stopped the reader" in reason),
        "quarantine_reasons": dict(reasons.most_common(40)),
        "run_seconds": [run.seconds for run in runs],
    }


def report(summary: dict[str, object]) -> str:
    """The campaign's figures as a short text."""
    crashes, hangs, unaccounted = (summary[key] for key in ("crashes", "hangs", "unaccounted"))
    assert isinstance(crashes, list) and isinstance(hangs, list) and isinstance(unaccounted, list)
    lines = [
        f"fuzz seed {summary['seed']}: {summary['cases']} cases in {summary['runs']} ingestion runs, "
        f"{summary['seconds']} s",
        f"crashes (runs exiting non-zero): {len(crashes)}",
        f"hangs (runs killed at the time limit): {len(hangs)}",
        f"peak memory of a run (process tree): {summary['peak_tree_mb']} MB; "
        f"largest single process: {summary['peak_process_mb']} MB",
        f"archived {summary['archived']}, quarantined {summary['quarantined']} "
        f"(the file stopped the reader: {summary['stopped_the_reader']}), "
        f"left in the drop folder and named in the run's output: {summary['left_in_drop_explained']}",
        f"files unaccounted for: {len(unaccounted)} {unaccounted[:10]}",
        "why files were quarantined:",
    ]
    reasons = summary["quarantine_reasons"]
    assert isinstance(reasons, dict)
    lines += [f"  {count:6d}  {reason}" for reason, count in reasons.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the campaign (or replay one case); non-zero when anything went wrong."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first", type=int, default=0, help="index of the first case (to replay a lot)")
    parser.add_argument("--batch", type=int, default=300)
    parser.add_argument("--run-timeout", type=float, default=900)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--replay", type=int, default=None, help="write this case to --out and stop")
    args = parser.parse_args(argv)
    out = args.out or OUT / str(args.seed)
    if args.replay is not None:
        case = make_case(args.seed, args.replay)
        out.mkdir(parents=True, exist_ok=True)
        (out / case.name).write_bytes(case.data)
        print(f"{out / case.name}: seed workbook {case.seed_name}, mutations {', '.join(case.mutations)}")
        return 0
    summary = campaign(args.cases, args.seed, args.batch, args.run_timeout, out, args.first)
    (out / "results.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(report(summary))
    return 1 if summary["crashes"] or summary["hangs"] or summary["unaccounted"] else 0


if __name__ == "__main__":
    sys.exit(main())
