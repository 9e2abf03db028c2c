"""The demo's PI returns: what providers get wrong, and the faulty returns in the order they arrive.

:data:`RETURNS` says which returns are faulty, and how; every other service
sends a good return on time (:func:`good_returns`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from random import Random

from openpyxl import load_workbook

from data_contracts.pi_workbook import workbook_file_name
from data_contracts.tables import ContractRecord
from spmon.sample_data import fill_quarter, good_quarter_values
from tasks.calendar.dates import LONDON, days_in_quarter, is_working_day, quarter_deadline, quarter_period
from tasks.pi.issue import save_workbook
from tasks.pi.rules import is_accommodation

YEAR = "2025/26"
SEED = 1
BREACH_EXPLANATION = (
    "Two support workers were off sick for most of the quarter, so fewer people were supported."
)

Values = dict[str, object]
Change = Callable[[ContractRecord, Values], Values]


# What providers get wrong: each takes the contract and good values and returns the faulty ones.


def breach(explained: bool) -> Change:
    """Utilisation (SPI2) at 80%, below the trigger of 90, with or without a comment that explains it."""

    def change(contract: ContractRecord, values: Values) -> Values:
        unit_days = contract.contracted_units * days_in_quarter(contract.year, str(values["_quarter"]))
        if is_accommodation(contract):
            available = unit_days - int(str(values["unit_days_unavailable"]))
            values["unit_days_occupied"] = math.floor(available * 0.8)
        else:
            values["service_user_days"] = math.floor(unit_days * 0.8)
        values.pop("comments", None)
        if explained:
            values["comments"] = BREACH_EXPLANATION
        return values

    return change


def unbalanced_referrals(contract: ContractRecord, values: Values) -> Values:
    """Two more referrals accepted than received."""
    values["referrals_accepted"] = int(str(values["referrals_accepted"])) + 2
    return values


def blank_cell(name: str) -> Change:
    """A required cell left blank."""

    def change(contract: ContractRecord, values: Values) -> Values:
        values.pop(name)
        return values

    return change


def text_in(name: str, text: str) -> Change:
    """Words typed into a number cell."""

    def change(contract: ContractRecord, values: Values) -> Values:
        values[name] = text
        return values

    return change


def units_changed(contract: ContractRecord, values: Values) -> Values:
    """Two more units than contracted, figures to match, and no comment."""
    bigger = contract.model_copy(update={"contracted_units": contract.contracted_units + 2})
    values = good_quarter_values(bigger, str(values["_quarter"]), SEED)
    values.pop("comments", None)
    return values


def london(month: int, day: int, hour: int, minute: int, year: int = 2025) -> datetime:
    """A received time, as a provider's e-mail would be saved in the office."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@dataclass(frozen=True)
class Return:
    """One file a provider sends: the quarters it fills, and what is wrong with the last of them."""

    name: str
    service_id: str
    received: datetime
    quarters: tuple[str, ...]
    change: Change | None = None
    shows: str = ""


@dataclass(frozen=True)
class JunkFile:
    """A file that is not a workbook at all."""

    name: str
    received: datetime
    content: bytes
    shows: str


