"""A small file system of its own (tmpfs) for tests that fill a disk or make it read-only.

Mounting needs root and a kernel that allows it; where it does not, the
tests that need it skip with the reason.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


class SmallDisk:
    """A tmpfs mounted at ``path``; it can be grown, shrunk or made read-only while mounted."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def remount(self, options: str) -> None:
        """Change the mount's options, e.g. ``size=4m`` or ``ro``."""
        subprocess.run(["mount", "-o", f"remount,{options}", str(self.path)], check=True)


def _mount(path: Path, size: str) -> str | None:
    """Mount a tmpfs; the reason it cannot be mounted, or ``None``."""
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        return str(error)
    return None if done.returncode == 0 else done.stderr.strip() or f"mount exited {done.returncode}"


@contextmanager
def small_disk(path: Path, size: str) -> Iterator[SmallDisk]:
    """A tmpfs of ``size`` at ``path`` for the block; skips the test where mounting is not allowed."""
    path.mkdir(parents=True, exist_ok=True)
    why = _mount(path, size)
    if why is not None:
        pytest.skip(f"cannot mount a tmpfs here: {why}")
    try:
        yield SmallDisk(path)
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)
