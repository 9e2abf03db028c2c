"""Test set-up shared by every test: offline Prefect and GX, scratch data folders, databases."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.corpus.build import Corpus

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

ROOT = Path(__file__).resolve().parents[1]
# The shared acceptance corpus sits beside the project in CI only; SPMON_SHARED_SAMPLES points elsewhere
# (SPMON_SHARED_SAMPLES=/nonexistent runs the tests as a user's clone would).
SHARED_SAMPLES = Path(os.environ.get("SPMON_SHARED_SAMPLES") or ROOT.parent / "shared" / "samples")
SHARED_SPEC = ROOT.parent / "shared" / "spec"
SHARED_SAMPLES_ABSENT = f"the shared sample corpus is not at {SHARED_SAMPLES} (../shared/samples, CI only)"
POSTGRES_URL = os.environ.get("SPMON_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture
def samples() -> Path:
    """The shared acceptance corpus, for the comparison with its expected registers only.

    Every other test runs on the project-made corpus (the ``corpus`` fixture).
    """
    if not (SHARED_SAMPLES / "drop").is_dir():
        pytest.skip(SHARED_SAMPLES_ABSENT)
    return SHARED_SAMPLES


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The project-made corpus (``tests/corpus/build.py``), built once a session: the same bytes every time."""
    from tests.corpus.build import build

    return build(tmp_path_factory.mktemp("corpus") / "corpus")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards.

    Skips when the server cannot be reached, unless SPMON_REQUIRE_POSTGRES=1
    (as in .ci/run), where it fails.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"spmon_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        if os.environ.get("SPMON_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but cannot be reached at {POSTGRES_URL}: {error.orig}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}")
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Prefect home for the command-line runs of the test session."""
    return tmp_path_factory.mktemp("prefect-home")


@pytest.fixture(scope="session")
def prefect_api_url(prefect_home: Path) -> Iterator[str]:
    """A Prefect server for the session's command-line runs, as in production (no temporary servers)."""
    from deployments.server import running_prefect_server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, PREFECT_HOME=str(prefect_home), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    with running_prefect_server(port, env, log=prefect_home / "server.log") as server:
        yield server.api_url


# Skips are policed: with SPMON_FAIL_ON_UNEXPECTED_SKIP=1 (CI) a skip whose reason is not allowed here
# fails the session. A reason is allowed only while its condition holds.
ALLOWED_SKIPS: dict[str, Callable[[], bool]] = {
    SHARED_SAMPLES_ABSENT: lambda: not (SHARED_SAMPLES / "drop").is_dir(),
    "../shared/spec is not beside the project": lambda: not SHARED_SPEC.is_dir(),
}
_skipped: list[tuple[str, str]] = []
_unexpected: list[tuple[str, str]] = []


def _skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    if isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2])
        return reason.removeprefix("Skipped: ")
    return str(report.longrepr)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect every skip (not expected failures) with its reason."""
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append((report.nodeid, _skip_reason(report)))


def pytest_collectreport(report: pytest.CollectReport) -> None:
    """Collect a whole module skipped at collection too."""
    if report.skipped:
        _skipped.append((report.nodeid, _skip_reason(report)))


def unexpected_skips(skipped: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The skips whose reason is not allowed (or whose condition does not hold)."""
    return [(test, reason) for test, reason in skipped if not ALLOWED_SKIPS.get(reason, lambda: False)()]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With SPMON_FAIL_ON_UNEXPECTED_SKIP=1, an unexpected skip makes the session fail."""
    if os.environ.get("SPMON_FAIL_ON_UNEXPECTED_SKIP") != "1":
        return
    _unexpected[:] = unexpected_skips(_skipped)
    if _unexpected and session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Name each unexpected skip and its reason."""
    if not _unexpected:
        return
    terminalreporter.section(
        "unexpected skips (SPMON_FAIL_ON_UNEXPECTED_SKIP=1)", sep="=", red=True, bold=True
    )
    for test, reason in _unexpected:
        terminalreporter.write_line(f"{test}: {reason}")
    terminalreporter.write_line(
        f"{len(_unexpected)} test(s) skipped for a reason not allowed in tests/conftest.py ALLOWED_SKIPS: "
        "the session fails"
    )