Q1, Q2 = ("Q1",), ("Q2",)
RANDOM_BYTES = Random(SEED).randbytes(4096)  # noqa: S311 - a scanner's output, not a secret
# The faulty returns, the resubmission, the late one and the duplicate; in the order they arrive.
RETURNS: tuple[Return | JunkFile, ...] = (
    Return(
        "PI_SV00101_2025-26_V1.xlsx",
        "SV00101",
        london(7, 9, 10, 12),
        Q1,
        breach(explained=False),
        "a breach with no explanation: returned",
    ),
    Return(
        "SV00102 Q1 return.xlsx",
        "SV00102",
        london(7, 10, 14, 31),
        Q1,
        breach(explained=True),
        "a breach explained in the comments: accepted",
    ),
    Return(
        "Copy of PI_SV00107_2025-26_V1.xlsx",
        "SV00107",
        london(7, 11, 9, 5),
        Q1,
        unbalanced_referrals,
        "referrals that do not add up: returned",
    ),
    Return(
        "PI_SV00104_2025-26_V1 Q1.xlsx",
        "SV00104",
        london(7, 14, 16, 48),
        Q1,
        blank_cell("completed_by"),
        "'completed by' left blank: returned",
    ),
    Return(
        "Meadow Tenancy Support Q1.xlsx",
        "SV00105",
        london(7, 15, 11, 20),
        Q1,
        text_in("new_service_users", "about twelve"),
        "text in a number cell: returned",
    ),
    Return(
        "PI_SV00103_2025-26_V1.xlsx",
        "SV00103",
        london(7, 16, 15, 2),
        Q1,
        units_changed,
        "unit numbers changed with no explanation: returned",
    ),
    Return("PI_SV00108_2025-26_V1.xlsx", "SV00108", london(8, 4, 9, 40), Q1, None, "late: accepted, late"),
    Return(
        "PI_SV00110_2025-26_V1.xlsx",
        "SV00110",
        london(10, 7, 10, 3),
        Q2,
        breach(explained=False),
        "a breach with no explanation: returned, then superseded",
    ),
    Return(
        "PI_SV00106_2025-26_V1.xlsx",
        "SV00106",
        london(10, 8, 13, 27),
        ("Q1", "Q2"),
        None,
        "the whole workbook again: Q1 unchanged (duplicate), Q2 accepted",
    ),
    JunkFile("scan0042.xlsx", london(10, 9, 8, 55), RANDOM_BYTES, "random bytes: quarantined"),
    JunkFile("SV00104 Q2 return.xlsx", london(10, 13, 17, 10), b"", "an empty file: quarantined"),
    Return(
        "PI_SV00110_2025-26_V1 resubmitted.xlsx",
        "SV00110",
        london(10, 24, 12, 15),
        Q2,
        breach(explained=True),
        "the breach now explained: accepted (the first one is superseded)",
    ),
    Return(
        "Hillcrest Floating Support Q2.xlsx",
        "SV00109",
        london(11, 3, 15, 45),
        Q2,
        None,
        "after the deadline but within its agreed extension: accepted, not late",
    ),
)
EXTENSIONS = (("SV00109", YEAR, "Q2", "2025-11-07"),)


def good_returns(contracts: Sequence[ContractRecord], taken: Sequence[Return | JunkFile]) -> list[Return]:
    """A good return on time for each service and quarter the table does not cover."""
    covered = {(r.service_id, r.quarters[-1]) for r in taken if isinstance(r, Return)}
    covered.add(("SV00104", "Q2"))  # its Q2 file is the empty one
    rng = Random(SEED)  # noqa: S311 - demo data
    returns = []
    for quarter in ("Q1", "Q2"):
        day, deadline = quarter_period(YEAR, quarter)[1], quarter_deadline(YEAR, quarter, 15)
        working_days = []
        while (day := day + timedelta(days=1)) < deadline:
            working_days += [day] if is_working_day(day) else []
        for contract in contracts:
            if (contract.service_id, quarter) in covered:
                continue
            day = rng.choice(working_days)
            at = london(day.month, day.day, rng.randint(9, 16), rng.randint(0, 59))
            name = workbook_file_name(contract.service_id, YEAR, contract.workbook_version)
            returns.append(
                Return(name.replace(".xlsx", f" {quarter}.xlsx"), contract.service_id, at, (quarter,))
            )
    return returns


def quarter_values(contract: ContractRecord, quarter: str, change: Change | None) -> Values:
    """What the provider types into one quarter page."""
    values = good_quarter_values(contract, quarter, SEED)
    if change is not None:
        values = change(contract, {**values, "_quarter": quarter})
        values.pop("_quarter", None)
    return values


def write_drop_file(
    item: Return | JunkFile, contracts: dict[str, ContractRecord], issued: Path, drop: Path
) -> None:
    """Fill in the issued workbook (or write the junk) and give it its received time."""
    path = drop / item.name
    if isinstance(item, JunkFile):
        path.write_bytes(item.content)
        stamp = item.received.timestamp()
        os.utime(path, (stamp, stamp))
        return
    contract = contracts[item.service_id]
    workbook = load_workbook(
        issued / workbook_file_name(contract.service_id, YEAR, contract.workbook_version)
    )
    for quarter in item.quarters:
        fill_quarter(
            workbook,
            quarter,
            quarter_values(contract, quarter, item.change if quarter == item.quarters[-1] else None),
        )
    save_workbook(workbook, path, modified_at=item.received)
