"""A drop folder of returns, made with the project's own code, and what each file must produce.

The corpus has the layout of the shared acceptance corpus (``contracts.csv``,
``extensions.csv``, ``programme.toml``, ``qaf_grades_prev.csv``,
``received.csv`` and ``drop/``), so the same commands ingest it, and
:data:`CASES` / :data:`QAF_CASES` say, file by file, what the register must
show: the table is the generator's own statement of intent, written before any
ingestion, never read back from one. The PI values of the accepted returns are
worked out here by hand (the formulas of ``pi-rules.md``) from the figures the
generator typed in.

The demo authority's twelve services (``spmon.sample_data.demo_contracts``)
send their returns of Q1 to Q3 2025/26 and their QAFs: clean ones, returned
ones for every reason that a workbook can carry, a resubmission, a
byte-identical copy, a late one, one in its extension, unreadable files and
files that are never taken. The same call always writes the same bytes
(workbooks are saved with fixed zip and document times) and the same mtimes.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils.cell import coordinate_to_tuple

from data_contracts.pi_workbook import quarter_name
from data_contracts.qaf_workbook import (
    assessed_objectives,
    claimed_cell_name,
    join_service_ids,
    levels_needed,
)
from data_contracts.tables import ContractRecord
from foundation.programme import Programme, parse_programme
from spmon import demo
from spmon.sample_data import demo_contracts, demo_programme_toml, demo_year_code, fill_quarter
from tasks.calendar.dates import days_in_quarter
from tasks.common.contract_records import CONTRACT_COLUMNS, EXTENSION_COLUMNS
from tasks.pi.issue import build_pi_workbook
from tasks.qaf.imports import GRADE_COLUMNS
from tasks.qaf.issue import build_qaf_workbook

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
PI_NAMES = ("kpi1", "kpi2", "spi1", "spi2", "spi3", "spi4")


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


def _at(month: int, day: int, hour: int, minute: int, year: int = 2025) -> datetime:
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
        _at(7, 3, 9, 15),
        "issued workbook sent back blank: no quarter completed",
        (_r("", "returned", "no_quarter_completed"),),
        "SV00110",
        "blank",
    ),
    Case(
        "PI_SV00101_2025-26_V1.xlsx",
        _at(7, 9, 10, 12),
        "SPI2 breach with no explanation: returned, later superseded",
        (_r("Q1", "superseded", "trigger_unexplained", breaches="SPI2"),),
        "SV00101",
        quarters=Q1,
        change=demo.breach(explained=False),
    ),
    Case(
        "SV00102 Q1 return.xlsx",
        _at(7, 10, 14, 31),
        "SPI2 breach explained in the comments: accepted",
        (_r("Q1", "accepted", breaches="SPI2"),),
        "SV00102",
        quarters=Q1,
        change=demo.breach(explained=True),
    ),
    Case(
        "PI_SV00111_2025-26_V2 Q1.xlsx",
        _at(7, 10, 15, 2),
        "clean return on a V2 workbook (record V2)",
        (OK1,),
        OUTDATED,
        quarters=Q1,
    ),
    Case(
        "Copy of PI_SV00107_2025-26_V1.xlsx",
        _at(7, 11, 9, 5),
        "referrals accepted do not add up",
        (_r("Q1", "returned", "local_pi_unbalanced"),),
        "SV00107",
        quarters=Q1,
        change=demo.unbalanced_referrals,
    ),
    Case(
        "PI_SV00112_2025-26_V1 Q1.xlsx",
        _at(7, 11, 11, 40),
        "clean return, floating support long term",
        (OK1,),
        "SV00112",
        quarters=Q1,
    ),
    Case(
        "PI_SV00104_2025-26_V1 Q1.xlsx",
        _at(7, 14, 16, 48),
        "'completed by' left blank",
        (_r("Q1", "returned", "incomplete"),),
        "SV00104",
        quarters=Q1,
        change=demo.blank_cell("completed_by"),
    ),
    Case(
        "PI_SV00106_2025-26_V1 Q1.xlsx",
        _at(7, 14, 17, 5),
        "clean return, short-term accommodation",
        (OK1,),
        "SV00106",
        quarters=Q1,
    ),
    Case(
        "Meadow Tenancy Support Q1.xlsx",
        _at(7, 15, 11, 20),
        "words typed into a number cell",
        (_r("Q1", "returned", "invalid_value"),),
        "SV00105",
        quarters=Q1,
        change=demo.text_in("new_service_users", "about twelve"),
    ),
    Case(
        "PI_SV00103_2025-26_V1.xlsx",
        _at(7, 16, 15, 2),
        "unit numbers changed (+2) with no comment",
        (_r("Q1", "returned", "units_changed_unexplained"),),
        "SV00103",
        quarters=Q1,
        change=demo.units_changed,
    ),
    Case(
        "PI_SV00113_2025-26_V1_Q1.xlsx",
        _at(7, 16, 15, 30),
        "a service with no contract record",
        (_r("Q1", "returned", "unknown_service"),),
        UNKNOWN_SERVICE,
        quarters=Q1,
    ),
    Case(
        "PI_SV00110_2025-26_V1 Q1.xlsx",
        _at(7, 17, 10, 0),
        "clean community alarm (no front line hours)",
        (OK1,),
        "SV00110",
        quarters=Q1,
    ),
    Case(
        "Copy of SV00102 Q1 return.xlsx",
        _at(7, 17, 16, 28),
        "byte-identical copy of 'SV00102 Q1 return.xlsx' under another name: changes nothing, no row",
        (),
        "SV00102",
        "copy",
        extra={"of": "SV00102 Q1 return.xlsx"},
    ),
    Case(
        "PI_SV00109_2025-26_V1 Q1.xlsx",
        _at(7, 18, 9, 30),
        "clean floating support short term",
        (OK1,),
        "SV00109",
        quarters=Q1,
    ),
    Case(
        "PI_SV00101_2025-26_V1 resubmitted.xlsx",
        _at(7, 24, 12, 15),
        "resubmission with the breach "
        "explained, after the deadline: accepted, NOT late (the first file was on time)",
        (_r("Q1", "accepted", breaches="SPI2", deadline=Q1_DEADLINE),),
        "SV00101",
        quarters=Q1,
        change=demo.breach(explained=True),
    ),
    Case(
        "PI_SV00108_2025-26_V1.xlsx",
        _at(8, 4, 9, 40),
        "late: after the deadline, no extension",
        (_r("Q1", "accepted", late=True, deadline=Q1_DEADLINE),),
        "SV00108",
        quarters=Q1,
    ),
    Case("PI_SV00101_2025-26_V1 Q2.xlsx", _at(10, 6, 9, 12), "clean Q2", (OK2,), "SV00101", quarters=Q2),
    Case(
        "PI_SV00106_2025-26_V1.xlsx",
        _at(10, 8, 13, 27),
        "whole workbook again: Q1 unchanged, Q2 new",
        (_r("Q1", "duplicate"), OK2),
        "SV00106",
        quarters=("Q1", "Q2"),
    ),
    Case("scan0042.xlsx", _at(10, 9, 8, 55), "random bytes named .xlsx", UNREADABLE, make="random"),
    Case(
        "PI_SV00103_2025-26_V1 Q2.xlsx",
        _at(10, 9, 14, 0),
        "clean Q2 community alarm",
        (OK2,),
        "SV00103",
        quarters=Q2,
    ),
    Case("SV00104 Q2 return.xlsx", _at(10, 13, 17, 10), "empty file (0 bytes)", UNREADABLE, make="empty"),
    Case(
        "PI_SV00101_2025-26_V1 final.xlsx",
        _at(10, 14, 10, 0),
        f"zip bomb: a valid workbook with a part that inflates to {BOMB_UNPACKED_MB} MB",
        UNREADABLE,
        "SV00101",
        "bomb",
        quarters=Q2,
    ),
    Case(
        "PI_SV00105_2025-26_V1 (truncated).xlsx",
        _at(10, 14, 11, 0),
        "a real workbook cut off half way",
        UNREADABLE,
        "SV00105",
        "truncated",
        quarters=Q2,
    ),
    Case(
        "PI_SV00111_2025-26_V1.xlsx",
        _at(10, 15, 12, 47),
        "outdated workbook: V1 for a V2 record",
        (_r("Q2", "returned", "outdated_version"),),
        OUTDATED,
        "outdated",
        quarters=Q2,
    ),
    Case(
        "SV00112 Q2 return.xlsx",
        _at(10, 15, 14, 32),
        "last year's authority code on the quarter page",
        (_r("Q2", "returned", "year_code_mismatch"),),
        "SV00112",
        "old_code",
        quarters=Q2,
    ),
    Case(
        "Copy of PI_SV00102_2025-26_V1.xlsx",
        _at(10, 16, 17, 54),
        "contract page altered: unit numbers",
        (_r("Q2", "returned", "contract_altered"),),
        "SV00102",
        "altered",
        quarters=Q2,
    ),
    Case("PI_SV00108_2025-26_V1 Q2.xlsx", _at(10, 17, 11, 0), "clean Q2", (OK2,), "SV00108", quarters=Q2),
    Case(
        "PI_SV00103_2025-26_V1.tmp", _at(10, 17, 16, 9), "Excel temporary file: never taken", (), make="junk"
    ),
    Case(
        "~$PI_SV00103_2025-26_V1.xlsx",
        _at(10, 17, 16, 9),
        "Excel owner (lock) file: never taken",
        (),
        make="junk",
    ),
    Case(
        ".~lock.PI_SV00103_2025-26_V1.xlsx#",
        _at(10, 17, 16, 10),
        "LibreOffice lock file: never taken",
        (),
        make="junk",
    ),
    Case(
        "PI_SV00110_2025-26_V1 Q2.xlsx.part",
        _at(10, 17, 16, 11),
        "partial download: never taken",
        (),
        make="junk",
    ),
    Case(
        "PI_SV00110_2025-26_V1 Q2.xlsx",
        _at(10, 20, 10, 30),
        "clean Q2 community alarm",
        (OK2,),
        "SV00110",
        quarters=Q2,
    ),
    Case(
        "SV00107 Q2 return.xlsx",
        _at(10, 29, 17, 46),
        "late: after the deadline, no extension",
        (_r("Q2", "accepted", late=True, deadline=Q2_DEADLINE),),
        "SV00107",
        quarters=Q2,
    ),
    Case(
        "Hillcrest Floating Support Q2.xlsx",
        _at(11, 3, 15, 45),
        "after the deadline but within the agreed extension",
        (_r("Q2", "accepted", deadline="2025-11-07"),),
        "SV00109",
        quarters=Q2,
    ),
    Case(
        "PI_SV00110_2025-26_V1 Q3.xlsx",
        _at(1, 14, 10, 5, 2026),
        "clean Q3 community alarm",
        (_r("Q3", "accepted"),),
        "SV00110",
        quarters=("Q3",),
    ),
    Case(
        "PI_SV00106_2025-26_V1 Q3.xlsx",
        _at(1, 16, 15, 3, 2026),
        "whole workbook a third time: Q1 and Q2 unchanged (duplicates), Q3 new",
        (_r("Q1", "duplicate"), _r("Q2", "duplicate"), _r("Q3", "accepted")),
        "SV00106",
        quarters=("Q1", "Q2", "Q3"),
    ),
)

# The services of each provider (demo_contracts, seed 1): PR0001 SV00101-3, PR0002 SV00104, SV00105,
# SV00111, PR0003 SV00110 (alarms only: Lite), PR0004 SV00108, SV00112, PR0006 SV00106, SV00107, SV00109.
QAF_CASES: tuple[QafCase, ...] = (
    QafCase(
        "QAF 2025-26 PR0004 Safe Haven Women's Aid.xlsx",
        "PR0004",
        _at(1, 5, 11, 40, 2026),
        "B grades with evidence; SV00112's Q2 return is returned: accepted, visit",
        "accepted",
        visit_reasons="service_concerns",
        claims={"C1.4": "B", "C1.6": "B"},
    ),
    QafCase(
        "QAF 2025-26 PR0006 Open Door Support.xlsx",
        "PR0006",
        _at(1, 12, 16, 20, 2026),
        "ticks and 'yes' for evidence: returned (no visit for a returned QAF)",
        "returned",
        "evidence_missing",
        claims={"C1.6": "B"},
        ticked=("C1.5", "C1.6"),
    ),
    QafCase(
        "Northgate Care QAF.xlsx",
        "PR0003",
        _at(1, 21, 15, 5, 2026),
        "Lite form (community alarms only), no concerns: accepted, no visit",
        "accepted",
        claims={"C1.3": "B"},
        form="Lite",
    ),
    QafCase(
        "Hope Street Trust - QAF self assessment 2026.xlsx",
        "PR0002",
        _at(2, 4, 9, 55, 2026),
        "A claimed; C1.7 D->B against the 2024/25 grades; returned PI returns: accepted, visit",
        "accepted",
        visit_reasons="a_grade_claimed;significant_change;service_concerns",
        claims={"C1.3": "A", "C1.7": "B"},
    ),
    QafCase(
        "Dunmore HA QAF final v2.xlsx",
        "PR0001",
        _at(3, 2, 12, 30, 2026),
        "returned PI returns and SV00102 on procurement review: accepted, visit",
        "accepted",
        visit_reasons="service_concerns;procurement_review",
        claims={"C1.2": "B"},
    ),
)
# Officers' grades of 2024/25 (``qaf_grades_prev.csv``): provider, objective, grade, date agreed.
PREVIOUS_GRADES = (
    ("PR0002", "C1.3", "C", "2025-03-12"),
    ("PR0002", "C1.7", "D", "2025-03-12"),
    ("PR0004", "C1.4", "B", "2025-02-20"),
)


@dataclass(frozen=True)
class Corpus:
    """A built corpus folder and the contracts it was made from."""

    root: Path
    contracts: tuple[ContractRecord, ...]  # the 2025/26 records imported (not the unknown service)

    @property
    def drop(self) -> Path:
        return self.root / "drop"

    @property
    def programme(self) -> Path:
        return self.root / "programme.toml"

    def case(self, name: str) -> Case:
        return next(c for c in CASES if c.name == name)


def contract_of(service_id: str) -> ContractRecord:
    """The generator's contract record of a service (the unknown service's too)."""
    return _all_contracts_by_id()[service_id]


def _all_contracts() -> list[ContractRecord]:
    """The generator's 13 contracts of 2025/26; SV00111 on workbook version V2."""
    records = demo_contracts(YEAR, count=13, seed=SEED)
    return [
        c.model_copy(update={"workbook_version": "V2"}) if c.service_id == OUTDATED else c for c in records
    ]


