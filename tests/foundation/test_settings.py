"""The typed settings object: defaults, spmon.toml and SPMON_* variables (interface.md, Settings)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from foundation.settings import Settings, get_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in list(os.environ):
        if name.startswith("SPMON_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults(tmp_path: Path) -> None:
    settings = Settings()
    data = tmp_path / "var"
    assert settings.database == f"sqlite:///{data / 'foundation.db'}"
    assert settings.drop == data / "drop"
    assert settings.archive == data / "archive"
    assert settings.quarantine == data / "quarantine"
    assert settings.outbox == data / "outbox"
    assert settings.reports == data / "reports"
    assert settings.programme == data / "programme.toml"
    assert settings.settle_seconds == 30
    assert settings.max_file_bytes == 20 * 1024 * 1024
    assert settings.max_unzipped_bytes == 200 * 1024 * 1024


def test_environment_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SPMON_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SPMON_DROP_DIR", str(tmp_path / "inbox"))
    monkeypatch.setenv("SPMON_DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("SPMON_SETTLE_SECONDS", "0")
    monkeypatch.setenv("SPMON_MAX_FILE_MB", "1.5")
    monkeypatch.setenv("SPMON_MAX_UNZIPPED_MB", "10")
    monkeypatch.setenv("SPMON_PROGRAMME_FILE", str(tmp_path / "p.toml"))
    settings = Settings()
    assert settings.database == "postgresql+psycopg://u@h/db"
    assert settings.drop == tmp_path / "inbox"
    assert settings.archive == tmp_path / "data" / "archive"
    assert settings.programme == tmp_path / "p.toml"
    assert settings.settle_seconds == 0
    assert settings.max_file_bytes == int(1.5 * 1024 * 1024)
    assert settings.max_unzipped_bytes == 10 * 1024 * 1024


def test_spmon_toml_in_the_working_folder(tmp_path: Path) -> None:
    (tmp_path / "spmon.toml").write_text('data_dir = "elsewhere"\nsettle_seconds = 5\n', encoding="utf-8")
    settings = Settings()
    assert settings.drop == tmp_path / "elsewhere" / "drop"
    assert settings.settle_seconds == 5


def test_variables_override_spmon_toml(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "spmon.toml").write_text('data_dir = "elsewhere"\nsettle_seconds = 5\n', encoding="utf-8")
    monkeypatch.setenv("SPMON_SETTLE_SECONDS", "60")
    settings = Settings()
    assert settings.settle_seconds == 60
    assert settings.drop == tmp_path / "elsewhere" / "drop"


@pytest.mark.parametrize(
    ("name", "value"),
    [("SPMON_SETTLE_SECONDS", "-1"), ("SPMON_MAX_FILE_MB", "0"), ("SPMON_MAX_UNZIPPED_MB", "lots")],
)
def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def test_get_settings_reads_once(monkeypatch: pytest.MonkeyPatch) -> None:
    get_settings.cache_clear()
    try:
        monkeypatch.setenv("SPMON_SETTLE_SECONDS", "7")
        first = get_settings()
        monkeypatch.setenv("SPMON_SETTLE_SECONDS", "8")
        assert get_settings() is first
        assert first.settle_seconds == 7
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("SPMON_SETTLE_SECONDS", "abc", "SPMON_SETTLE_SECONDS: 'abc' is not a number"),
        ("SPMON_BATCH_SIZE", "many", "SPMON_BATCH_SIZE: 'many' is not a number"),
        ("SPMON_MAX_FILE_MB", "1e999999", "SPMON_MAX_FILE_MB"),
        ("SPMON_SETTLE_SECONDS", "-1", "SPMON_SETTLE_SECONDS"),
        ("SPMON_DATABASE_URL", "garbage", "SPMON_DATABASE_URL"),
        ("SPMON_DATABASE_URL", "nosuchdb://u:secret@host/db", "SPMON_DATABASE_URL"),
        ("SPMON_ALERT_EMAILS", "not json", "alert_emails"),
    ],
)
def test_an_unusable_setting_is_bad_input_naming_it(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, words: str
) -> None:
    from foundation.errors import BadInput

    monkeypatch.setenv(variable, value)
    get_settings.cache_clear()
    with pytest.raises(BadInput, match=words) as raised:
        get_settings()
    assert "secret" not in str(raised.value)
    get_settings.cache_clear()


def test_a_spmon_toml_that_is_not_toml_is_bad_input(tmp_path: Path) -> None:
    from foundation.errors import BadInput

    (tmp_path / "spmon.toml").write_text("settle_seconds = = 3\n", encoding="utf-8")
    get_settings.cache_clear()
    with pytest.raises(BadInput, match="spmon.toml"):
        get_settings()
    get_settings.cache_clear()


def test_a_postgresql_url_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPMON_DATABASE_URL", "postgresql+psycopg://spmon@db.internal/spmon")
    assert Settings().database == "postgresql+psycopg://spmon@db.internal/spmon"
