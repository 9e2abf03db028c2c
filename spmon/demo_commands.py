"""Running ``spmon`` in the demo as a user would: the command, its environment, the CSV files it reads."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from foundation.prefect_env import DEFAULTS

SPMON = Path(sys.executable).parent / "spmon"


def spmon(root: Path, *args: str | Path) -> None:
    """Run ``spmon ARGS`` as a user would, showing its output as it comes."""
    print(f"\n$ spmon {' '.join(str(a) for a in args)}", flush=True)
    subprocess.run([str(SPMON), *map(str, args)], cwd=root, env=demo_env(root), check=True)  # noqa: S603


def demo_env(root: Path) -> dict[str, str]:
    """The environment of this process without any SPMON_* setting, pointed at the demo folder."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("SPMON_")}
    for name, value in DEFAULTS.items():
        env.setdefault(name, value)
    env.update(
        SPMON_DATA_DIR=str(root), SPMON_SETTLE_SECONDS="0", SPMON_PROGRAMME_FILE=str(root / "programme.toml")
    )
    return env


def write_csv(path: Path, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    """A CSV with a header row."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    return path
