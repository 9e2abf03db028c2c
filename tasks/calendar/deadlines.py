"""Deadlines with agreed extensions, and whether a quarter's return was late (``pi-rules.md``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from data_contracts.tables import Extension
from foundation.programme import Programme
from tasks.calendar.dates import QUARTER_FIRST_MONTH, is_year, london_date, quarter_deadline


@dataclass
class Deadlines:
    """Each quarter's deadline: the year's working days after quarter end, or the agreed extension."""

    programme: Programme
    extensions: dict[tuple[str, str, str], date]
    reasons: dict[tuple[str, str, str], str] = field(default_factory=dict)  # why late, with the extension
    # The deadline without an extension depends only on the year and quarter: counted once each.
    _standard: dict[tuple[str, str], date | None] = field(default_factory=dict, repr=False, compare=False)

    def of(self, service_id: str, year: str, quarter: str) -> date | None:
        """The deadline of a service's quarter; ``None`` when the year or quarter is unknown."""
        extension = self.extensions.get((service_id, year, quarter))
        if extension is not None:
            return extension
        key = (year, quarter)
        if key not in self._standard:
            self._standard[key] = self._counted(year, quarter)
        return self._standard[key]

    def _counted(self, year: str, quarter: str) -> date | None:
        if not is_year(year) or quarter not in QUARTER_FIRST_MONTH or not self.programme.has_year(year):
            return None
        return quarter_deadline(year, quarter, self.programme.year(year).deadline_working_days)

    def is_late(self, first_received: datetime, service_id: str, year: str, quarter: str) -> bool | None:
        """Late when the first file for the quarter arrived after the deadline day (Europe/London)."""
        deadline = self.of(service_id, year, quarter)
        return None if deadline is None else london_date(first_received) > deadline


def load_deadlines(session: Session, programme: Programme) -> Deadlines:
    """Deadlines with every agreed extension held."""
    held = list(session.execute(select(Extension)).scalars())
    extensions = {(e.service_id, e.year, e.quarter): e.until for e in held}
    reasons = {(e.service_id, e.year, e.quarter): e.reason for e in held if e.reason}
    return Deadlines(programme, extensions, reasons)
