"""The PI cases of the corpus: each file of the drop folder, in the order it arrives, and the rows it must give.

The table is the generator's own statement of intent, written before any
ingestion, never read back from one (see :mod:`tests.corpus.build`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from spmon import demo

YEAR = "2025/26"
PREVIOUS = "2024/25"
SEED = demo.SEED
PROCUREMENT_REVIEW = ("SV00102",)
EXTENSIONS = (("SV00109", YEAR, "Q2", "2025-11-07"),)
Q1_DEADLINE, Q2_DEADLINE = "2025-07-21", "2025-10-21"
UNKNOWN_SERVICE = "SV00113"  # a service with no contract record (the generator's 13th contract)
OUTDATED = "SV00111"  # its record is on workbook version V2
FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2025-01-01T00:00:00Z"
BOMB_UNPACKED_MB = 256  # over the default limit of 200 MB unpacked


@dataclass(frozen=True)
class Row:
    """One row the PI register must show for a file (quarter "" for a row about the whole file)."""

    quarter: str
    status: str
    reasons: str = ""
    breaches: str = ""
    late: bool = False
    deadline: str = ""  # checked when given


@dataclass(frozen=True)
class Case:
    """One file of the drop folder: its name, received time, what it exercises and the rows it gives."""

    name: str
    received: datetime
    exercises: str
    rows: tuple[Row, ...]  # () for a file that gives no row (ignored by name, or bytes already seen)
    service_id: str = ""
    make: str = "return"  # how the file is made: see Builder
    quarters: tuple[str, ...] = ()
    change: demo.Change | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class QafCase:
    """One QAF workbook a provider sends and the QAF register row it must give."""

    name: str
    provider_id: str
    received: datetime
    exercises: str
    status: str
    reasons: str = ""
    visit_reasons: str = ""
    claims: Mapping[str, str] = field(default_factory=dict)
    ticked: tuple[str, ...] = ()
    form: str = "Full"


def london_time(month: int, day: int, hour: int, minute: int, year: int = 2025) -> datetime:
    """A received time in UTC, from the office's London time."""
    return demo.london(month, day, hour, minute, year).astimezone(UTC)


def _r(quarter: str, status: str, reasons: str = "", **more: object) -> Row:
    return Row(quarter, status, reasons, **more)  # type: ignore[arg-type]


Q1, Q2 = ("Q1",), ("Q2",)
OK1, OK2 = _r("Q1", "accepted"), _r("Q2", "accepted")
UNREADABLE = (_r("", "quarantined", "unreadable"),)

