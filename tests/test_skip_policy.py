"""The skip policy of tests/conftest.py: only the allowed reasons, and only while their condition holds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import conftest


def test_an_unknown_reason_is_unexpected() -> None:
    skipped = [("tests/x.py::test_a", "PostgreSQL not reachable at somewhere")]
    assert conftest.unexpected_skips(skipped) == skipped


def test_the_shared_samples_skip_is_allowed_only_while_they_are_absent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    skipped = [("tests/e2e/test_samples.py::test_samples_on_sqlite", conftest.SHARED_SAMPLES_ABSENT)]
    monkeypatch.setitem(conftest.ALLOWED_SKIPS, conftest.SHARED_SAMPLES_ABSENT, lambda: True)
    assert conftest.unexpected_skips(skipped) == []
    monkeypatch.setitem(conftest.ALLOWED_SKIPS, conftest.SHARED_SAMPLES_ABSENT, lambda: False)
    assert conftest.unexpected_skips(skipped) == skipped


def _pytest(folder: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """A separate pytest session over ``folder`` with this project's skip hooks."""
    environ = {k: v for k, v in os.environ.items() if k != "SPMON_FAIL_ON_UNEXPECTED_SKIP"}
    environ.update(PYTHONPATH=str(conftest.ROOT), **env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
        cwd=folder,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_session_with_an_unexpected_skip_fails(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import (\n"
        "    pytest_collectreport, pytest_runtest_logreport, pytest_sessionfinish, pytest_terminal_summary,\n"
        ")\n",
        encoding="utf-8",
    )
    (tmp_path / "test_inner.py").write_text(
        "import pytest\n\n\ndef test_skipped():\n    pytest.skip('no reason at all')\n\n\n"
        "def test_passes():\n    pass\n",
        encoding="utf-8",
    )
    (tmp_path / "test_module.py").write_text(
        "import pytest\n\npytest.skip('a whole module', allow_module_level=True)\n", encoding="utf-8"
    )
    policed = _pytest(tmp_path, SPMON_FAIL_ON_UNEXPECTED_SKIP="1")
    assert policed.returncode == pytest.ExitCode.TESTS_FAILED, policed.stdout
    assert "unexpected skips" in policed.stdout
    assert "test_inner.py::test_skipped: no reason at all" in policed.stdout
    assert "test_module.py: a whole module" in policed.stdout
    assert _pytest(tmp_path).returncode == pytest.ExitCode.OK
