"""Readers put in place of ``tasks.intake.reading.read_drop_file``; module-level, so the reader process can import them."""

from __future__ import annotations

import os
import signal
import time

from tasks.intake import reading as intake
from tasks.intake.drop_folder import DropFile
from tasks.intake.reading import ReadFile
from tests.tasks.intake.hostile_workbooks import MB


def aborting_reader(drop: DropFile, max_file_bytes: int, max_unzipped_bytes: int) -> ReadFile:
    """A native abort on files named ``abort*``, as calamine does when an allocation fails."""
    if drop.name.startswith("abort"):
        os.abort()
    return real_read(drop, max_file_bytes, max_unzipped_bytes)


def hanging_reader(drop: DropFile, max_file_bytes: int, max_unzipped_bytes: int) -> ReadFile:
    if drop.name.startswith("hang"):
        time.sleep(600)
    return real_read(drop, max_file_bytes, max_unzipped_bytes)


def greedy_reader(drop: DropFile, max_file_bytes: int, max_unzipped_bytes: int) -> ReadFile:
    if drop.name.startswith("greedy"):
        bytearray(4 * 1024 * MB)
    return real_read(drop, max_file_bytes, max_unzipped_bytes)


def once_aborting_reader(drop: DropFile, max_file_bytes: int, max_unzipped_bytes: int) -> ReadFile:
    """Aborts the first time only (a death that was not the file's fault)."""
    flag = drop.path.with_name(drop.name + ".seen")
    if drop.name.startswith("abort") and not flag.exists():
        flag.write_text("x")
        os.abort()
    return real_read(drop, max_file_bytes, max_unzipped_bytes)


def run_killing_reader(drop: DropFile, max_file_bytes: int, max_unzipped_bytes: int) -> ReadFile:
    """Kills the whole run (its process group) on files named ``abort*``, as the system's OOM killer may."""
    if drop.name.startswith("abort"):
        os.killpg(os.getpgrp(), signal.SIGKILL)
    return real_read(drop, max_file_bytes, max_unzipped_bytes)


real_read = intake.read_drop_file


def abort_on_negative(item: int) -> int:
    if item < 0:
        os.abort()
    return item
