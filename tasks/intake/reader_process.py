"""Reading in a separate process that a hostile file cannot take down with the run.

calamine is native code: a file it cannot cope with may make it abort the
process, allocate until the system kills it, or spin. So a batch is read in one
worker process (started from a ``forkserver``, so it costs a fork, not an
interpreter start), with an address-space limit and a time limit for each file.
The worker sends each file's result as soon as it has it; when it dies or
overruns, the file it was on is read again alone in a fresh worker to make sure
(a death caused by something else is not blamed on it), and if that fails too
the file is :class:`Stopped`. The rest of the batch goes on in a new worker.

If the worker cannot even start, that is a failure of the system
(:class:`ReaderUnavailable`), never a reason to blame the files.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import resource
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
_READY, _DONE, _FAILED, _OUT_OF_MEMORY = "ready", "done", "failed", "out-of-memory"
_PR_SET_PDEATHSIG = 1
# The reading modules, which the forkserver imports once so that each worker starts with them loaded.
_PRELOAD = ["tasks.intake.reading"]


@dataclass(frozen=True)
class ReaderLimits:
    """What one reader process may use."""

    # Address space of the worker: its own ~50-100 MB plus what the largest workbook the
    # checks allow needs (a 5,000 x 100 grid: ~50 MB), with room; with the run's own
    # ~400 MB, the two stay under 1 GB whatever a file does.
    memory_bytes: int = 512 * 1024 * 1024
    # A real workbook reads in milliseconds; a file that takes longer than this is stuck.
    seconds_per_item: float = 30.0
    # Starting a worker (a fork of the preloaded forkserver, or the forkserver's own start).
    start_seconds: float = 120.0


@dataclass(frozen=True)
class Stopped:
    """An item that stopped the reader process: why, in plain words."""

    why: str


class ReaderUnavailable(RuntimeError):
    """The reader process could not be started: a failure of the system, not of a file."""


@dataclass
class _Worker(Generic[T, R]):
    """One reader process and the receiving end of its pipe."""

    process: BaseProcess
    connection: Connection

    def stop(self) -> None:
        """End the worker now (it may be stuck in native code)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(10)
        self.connection.close()


def run_contained(items: Sequence[T], work: Callable[[T], R], limits: ReaderLimits) -> list[R | Stopped]:
    """``work`` on each item, in worker processes; an item that stops its worker is :class:`Stopped`."""
    results: list[R | Stopped] = []
    while len(results) < len(items):
        done = _run_worker(items[len(results) :], work, limits)
        if isinstance(done[-1], Stopped) and len(items) - len(results) > 1:
            done[-1] = _confirm(items[len(results) + len(done) - 1], work, limits, done[-1])
        results.extend(done)
    return results


def _confirm(item: T, work: Callable[[T], R], limits: ReaderLimits, first: Stopped) -> R | Stopped:
    """The item read again alone: its result if it reads now, else why it stopped the reader."""
    [again] = _run_worker([item], work, limits)
    return again if not isinstance(again, Stopped) else first


def _run_worker(items: Sequence[T], work: Callable[[T], R], limits: ReaderLimits) -> list[R | Stopped]:
    """Results in order until the items are done or the worker stops (then the last is Stopped)."""
    worker: _Worker[T, R] = _start(items, work, limits)
    try:
        return _collect(worker, len(items), limits)
    finally:
        worker.stop()


def _start(items: Sequence[T], work: Callable[[T], R], limits: ReaderLimits) -> _Worker[T, R]:
    receiver, sender = _context().Pipe(duplex=False)
    process = _context().Process(
        target=_serve, args=(sender, list(items), work, limits.memory_bytes), name="spmon-reader", daemon=True
    )
    process.start()
    sender.close()  # so that the worker's death reads as the end of the pipe
    worker: _Worker[T, R] = _Worker(process, receiver)
    if not receiver.poll(limits.start_seconds) or _receive(receiver) != (_READY, None):
        worker.stop()
        raise ReaderUnavailable(f"the reader process did not start ({_death(process.exitcode)})")
    return worker


def _collect(worker: _Worker[T, R], count: int, limits: ReaderLimits) -> list[R | Stopped]:
    results: list[R | Stopped] = []
    while len(results) < count:
        if not worker.connection.poll(limits.seconds_per_item):
            return [*results, Stopped(f"reading it took more than {limits.seconds_per_item:g} seconds")]
        message = _receive(worker.connection)
        if message is None:
            worker.process.join(10)
            return [*results, Stopped(_death(worker.process.exitcode))]
        kind, payload = message
        if kind == _FAILED:
            raise payload
        if kind == _OUT_OF_MEMORY:
            return [
                *results,
                Stopped(f"reading it needed more than {limits.memory_bytes >> 20} MB of memory"),
            ]
        results.append(payload)
    return results


def _receive(connection: Connection) -> tuple[str, Any] | None:
    """The next message, or None when the worker has gone."""
    try:
        message: tuple[str, Any] = connection.recv()
    except (EOFError, OSError):
        return None
    return message


def _death(exitcode: int | None) -> str:
    """How a worker ended, in plain words."""
    if exitcode is None:
        return "the reader did not answer"
    if exitcode < 0:
        name = signal.Signals(-exitcode).name
        reasons = {
            "SIGABRT": "the reader aborted on it (typically it could not get the memory it asked for)",
            "SIGKILL": "the reader was killed while reading it (typically the system ran out of memory)",
            "SIGSEGV": "the reader crashed on it",
        }
        return f"{reasons.get(name, 'the reader was stopped while reading it')}; signal {name}"
    return f"the reader ended with exit code {exitcode} while reading it"


@lru_cache(maxsize=1)
def _context() -> ForkServerContext:
    """The forkserver context (started on first use), preloaded with the reading modules.

    Like every process multiprocessing starts, a worker imports the main module
    again (``spmon``'s script, ``python -m ...``'s module); preloading it too makes
    that free. Main modules must be safe to import (``if __name__ == "__main__"``).
    """
    context = multiprocessing.get_context("forkserver")
    main_name = getattr(getattr(sys.modules["__main__"], "__spec__", None), "name", None)
    context.set_forkserver_preload(["__main__", *([main_name] if main_name else []), *_PRELOAD])
    return context


def _serve(sender: Connection, items: list[T], work: Callable[[T], R], memory_bytes: int) -> None:
    """The worker: limit memory, then send each item's result as soon as it is read."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle: it stops the worker
    _die_with_parent()
    _limit_memory(memory_bytes)
    sender.send((_READY, None))
    for item in items:
        try:
            sender.send((_DONE, work(item)))
        except MemoryError:
            sender.send((_OUT_OF_MEMORY, None))
            return
        except Exception as error:  # noqa: BLE001 - handed to the parent, which raises it
            sender.send((_FAILED, _picklable(error)))
            return
    sender.close()


def _die_with_parent() -> None:
    """Be killed when the forkserver goes (it goes with the run), even if stuck in native code (Linux)."""
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # the process's own libc
    except (OSError, AttributeError):
        pass  # elsewhere the worker ends when it next writes to the closed pipe


def _limit_memory(memory_bytes: int) -> None:
    """Cap the worker's address space, so a runaway allocation fails here and not in the system."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _picklable(error: Exception) -> Exception:
    import pickle  # noqa: S403 - only to test that our own exception object can cross the pipe

    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301 - bytes made just above
    except Exception:  # noqa: BLE001 - any exception that cannot cross the pipe is described instead
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error
