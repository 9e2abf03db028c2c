"""The demo's stakeholder replies: issued questionnaires filled in as a stakeholder would, sent back.

Each :class:`Reply` opens the questionnaire workbook the authority issued
(``spmon feedback questionnaires issue``), writes the stakeholder's answers
into the white, unlocked cells found by their defined names
(``data_contracts.questionnaire_workbook``), keeps everything else as issued
(the sheet's protection, the drop-downs, the authority's cells) and saves it
under the stakeholder's own file name in the drop folder, its modification
time the time it was received (the drop folder's received time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from data_contracts.pi_workbook import FilledBy
from data_contracts.questionnaire_workbook import CELL_BY_NAME, file_name
from spmon.demo_qaf import named_cell
from tasks.pi.issue import save_workbook

Answer = str | date


@dataclass(frozen=True)
class Reply:
    """A stakeholder's returned questionnaire: whose, its answers by defined name, when it arrives."""

    name: str
    service_id: str
    stakeholder_id: str
    received: datetime
    answers: Mapping[str, Answer]
    shows: str


def fill_reply(reply: Reply, issued_on: date, issued: Path, drop: Path) -> Path:
    """Fill in the issued workbook with the reply's answers and drop it with its received time."""
    workbook = load_workbook(issued / file_name(reply.service_id, reply.stakeholder_id, issued_on))
    for name, value in reply.answers.items():
        if CELL_BY_NAME[name].filled_by is not FilledBy.PROVIDER:  # "provider": the stakeholder's cells
            raise ValueError(f"{name} is the authority's cell, locked for the stakeholder")
        named_cell(workbook, name).value = value
    return save_workbook(workbook, drop / reply.name, modified_at=reply.received)
