"""The programme file: each year's authority code, deadlines, triggers and lists (``interface.md``)."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from foundation.errors import BadInput

YearText = Annotated[str, StringConstraints(pattern=r"^\d{4}/\d{2}$")]
PI_NAMES: tuple[str, ...] = ("KPI1", "KPI2", "SPI1", "SPI2", "SPI3", "SPI4")


class Triggers(BaseModel):
    """The year's minimum acceptable value of each PI."""

    model_config = ConfigDict(extra="forbid", strict=True)

    KPI1: float
    KPI2: float
    SPI1: float
    SPI2: float
    SPI3: float
    SPI4: float

    def of(self, pi: str) -> float:
        """The trigger of one PI by name."""
        return float(getattr(self, pi))


class YearSettings(BaseModel):
    """One monitoring year's settings.

    ``code`` and ``triggers`` must be given. The other keys have the defaults
    the requirements pack itself gives (15 working days, ``pi-rules.md``; a
    report delay of 7 days, ``reports.md``; a 10% sample, ``qaf.md``), so a file
    without them is read as the pack says, not guessed; a misspelt key is an error.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    code: str = Field(min_length=1)
    deadline_working_days: int = Field(default=15, ge=0)
    report_delay_days: int = Field(default=7, ge=0)
    qaf_sample_percent: float = Field(default=10, ge=0, le=100)
    procurement_review: list[str] = Field(default_factory=list)
    triggers: Triggers


class MeetingIntervals(BaseModel):
    """Months between contract-management meetings, by priority."""

    model_config = ConfigDict(extra="forbid", strict=True)

    RED: int = Field(default=3, gt=0)
    AMBER: int = Field(default=6, gt=0)
    GREEN: int = Field(default=12, gt=0)


class FeedbackSettings(BaseModel):
    """``[feedback]`` (``feedback.md``): when the 24-month cycles start (default: the earliest year)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    cycle_start: date | None = None


class Programme(BaseModel):
    """The whole programme file."""

    model_config = ConfigDict(extra="forbid", strict=True)

    years: dict[YearText, YearSettings]
    meeting_interval_months: MeetingIntervals = Field(default_factory=MeetingIntervals)
    feedback: FeedbackSettings = Field(default_factory=FeedbackSettings)

    def year(self, year: str) -> YearSettings:
        """The settings of one year; a missing year is an error that names its key."""
        try:
            return self.years[year]
        except KeyError:
            raise BadInput(f'programme file: no [years."{year}"] section for year {year}') from None

    def has_year(self, year: str) -> bool:
        """Whether the file has settings for the year."""
        return year in self.years


def _key_of(location: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in location]
    if len(parts) >= 2 and parts[0] == "years":
        return f'years."{parts[1]}"' + "".join(f".{p}" for p in parts[2:])
    return ".".join(parts)


def parse_programme(text: str, source: str = "programme file") -> Programme:
    """Parse and validate a programme file's text; errors name the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BadInput(f"{source}: not valid TOML: {error}") from error
    try:
        return Programme.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{_key_of(e['loc'])}: {e['msg']}" for e in error.errors())
        raise BadInput(f"{source}: {problems}") from error


def load_programme(path: Path) -> Programme:
    """Read and validate the programme file at ``path``; any problem is bad input naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"programme file not found: {path} (set SPMON_PROGRAMME_FILE)") from None
    except IsADirectoryError:
        raise BadInput(
            f"programme file {path} is a folder, not a TOML file (set SPMON_PROGRAMME_FILE)"
        ) from None
    except UnicodeDecodeError as error:
        raise BadInput(
            f"{path}: the programme file is not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
    except OSError as error:
        raise BadInput(f"programme file {path} cannot be read: {error.strerror or error}") from None
    return parse_programme(text, source=str(path))
