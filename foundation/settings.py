"""The one typed settings object (``interface.md``, Settings).

Read from ``SPMON_*`` environment variables, or from a ``spmon.toml`` in the
working folder, which the variables override. Always go through
:func:`get_settings`; nothing reads the environment at import time. A value
that cannot be used (``SPMON_SETTLE_SECONDS=abc``, a database URL that is no
URL, a ``spmon.toml`` that is not TOML) is bad input naming the variable, exit 2.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from foundation.errors import BadInput

PREFIX = "SPMON_"
_NOT_A_NUMBER = {"float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"}


class Settings(BaseSettings):
    """Where spmon keeps its data and how it treats the drop folder."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, toml_file="spmon.toml", extra="ignore")

    data_dir: Path = Path("var")
    database_url: str | None = None
    drop_dir: Path | None = None
    archive_dir: Path | None = None
    quarantine_dir: Path | None = None
    outbox_dir: Path | None = None
    reports_dir: Path | None = None
    programme_file: Path | None = None
    settle_seconds: float = Field(default=30, ge=0, allow_inf_nan=False)
    max_file_mb: float = Field(default=20, gt=0, allow_inf_nan=False)
    max_unzipped_mb: float = Field(default=200, gt=0, allow_inf_nan=False)
    # How many drop files one task handles at a time (one GX run, one commit each).
    batch_size: int = Field(default=1000, gt=0)
    # Failure notices by email (besides the outbox) when an SMTP server is set.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "spmon@localhost"
    alert_emails: list[str] = Field(default_factory=list)
    # Reports: processes rendering them (default: the usable CPUs, 4 at most), packs printed to PDF, and
    # the Chromium that prints them (default: the first chromium on the PATH).
    report_workers: int | None = Field(default=None, gt=0)
    report_pdf: bool = True
    chromium: str | None = None

    @field_validator("database_url")
    @classmethod
    def _a_database_url(cls, value: str | None) -> str | None:
        """A URL SQLAlchemy can parse, of a database it knows (``sqlite``, ``postgresql+psycopg``)."""
        if not value:
            return value
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        try:
            make_url(value).get_dialect()
        except (ArgumentError, NoSuchModuleError, ValueError) as error:
            raise ValueError(f"not a database URL SQLAlchemy can use ({error})") from None
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Order of precedence: arguments, environment, then ``spmon.toml``."""
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    def _under_data(self, value: Path | None, default: str) -> Path:
        return (value if value is not None else self.data_dir / default).absolute()

    @property
    def database(self) -> str:
        """The SQLAlchemy URL: the setting, or a SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir.absolute() / 'foundation.db'}"

    @property
    def drop(self) -> Path:
        """The drop folder."""
        return self._under_data(self.drop_dir, "drop")

    @property
    def archive(self) -> Path:
        """Processed files, kept unchanged."""
        return self._under_data(self.archive_dir, "archive")

    @property
    def quarantine(self) -> Path:
        """Unreadable files."""
        return self._under_data(self.quarantine_dir, "quarantine")

    @property
    def outbox(self) -> Path:
        """Notices to providers."""
        return self._under_data(self.outbox_dir, "outbox")

    @property
    def reports(self) -> Path:
        """Published reports."""
        return self._under_data(self.reports_dir, "reports")

    @property
    def programme(self) -> Path:
        """The programme file."""
        return self._under_data(self.programme_file, "programme.toml")

    @property
    def max_file_bytes(self) -> int:
        """Files larger than this are unreadable."""
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def max_unzipped_bytes(self) -> int:
        """Workbooks whose parts add up to more than this uncompressed are unreadable."""
        return int(self.max_unzipped_mb * 1024 * 1024)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once; a value that cannot be used is bad input naming it."""
    try:
        return Settings()
    except ValidationError as error:
        raise BadInput("; ".join(_problem(problem) for problem in error.errors())) from None
    except (SettingsError, tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        raise BadInput(f"settings: {error} (check the SPMON_* variables and spmon.toml)") from None


def _problem(problem: Any) -> str:
    """``SPMON_SETTLE_SECONDS: 'abc' is not a number``."""
    field = str(problem["loc"][0]) if problem["loc"] else "settings"
    shown = "the value" if field == "database_url" else repr(problem.get("input"))[:60]  # may hold a password
    if problem["type"] in _NOT_A_NUMBER:
        return f"{PREFIX}{field.upper()}: {shown} is not a number"
    message = str(problem["msg"]).removeprefix("Value error, ")
    return f"{PREFIX}{field.upper()}: {shown}: {message}"
