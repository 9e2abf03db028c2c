"""Running ``spmon`` as the scheduler does: a subprocess against one Prefect server started for the bench.

Each run is timed from outside (wall) and its resources taken from ``wait4``:
CPU seconds (user + system, the process and the children it waited for) and
peak resident memory. A :class:`Workspace` is a data folder of its own, with
SQLite beside it or a fresh PostgreSQL database.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from deployments.server import running_prefect_server

BIN = Path(sys.executable).parent
QUIET = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}
IDLE_CPU = 0.05  # the server counts as idle below this share of one core
SAMPLE_SECONDS = 0.25  # how often a run's process tree is looked at
MB = 1024 * 1024


@dataclass
class Run:
    """A finished subprocess: wall seconds, CPU seconds and peak resident memory."""

    seconds: float
    cpu_seconds: float
    max_rss_bytes: int


def base_env() -> dict[str, str]:
    """The environment of this process without SPMON_* or a Prefect API, analytics off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPMON_")}
    env.pop("PREFECT_API_URL", None)
    return env | QUIET


@dataclass
class Workspace:
    """A data folder and drop folder, and the environment that points spmon there."""

    root: Path
    env: dict[str, str]
    log: Path

    @classmethod
    def create(cls, root: Path, programme: Path, env: dict[str, str], database_url: str = "") -> Workspace:
        """A new, empty data folder under ``root`` (SQLite in it unless ``database_url`` names another)."""
        root.mkdir(parents=True)
        (root / "drop").mkdir()
        data = {
            "SPMON_DATA_DIR": str(root),
            "SPMON_PROGRAMME_FILE": str(programme),
            "SPMON_SETTLE_SECONDS": "0",
        }
        if database_url:
            data["SPMON_DATABASE_URL"] = database_url
        return cls(root, env | data, root / "spmon.log")

    @property
    def drop(self) -> Path:
        """The drop folder."""
        return self.root / "drop"

    def run(self, *args: str | Path) -> Run:
        """Run ``spmon ARGS`` (output to the log); exit status other than 0 stops the bench."""
        command = [str(BIN / "spmon"), *map(str, args)]
        with self.log.open("a", encoding="utf-8") as out:
            out.write(f"\n$ {' '.join(command)}\n")
            out.flush()
            start = time.perf_counter()
            process = subprocess.Popen(
                command, cwd=self.root, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
            descendants = 0.0
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                descendants = tree_cpu_seconds(process.pid, itself=False)
                time.sleep(SAMPLE_SECONDS)
            seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"spmon {' '.join(map(str, args))} failed; see {self.log}")
        # The reader processes hang below a forkserver that spmon never waits for: their CPU is
        # taken from /proc while spmon runs (readers are done long before it ends).
        cpu = usage.ru_utime + usage.ru_stime + descendants
        return Run(seconds, cpu, usage.ru_maxrss * 1024)  # Linux reports kilobytes


def fresh_postgres_database(server_url: str, name: str) -> str:
    """A new, empty database ``name`` on the PostgreSQL server of ``server_url``; its URL."""
    url = make_url(server_url)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def postgres_reachable(server_url: str) -> bool:
    """Whether a PostgreSQL server answers at ``server_url``."""
    try:
        engine = create_engine(server_url, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception:  # noqa: BLE001 - any failure means: not reachable, skip those figures
        return False
    return True


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


def tree_cpu_seconds(root: int, itself: bool = True) -> float:
    """CPU seconds used so far by a process (unless not ``itself``) and its descendants (Linux ``/proc``).

    A descendant's own CPU and that of the children it has waited for both count.
    """
    parents, used = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = sum(int(ticks) for ticks in fields[11:15])  # utime stime cutime cstime
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    counted = tree if itself else tree - {root}
    return sum(used.get(pid, 0) for pid in counted) / os.sysconf("SC_CLK_TCK")


@contextmanager
def prefect_server(home: Path, log: Path) -> Iterator[Server]:
    """A Prefect server on a free loopback port for the bench's runs. Stopped afterwards."""
    home.mkdir(parents=True, exist_ok=True)
    env = base_env() | {"PREFECT_HOME": str(home)}
    with running_prefect_server(free_port(), env, log=log) as running:
        yield Server(running.api_url, running.process)