# In the order they arrive (received time, then name).
CASES: tuple[Case, ...] = (
    Case(
        "PI_SV00110_2025-26_V1.xlsx",
        london_time(7, 3, 9, 15),
        "issued workbook sent back blank: no quarter completed",
        (_r("", "returned", "no_quarter_completed"),),
        "SV00110",
        "blank",
    ),
    Case(
        "PI_SV00101_2025-26_V1.xlsx",
        london_time(7, 9, 10, 12),
        "SPI2 breach with no explanation: returned, later superseded",
        (_r("Q1", "superseded", "trigger_unexplained", breaches="SPI2"),),
        "SV00101",
        quarters=Q1,
        change=demo.breach(explained=False),
    ),
    Case(
        "SV00102 Q1 return.xlsx",
        london_time(7, 10, 14, 31),
        "SPI2 breach explained in the comments: accepted",
        (_r("Q1", "accepted", breaches="SPI2"),),
        "SV00102",
        quarters=Q1,
        change=demo.breach(explained=True),
    ),
    Case(
        "PI_SV00111_2025-26_V2 Q1.xlsx",
        london_time(7, 10, 15, 2),
        "clean return on a V2 workbook (record V2)",
        (OK1,),
        OUTDATED,
        quarters=Q1,
    ),
    Case(
        "Copy of PI_SV00107_2025-26_V1.xlsx",
        london_time(7, 11, 9, 5),
        "referrals accepted do not add up",
        (_r("Q1", "returned", "local_pi_unbalanced"),),
        "SV00107",
        quarters=Q1,
        change=demo.unbalanced_referrals,
    ),
    Case(
        "PI_SV00112_2025-26_V1 Q1.xlsx",
        london_time(7, 11, 11, 40),
        "clean return, floating support long term",
        (OK1,),
        "SV00112",
        quarters=Q1,
    ),
    Case(
        "PI_SV00104_2025-26_V1 Q1.xlsx",
        london_time(7, 14, 16, 48),
        "'completed by' left blank",
        (_r("Q1", "returned", "incomplete"),),
        "SV00104",
        quarters=Q1,
        change=demo.blank_cell("completed_by"),
    ),
    Case(
        "PI_SV00106_2025-26_V1 Q1.xlsx",
        london_time(7, 14, 17, 5),
        "clean return, short-term accommodation",
        (OK1,),
        "SV00106",
        quarters=Q1,
    ),
    Case(
        "Meadow Tenancy Support Q1.xlsx",
        london_time(7, 15, 11, 20),
        "words typed into a number cell",
        (_r("Q1", "returned", "invalid_value"),),
        "SV00105",
        quarters=Q1,
        change=demo.text_in("new_service_users", "about twelve"),
    ),
    Case(
        "PI_SV00103_2025-26_V1.xlsx",
        london_time(7, 16, 15, 2),
        "unit numbers changed (+2) with no comment",
        (_r("Q1", "returned", "units_changed_unexplained"),),
        "SV00103",
        quarters=Q1,
        change=demo.units_changed,
    ),
    Case(
        "PI_SV00113_2025-26_V1_Q1.xlsx",
        london_time(7, 16, 15, 30),
        "a service with no contract record",
        (_r("Q1", "returned", "unknown_service"),),
        UNKNOWN_SERVICE,
        quarters=Q1,
    ),
    Case(
        "PI_SV00110_2025-26_V1 Q1.xlsx",
        london_time(7, 17, 10, 0),
        "clean community alarm (no front line hours)",
        (OK1,),
        "SV00110",
        quarters=Q1,
    ),
    Case(
        "Copy of SV00102 Q1 return.xlsx",
        london_time(7, 17, 16, 28),
        "byte-identical copy of 'SV00102 Q1 return.xlsx' under another name: changes nothing, no row",
        (),
        "SV00102",
        "copy",
        extra={"of": "SV00102 Q1 return.xlsx"},
    ),
    Case(
        "PI_SV00109_2025-26_V1 Q1.xlsx",
        london_time(7, 18, 9, 30),
        "clean floating support short term",
        (OK1,),
        "SV00109",
        quarters=Q1,
    ),
    Case(
        "PI_SV00101_2025-26_V1 resubmitted.xlsx",
        london_time(7, 24, 12, 15),
        "resubmission with the breach "
        "explained, after the deadline: accepted, NOT late (the first file was on time)",
        (_r("Q1", "accepted", breaches="SPI2", deadline=Q1_DEADLINE),),
        "SV00101",
        quarters=Q1,
        change=demo.breach(explained=True),
    ),
    Case(
        "PI_SV00108_2025-26_V1.xlsx",
        london_time(8, 4, 9, 40),
        "late: after the deadline, no extension",
        (_r("Q1", "accepted", late=True, deadline=Q1_DEADLINE),),
        "SV00108",
        quarters=Q1,
    ),
    Case(
        "PI_SV00101_2025-26_V1 Q2.xlsx", london_time(10, 6, 9, 12), "clean Q2", (OK2,), "SV00101", quarters=Q2
    ),
    Case(
        "PI_SV00106_2025-26_V1.xlsx",
        london_time(10, 8, 13, 27),
        "whole workbook again: Q1 unchanged, Q2 new",
        (_r("Q1", "duplicate"), OK2),
        "SV00106",
        quarters=("Q1", "Q2"),
    ),
    Case("scan0042.xlsx", london_time(10, 9, 8, 55), "random bytes named .xlsx", UNREADABLE, make="random"),
    Case(
        "PI_SV00103_2025-26_V1 Q2.xlsx",
        london_time(10, 9, 14, 0),
        "clean Q2 community alarm",
        (OK2,),
        "SV00103",
        quarters=Q2,
    ),
    Case(
        "SV00104 Q2 return.xlsx",
        london_time(10, 13, 17, 10),
        "empty file (0 bytes)",
        UNREADABLE,
        make="empty",
    ),
    Case(
        "PI_SV00101_2025-26_V1 final.xlsx",
        london_time(10, 14, 10, 0),
        f"zip bomb: a valid workbook with a part that inflates to {BOMB_UNPACKED_MB} MB",
        UNREADABLE,
        "SV00101",
        "bomb",
        quarters=Q2,
    ),
    Case(
        "PI_SV00105_2025-26_V1 (truncated).xlsx",
        london_time(10, 14, 11, 0),
        "a real workbook cut off half way",
        UNREADABLE,
        "SV00105",
        "truncated",
        quarters=Q2,
    ),
    Case(
        "PI_SV00111_2025-26_V1.xlsx",
        london_time(10, 15, 12, 47),
        "outdated workbook: V1 for a V2 record",
        (_r("Q2", "returned", "outdated_version"),),
        OUTDATED,
        "outdated",
        quarters=Q2,
    ),
    Case(
        "SV00112 Q2 return.xlsx",
        london_time(10, 15, 14, 32),
        "last year's authority code on the quarter page",
        (_r("Q2", "returned", "year_code_mismatch"),),
        "SV00112",
        "old_code",
        quarters=Q2,
    ),
    Case(
        "Copy of PI_SV00102_2025-26_V1.xlsx",
        london_time(10, 16, 17, 54),
        "contract page altered: unit numbers",
        (_r("Q2", "returned", "contract_altered"),),
        "SV00102",
        "altered",
        quarters=Q2,
    ),
    Case(
        "PI_SV00108_2025-26_V1 Q2.xlsx",
        london_time(10, 17, 11, 0),
        "clean Q2",
        (OK2,),
        "SV00108",
        quarters=Q2,
    ),
    Case(
        "PI_SV00103_2025-26_V1.tmp",
        london_time(10, 17, 16, 9),
        "Excel temporary file: never taken",
        (),
        make="junk",
    ),
    Case(
        "~$PI_SV00103_2025-26_V1.xlsx",
        london_time(10, 17, 16, 9),
        "Excel owner (lock) file: never taken",
        (),
        make="junk",
    ),
    Case(
        ".~lock.PI_SV00103_2025-26_V1.xlsx#",
        london_time(10, 17, 16, 10),
        "LibreOffice lock file: never taken",
        (),
        make="junk",
    ),
    Case(
        "PI_SV00110_2025-26_V1 Q2.xlsx.part",
        london_time(10, 17, 16, 11),
        "partial download: never taken",
        (),
        make="junk",
    ),
    Case(
        "PI_SV00110_2025-26_V1 Q2.xlsx",
        london_time(10, 20, 10, 30),
        "clean Q2 community alarm",
        (OK2,),
        "SV00110",
        quarters=Q2,
    ),
    Case(
        "SV00107 Q2 return.xlsx",
        london_time(10, 29, 17, 46),
        "late: after the deadline, no extension",
        (_r("Q2", "accepted", late=True, deadline=Q2_DEADLINE),),
        "SV00107",
        quarters=Q2,
    ),
    Case(
        "Hillcrest Floating Support Q2.xlsx",
        london_time(11, 3, 15, 45),
        "after the deadline but within the agreed extension",
        (_r("Q2", "accepted", deadline="2025-11-07"),),
        "SV00109",
        quarters=Q2,
    ),
    Case(
        "PI_SV00110_2025-26_V1 Q3.xlsx",
        london_time(1, 14, 10, 5, 2026),
        "clean Q3 community alarm",
        (_r("Q3", "accepted"),),
        "SV00110",
        quarters=("Q3",),
    ),
    Case(
        "PI_SV00106_2025-26_V1 Q3.xlsx",
        london_time(1, 16, 15, 3, 2026),
        "whole workbook a third time: Q1 and Q2 unchanged (duplicates), Q3 new",
        (_r("Q1", "duplicate"), _r("Q2", "duplicate"), _r("Q3", "accepted")),
        "SV00106",
        quarters=("Q1", "Q2", "Q3"),
    ),
)
