"""Running the ``spmon`` command as a user would, in a subprocess with its own data folder."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SPMON = Path(sys.executable).parent / "spmon"


@dataclass
class Workspace:
    """A scratch data folder and the environment that points spmon at it."""

    root: Path
    programme: Path
    prefect_api_url: str
    database_url: str | None = None

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def drop(self) -> Path:
        return self.root / "drop"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SPMON_")}
        env.update(
            SPMON_DATA_DIR=str(self.data),
            SPMON_PROGRAMME_FILE=str(self.programme),
            SPMON_SETTLE_SECONDS="0",
            PREFECT_API_URL=self.prefect_api_url,
            PREFECT_SERVER_ANALYTICS_ENABLED="false",
            GX_ANALYTICS_ENABLED="false",
            PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
        )
        if self.database_url:
            env["SPMON_DATABASE_URL"] = self.database_url
        env.update(extra)
        return env

    def run(self, *args: str | Path, check: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
        """Run ``spmon ARGS``; with ``check`` a non-zero exit fails with its output."""
        result = subprocess.run(
            [str(SPMON), *map(str, args)],
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"spmon {args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
            )
        return result

    def popen(self, *args: str | Path, **extra: str) -> subprocess.Popen[str]:
        """Start ``spmon ARGS`` without waiting; output lines can be read as they come."""
        return subprocess.Popen(
            [str(SPMON), *map(str, args)],
            env=self.env(**extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )


def copy_corpus_drop(corpus: Path, drop: Path) -> None:
    """Copy a corpus's drop folder and give each file its received time back (git keeps no mtimes)."""
    shutil.copytree(corpus / "drop", drop)
    with (corpus / "received.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            path = drop / row["source_file"]
            if path.exists():
                mtime = int(row["mtime"])
                os.chmod(path, 0o644)
                os.utime(path, (mtime, mtime))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def prepare_corpus(workspace: Workspace, corpus: Path, grades: bool = True) -> Workspace:
    """A corpus's drop folder copied in, the database made, its contracts, extensions (and grades) imported."""
    copy_corpus_drop(corpus, workspace.drop)
    workspace.run("init")
    workspace.run("contracts", "import", corpus / "contracts.csv")
    workspace.run("extensions", "import", corpus / "extensions.csv")
    if grades:
        workspace.run("qaf", "grades", "import", corpus / "qaf_grades_prev.csv")
    return workspace