def contracts_2025() -> list[ContractRecord]:
    """The 2025/26 contract records the authority holds (every one but the unknown service)."""
    return [c for c in _all_contracts() if c.service_id != UNKNOWN_SERVICE]


def programme_toml() -> str:
    """The demo programme of 2024/25 and 2025/26, with SV00102 on 2025/26's procurement review."""
    text = demo_programme_toml([PREVIOUS, YEAR])
    head, marker, tail = text.partition(f'[years."{YEAR}"]')
    listed = ", ".join(f'"{s}"' for s in PROCUREMENT_REVIEW)
    reviewed = tail.replace("procurement_review = []", f"procurement_review = [{listed}]", 1)
    assert reviewed != tail  # noqa: S101 - the demo programme changed shape
    return head + marker + reviewed


def programme() -> Programme:
    return parse_programme(programme_toml(), source="corpus programme")


# Making the files ---------------------------------------------------------------------------------


def deterministic(data: bytes) -> bytes:
    """The same workbook with fixed zip entry times and document times (openpyxl stamps 'now')."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_DOC_TIME.encode(), content
                )
            target.writestr(zipfile.ZipInfo(item.filename, FIXED_ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return deterministic(buffer.getvalue())


def case_values(case: Case, quarter: str) -> dict[str, object]:
    """The figures the provider typed into one quarter page of a case's file."""
    change = case.change if quarter == case.quarters[-1] else None
    return demo.quarter_values(_all_contracts_by_id()[case.service_id], quarter, change)


