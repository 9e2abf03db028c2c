"""A benchmark database built once and kept under ``bench/out`` (under a temporary name, then renamed)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).parent / "out"


def cached_database(name: str, services: int, build: Callable[[Path, int], None]) -> Path:
    """``bench/out/<name>-<services>.sqlite``, built with ``build(path, services)`` when missing."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}-{services}.sqlite"
    if not path.exists():
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        build(partial, services)
        partial.replace(path)
        print(f"built {path.name} in {time.perf_counter() - started:.1f} s", flush=True)  # noqa: T201
    return path
