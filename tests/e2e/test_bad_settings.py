"""Unusable settings, programme files and export paths end with exit 2 and a message naming them, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from spmon.sample_data import demo_programme_toml
from tests.e2e.cli import Workspace

pytestmark = pytest.mark.e2e
YEAR = "2025/26"


@pytest.fixture
def workspace(tmp_path: Path, prefect_api_url: str) -> Workspace:
    programme = tmp_path / "programme.toml"
    programme.write_text(demo_programme_toml([YEAR]), encoding="utf-8")
    made = Workspace(tmp_path, programme, prefect_api_url)
    made.drop.mkdir()
    made.run("init")
    return made


def _fails_with(workspace: Workspace, words: str, *args: str | Path, **env: str) -> None:
    result = workspace.run(*args, check=False, **env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert words in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("SPMON_SETTLE_SECONDS", "abc", "error: SPMON_SETTLE_SECONDS: 'abc' is not a number"),
        ("SPMON_MAX_FILE_MB", "-3", "error: SPMON_MAX_FILE_MB"),
        ("SPMON_DATABASE_URL", "not a url", "error: SPMON_DATABASE_URL"),
    ],
)
def test_an_unusable_setting(workspace: Workspace, variable: str, value: str, words: str) -> None:
    _fails_with(workspace, words, "ingest", workspace.drop, **{variable: value})


def test_unusable_programme_files(workspace: Workspace, tmp_path: Path) -> None:
    _fails_with(workspace, f"{tmp_path} is a folder", "ingest", SPMON_PROGRAMME_FILE=str(tmp_path))
    latin = tmp_path / "latin.toml"
    latin.write_bytes(demo_programme_toml([YEAR]).replace("SV", "S\xe9").encode("latin-1") + b"# caf\xe9\n")
    _fails_with(
        workspace, f"{latin}: the programme file is not UTF-8", "ingest", SPMON_PROGRAMME_FILE=str(latin)
    )
    no_code = tmp_path / "no_code.toml"
    no_code.write_text(demo_programme_toml([YEAR]).replace("code =", "# code ="), encoding="utf-8")
    _fails_with(workspace, f'{no_code}: years."{YEAR}".code', "ingest", SPMON_PROGRAMME_FILE=str(no_code))


def test_exports_refuse_what_is_not_a_regular_file(workspace: Workspace, tmp_path: Path) -> None:
    _fails_with(workspace, "/dev/full: is a device", "register", "export", "/dev/full")
    _fails_with(workspace, "does not exist", "qaf-register", "export", tmp_path / "missing" / "qaf.csv")
    assert not (tmp_path / "missing").exists()
    target = tmp_path / "kept.csv"
    target.write_text("kept", encoding="utf-8")
    link = tmp_path / "risk.csv"
    link.symlink_to(target)
    _fails_with(workspace, "is a symbolic link", "risk", "export", link, "--as-at", "2025-10-01")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "kept"