def _all_contracts_by_id() -> dict[str, ContractRecord]:
    return {c.service_id: c for c in _all_contracts()}


def _set_named(workbook: Workbook, name: str, value: object) -> None:
    sheet, coordinate = next(iter(workbook.defined_names[name].destinations))
    row, column = coordinate_to_tuple(coordinate.replace("$", ""))
    workbook[sheet].cell(row, column).value = value  # type: ignore[assignment]


def _pi_workbook(case: Case, contract: ContractRecord) -> Workbook:
    """The issued workbook of the contract with the case's quarters filled in."""
    workbook = build_pi_workbook(contract, programme().year(YEAR))
    for quarter in case.quarters:
        fill_quarter(workbook, quarter, case_values(case, quarter))
    return workbook


def _zip_bomb(plain: bytes) -> bytes:
    """A valid-looking workbook with one extra sheet part that inflates to :data:`BOMB_UNPACKED_MB` MB."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in source.infolist():
            bomb.writestr(item, source.read(item))
        info = zipfile.ZipInfo("xl/worksheets/sheet99.xml", FIXED_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with bomb.open(info, "w") as part:
            chunk = b"\0" * (1 << 20)
            for _ in range(BOMB_UNPACKED_MB):
                part.write(chunk)
    return out.getvalue()


def _case_bytes(case: Case, written: Mapping[str, bytes]) -> bytes:
    contract = _all_contracts_by_id().get(case.service_id)
    makers: dict[str, Callable[[], bytes]] = {
        "return": lambda: _bytes(_pi_workbook(case, contract)),  # type: ignore[arg-type]
        "blank": lambda: _bytes(build_pi_workbook(contract, programme().year(YEAR))),  # type: ignore[arg-type]
        "copy": lambda: written[case.extra["of"]],
        "random": lambda: demo.RANDOM_BYTES,
        "empty": lambda: b"",
        "junk": lambda: b"owner file",
        "bomb": lambda: _zip_bomb(_bytes(_pi_workbook(case, contract))),  # type: ignore[arg-type]
        "truncated": lambda: (whole := _bytes(_pi_workbook(case, contract)))[: len(whole) // 2],  # type: ignore[arg-type]
        "outdated": lambda: _bytes(
            _pi_workbook(case, contract.model_copy(update={"workbook_version": "V1"}))  # type: ignore[union-attr]
        ),
        "old_code": lambda: _old_code(case, contract),  # type: ignore[arg-type]
        "altered": lambda: _altered(case, contract),  # type: ignore[arg-type]
    }
    return makers[case.make]()


def _old_code(case: Case, contract: ContractRecord) -> bytes:
    workbook = _pi_workbook(case, contract)
    _set_named(workbook, quarter_name(case.quarters[-1], "year_code"), demo_year_code(PREVIOUS))
    return _bytes(workbook)


def _altered(case: Case, contract: ContractRecord) -> bytes:
    workbook = _pi_workbook(case, contract)
    _set_named(workbook, "contracted_units", contract.contracted_units + 5)
    return _bytes(workbook)


def _qaf_bytes(case: QafCase) -> bytes:
    services = [c for c in contracts_2025() if c.provider_id == case.provider_id]
    workbook = build_qaf_workbook(
        case.provider_id, services[0].provider_name, services, YEAR, programme().year(YEAR)
    )
    for objective in assessed_objectives(str(demo.named_cell(workbook, "qaf_form").value)):
        grade = case.claims.get(objective, "C")
        demo.named_cell(workbook, claimed_cell_name(objective)).value = grade
        demo.write_evidence(workbook[objective], tuple(levels_needed(grade)), objective in case.ticked)
    demo.named_cell(workbook, "qaf_completed_by").value = "Corpus Officer"
    demo.named_cell(workbook, "qaf_date_completed").value = case.received.date().replace(day=1)
    return _bytes(workbook)


def _write(path: Path, data: bytes, received: datetime) -> None:
    path.write_bytes(data)
    stamp = received.timestamp()
    os.utime(path, (stamp, stamp))


def _write_csv(path: Path, columns: tuple[str, ...] | list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def build(root: Path) -> Corpus:
    """Write the corpus into ``root`` (emptied first) and give it back."""
    shutil.rmtree(root, ignore_errors=True)
    drop = root / "drop"
    drop.mkdir(parents=True)
    current = contracts_2025()
    (root / "programme.toml").write_text(programme_toml(), encoding="utf-8")
    _write_csv(
        root / "contracts.csv",
        CONTRACT_COLUMNS,
        [[getattr(c, n) for n in CONTRACT_COLUMNS] for c in current],
    )
    _write_csv(root / "extensions.csv", EXTENSION_COLUMNS, [list(e) for e in EXTENSIONS])
    services = {
        p: join_service_ids([c.service_id for c in current if c.provider_id == p])
        for p in {c.provider_id for c in current}
    }
    _write_csv(
        root / "qaf_grades_prev.csv",
        GRADE_COLUMNS,
        [[p, PREVIOUS, services[p], o, g, d, "desk", ""] for p, o, g, d in PREVIOUS_GRADES],
    )
    written: dict[str, bytes] = {}
    received: list[tuple[str, datetime]] = []
    for case in CASES:
        written[case.name] = _case_bytes(case, written)
        _write(drop / case.name, written[case.name], case.received)
        received.append((case.name, case.received))
    for qaf in QAF_CASES:
        _write(drop / qaf.name, _qaf_bytes(qaf), qaf.received)
        received.append((qaf.name, qaf.received))
    _write_csv(
        root / "received.csv",
        ["source_file", "received_at", "mtime"],
        [[n, t.strftime("%Y-%m-%dT%H:%M:%SZ"), int(t.timestamp())] for n, t in received],
    )
    return Corpus(root, tuple(current))


# What the register must show ----------------------------------------------------------------------


def two_decimals(value: float | None) -> str:
    if value is None:
        return ""
    return str(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def hand_pis(contract: ContractRecord, quarter: str, values: Mapping[str, object]) -> dict[str, str]:
    """The six PIs of a clean page by the formulas of ``pi-rules.md``, two decimals (blank: not applicable)."""
    v = {k: float(x) for k, x in values.items() if isinstance(x, int | float)}
    days = days_in_quarter(contract.year, quarter)
    unit_days = v["units"] * days
    accommodation = contract.service_type == "Accommodation based"
    short_term_accommodation = accommodation and contract.planned_duration == "Short term"
    pis: dict[str, float | None] = dict.fromkeys(PI_NAMES)
    if contract.planned_duration == "Long term" or contract.service_type == "Floating support":
        kept = v["continuing_service_users"] + v["departed_independent"]
        pis["kpi1"] = 100 * kept / (kept + v["departed_not_independent"])
    if short_term_accommodation:
        departures = v["planned_departures"] + v["unplanned_departures"]
        pis["kpi2"] = 100 * v["planned_departures"] / departures
        pis["spi4"] = 100 * (departures + v["departed_excluded"]) / v["units"]
    if accommodation:
        available = unit_days - v["unit_days_unavailable"]
        pis["spi1"] = 100 * available / unit_days
        pis["spi2"] = 100 * v["unit_days_occupied"] / available
    else:
        pis["spi2"] = 100 * v["service_user_days"] / unit_days
    if contract.frontline_hours_per_week > 0:
        pis["spi3"] = 100 * v["frontline_hours_delivered"] / (contract.frontline_hours_per_week * days / 7)
    return {pi: two_decimals(value) for pi, value in pis.items()}


def expected_register() -> list[dict[str, str]]:
    """Every PI register row the corpus must give, in the order the cases arrive.

    Columns: source_file, service_id, year, quarter, status, reasons, breaches, late,
    received_at, deadline ("" when the case does not say), and the PIs of accepted and
    duplicate rows (worked out by hand; absent for the others).
    """
    rows = []
    for case in CASES:
        for row in case.rows:
            item = {
                "source_file": case.name,
                "service_id": "" if row.status == "quarantined" else case.service_id,
                "year": "" if row.status == "quarantined" else YEAR,
                "quarter": row.quarter,
                "status": row.status,
                "reasons": row.reasons,
                "breaches": row.breaches,
                "late": "true" if row.late else ("false" if row.quarter else ""),
                "received_at": case.received.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "deadline": row.deadline,
            }
            if row.status in ("accepted", "duplicate"):
                contract = _all_contracts_by_id()[case.service_id]
                item |= hand_pis(contract, row.quarter, case_values(case, row.quarter))
            rows.append(item)
    return rows


def expected_qaf_register() -> list[dict[str, str]]:
    """Every QAF register row the corpus must give (the columns the cases say)."""
    rows = []
    services = {
        p: join_service_ids([c.service_id for c in contracts_2025() if c.provider_id == p])
        for p in {c.provider_id for c in contracts_2025()}
    }
    for case in QAF_CASES:
        objectives = assessed_objectives(case.form)
        rows.append(
            {
                "source_file": case.name,
                "received_at": case.received.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "provider_id": case.provider_id,
                "year": YEAR,
                "service_ids": services[case.provider_id],
                "form": case.form,
                "status": case.status,
                "reasons": case.reasons,
                **{
                    f"claimed_{o.lower().replace('.', '_')}": case.claims.get(o, "C")
                    if o in objectives
                    else ""
                    for o in ("C1.1", "C1.2", "C1.3", "C1.4", "C1.5", "C1.6", "C1.7")
                },
                "visit": "true" if case.visit_reasons else "false",
                "visit_reasons": case.visit_reasons,
            }
        )
    return rows


def compare(actual: list[dict[str, str]], expected: list[dict[str, str]]) -> list[str]:
    """The differences between register rows and what the cases say (only the columns they give)."""
    problems = []
    if len(actual) != len(expected):
        problems.append(f"{len(actual)} rows, expected {len(expected)}")
    for index, (got, want) in enumerate(zip(actual, expected, strict=False)):
        for column, value in want.items():
            if column == "deadline" and not value:
                continue
            if got.get(column) != value:
                problems.append(
                    f"row {index} {want['source_file']} {want.get('quarter', '')}: "
                    f"{column} is {got.get(column)!r}, expected {value!r}"
                )
    return problems
