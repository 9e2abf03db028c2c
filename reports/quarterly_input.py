"""What every quarterly report reads (the quarter, the as-at date, the services' quarters) and shares.

PI figures come from accepted returns only: a returned return's figures are
not yet agreed. Deadlines are those after any agreed extension, so a return
in its extension is not late.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from reports.periods import QuarterKey, quarter_label, quarter_period_name, quarters_ending
from reports.pi_data import ServiceQuarter
from tasks.pi.pooled import PooledPi, pool

PI_TITLES = {
    "KPI1": "Independent living",
    "KPI2": "Planned moves on",
    "SPI1": "Availability",
    "SPI2": "Utilisation",
    "SPI3": "Staffing",
    "SPI4": "Throughput",
}
TREND_QUARTERS = 8
Triggers = Mapping[str, Mapping[str, float]]  # year -> PI -> trigger


@dataclass(frozen=True)
class QuarterlyInput:
    """What the quarterly reports read: the quarter, the as-at date, and the services' quarters.

    ``quarters`` holds every service quarter of the eight quarters ending with
    the report's quarter (at least), ``triggers`` each year's triggers.
    """

    year: str
    quarter: str
    as_at: date
    quarters: tuple[ServiceQuarter, ...]
    triggers: Triggers

    @property
    def period(self) -> str:
        """``2025-26-Q2``."""
        return quarter_period_name(self.year, self.quarter)

    @property
    def label(self) -> str:
        """``Q2 2025/26``."""
        return quarter_label(self.year, self.quarter)

    def of_quarter(self, key: QuarterKey | None = None) -> list[ServiceQuarter]:
        """The service quarters of one quarter (default the report's), by service ID."""
        wanted = key or (self.year, self.quarter)
        return sorted((q for q in self.quarters if q.key == wanted), key=lambda q: q.service_id)

    def trigger(self, year: str, pi: str) -> float | None:
        """A year's trigger of a PI (None when the year has no settings)."""
        return self.triggers.get(year, {}).get(pi)


def pi_words(pi: str) -> str:
    """``SPI2 Utilisation``."""
    return f"{pi} {PI_TITLES[pi]}" if pi in PI_TITLES else pi


def pis_in_words(pis: Iterable[str]) -> str:
    """``SPI2 Utilisation; KPI1 Independent living``."""
    return "; ".join(pi_words(pi) for pi in pis)


def source_file_of(quarter: ServiceQuarter) -> str:
    """The file the quarter's current return came from ("" until ``ServiceQuarter`` carries it)."""
    return str(getattr(quarter, "source_file", "") or "")


def received_at_of(quarter: ServiceQuarter) -> datetime | date | None:
    """When the current return was received: its time (UTC) when known, else its date."""
    moment = getattr(quarter, "received_at", None)
    return moment if isinstance(moment, datetime) else quarter.received_on


def previous_quarter(year: str, quarter: str) -> QuarterKey:
    """The quarter before: ``("2025/26", "Q1")`` for Q2, ``("2024/25", "Q4")`` for Q1."""
    return quarters_ending(year, quarter, 2)[0]


def breaches(value: float | None, trigger: float | None) -> bool | None:
    """Strictly below the trigger (unrounded); None when there is no value or trigger."""
    if value is None or trigger is None:
        return None
    return value < trigger


def yes_no(flag: bool | None) -> str:
    """``Yes``, ``No`` or blank."""
    return "" if flag is None else ("Yes" if flag else "No")


def pooled_by(
    quarters: Iterable[ServiceQuarter], group: Callable[[ServiceQuarter], str]
) -> dict[str, dict[str, PooledPi]]:
    """Each group's pooled PIs over its accepted returns."""
    members: dict[str, list[ServiceQuarter]] = defaultdict(list)
    for quarter in quarters:
        members[group(quarter)].append(quarter)
    return {name: pool(q.fractions for q in held if q.accepted) for name, held in sorted(members.items())}
