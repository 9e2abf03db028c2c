"""Making the corpus's files: deterministic workbook bytes for every kind of case, written with their received times."""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils.cell import coordinate_to_tuple

from data_contracts.pi_workbook import quarter_name
from data_contracts.qaf_workbook import assessed_objectives, claimed_cell_name, levels_needed
from data_contracts.tables import ContractRecord
from spmon import demo
from spmon.sample_data import demo_year_code, fill_quarter
from tasks.pi.issue import build_pi_workbook
from tasks.qaf.issue import build_qaf_workbook
from tests.corpus.cases import BOMB_UNPACKED_MB, FIXED_DOC_TIME, FIXED_ZIP_TIME, PREVIOUS, YEAR, Case, QafCase
from tests.corpus.contracts import case_values, contracts_2025, contracts_by_id, programme
from tests.factories.zips import Member, padded, rezipped


def deterministic(data: bytes) -> bytes:
    """The same workbook with fixed zip entry times and document times (openpyxl stamps 'now')."""
    return rezipped(data, _at_fixed_times)


def _at_fixed_times(item: zipfile.ZipInfo, content: bytes) -> Member:
    if item.filename == "docProps/core.xml":
        content = re.sub(
            rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_DOC_TIME.encode(), content
        )
    return zipfile.ZipInfo(item.filename, FIXED_ZIP_TIME), content


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return deterministic(buffer.getvalue())


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


def case_bytes(case: Case, written: Mapping[str, bytes]) -> bytes:
    contract = contracts_by_id().get(case.service_id)
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


def _zip_bomb(plain: bytes) -> bytes:
    """A valid-looking workbook with one extra sheet part that inflates to :data:`BOMB_UNPACKED_MB` MB."""
    return padded(plain, "xl/worksheets/sheet99.xml", BOMB_UNPACKED_MB << 20, FIXED_ZIP_TIME)


def _old_code(case: Case, contract: ContractRecord) -> bytes:
    workbook = _pi_workbook(case, contract)
    _set_named(workbook, quarter_name(case.quarters[-1], "year_code"), demo_year_code(PREVIOUS))
    return _bytes(workbook)


def _altered(case: Case, contract: ContractRecord) -> bytes:
    workbook = _pi_workbook(case, contract)
    _set_named(workbook, "contracted_units", contract.contracted_units + 5)
    return _bytes(workbook)


def qaf_bytes(case: QafCase) -> bytes:
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


def write_received(path: Path, data: bytes, received: datetime) -> None:
    path.write_bytes(data)
    stamp = received.timestamp()
    os.utime(path, (stamp, stamp))


def write_csv(path: Path, columns: tuple[str, ...] | list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
