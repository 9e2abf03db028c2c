"""The bench's stakeholder questionnaires: issued with the project's own code, most returned filled in.

In every ten services (numbers 0..9 of each block of ten), services 2, 3 and
4 have two stakeholders each, ``A`` and ``B``: six questionnaires issued on
1 July 2025 per ten services. The workbooks are the ones ``spmon feedback
questionnaires issue`` writes (``tasks.feedback.questionnaire.build_questionnaire``,
so the references are the ones a workspace records when it issues them); the
stakeholder's cells are filled by their defined names with openpyxl:

| service | stakeholder A | stakeholder B |
|---|---|---|
| 2 | favourable | favourable, and sent again a quarter later: ``duplicate`` |
| 3 | adverse (Poor, with reasons) | favourable |
| 4 | a rating left blank: ``incomplete`` | never answered (nothing dropped) |

so six files per ten services, recorded as 4 ``received`` (1 adverse),
1 ``incomplete`` and 1 ``duplicate``. A reply arrives 10 (A) or 20 (B)
seconds after its service's Q1 workbook, before the next service's, so
questionnaires and PI workbooks interleave by modification time (and across
batches); the copy sent again arrives as long after the service's Q2 workbook
(92 days later), dated as the first.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from openpyxl import Workbook

from data_contracts.feedback_tables import DUPLICATE, INCOMPLETE, RECEIVED, STAKEHOLDER_COLUMNS
from data_contracts.questionnaire_workbook import RATING_CELLS, file_name
from data_contracts.tables import ContractRecord
from tasks.feedback.questionnaire import IssueTarget, build_questionnaire
from tasks.pi.issue import save_workbook

ISSUED = date(2025, 7, 1)
FAVOURABLE, ADVERSE, BLANK_RATING = "favourable", "adverse", "blank rating"
STAKEHOLDERS = ("A", "B")
ASKED_SERVICES = (2, 3, 4)  # of every ten
# (service of the ten, stakeholder, answer, sent again)
RETURNED_IN_TEN: tuple[tuple[int, str, str, bool], ...] = (
    (2, "A", FAVOURABLE, False),
    (2, "B", FAVOURABLE, False),
    (2, "B", FAVOURABLE, True),
    (3, "A", ADVERSE, False),
    (3, "B", FAVOURABLE, False),
    (4, "A", BLANK_RATING, False),
)
RATINGS = {
    FAVOURABLE: ("Good", "Excellent", "Good", "Good", "Fair"),
    ADVERSE: ("Fair", "Good", "Fair", "Poor", "Fair"),
    BLANK_RATING: ("Good", "Good", None, "Good", "Good"),
}
REASONS = {ADVERSE: "Residents wait weeks for a key worker"}
SENT_AGAIN_AFTER = timedelta(days=92)  # from Q1's arrival to Q2's: the copy comes among the Q2 workbooks


@dataclass(frozen=True)
class ReturnedQuestionnaire:
    """One questionnaire file of the drop folder: whose it is, how it is answered, when it arrives."""

    service: int  # the service's number among all the bench's services
    stakeholder: str
    answer: str
    sent_again: bool

    @property
    def stakeholder_id(self) -> str:
        """The stakeholder's ID, e.g. ``ST00002A``."""
        return stakeholder_id(self.service, self.stakeholder)

    @property
    def status(self) -> str:
        """The reply status its ingestion must record."""
        if self.sent_again:
            return DUPLICATE
        return INCOMPLETE if self.answer == BLANK_RATING else RECEIVED

    def file_name(self, service_id: str) -> str:
        """The issued file's name; a copy sent again says so."""
        name = file_name(service_id, self.stakeholder_id, ISSUED)
        return name.replace(".xlsx", " sent again.xlsx") if self.sent_again else name


def stakeholder_id(service: int, letter: str) -> str:
    """A stakeholder of the bench's service number ``service``."""
    return f"ST{service:05d}{letter}"


def asked_services(services: int) -> list[int]:
    """The numbers of the services whose stakeholders are sent questionnaires."""
    return [number for number in range(services) if number % 10 in ASKED_SERVICES]


@lru_cache(maxsize=2)
def returned_questionnaires(services: int) -> tuple[ReturnedQuestionnaire, ...]:
    """Every questionnaire file the drop folder gets, in order of service."""
    return tuple(
        ReturnedQuestionnaire(block + service, letter, answer, again)
        for block in range(0, services, 10)
        for service, letter, answer, again in RETURNED_IN_TEN
        if block + service < services
    )


def expected_statuses(services: int) -> Counter[str]:
    """The reply statuses the ingestion of every file must record, by status."""
    return Counter(returned.status for returned in returned_questionnaires(services))


def expected_adverse(services: int) -> int:
    """The adverse replies among them."""
    return sum(returned.answer == ADVERSE for returned in returned_questionnaires(services))


def write_stakeholders_csv(path: Path, contracts: list[ContractRecord]) -> Path:
    """The stakeholders of the asked services, as ``spmon feedback stakeholders import`` takes them."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(STAKEHOLDER_COLUMNS)
        for number in asked_services(len(contracts)):
            contract = contracts[number]
            for letter in STAKEHOLDERS:
                row = {
                    "stakeholder_id": stakeholder_id(number, letter),
                    "provider_id": contract.provider_id,
                    "service_id": contract.service_id,
                    "name": f"Stakeholder {number} {letter}",
                    "organisation": "City Housing Options",
                    "relationship": "referral agency",
                }
                writer.writerow([row.get(column, "") for column in STAKEHOLDER_COLUMNS])
    return path


def answers(returned: ReturnedQuestionnaire, answered: date) -> dict[str, object]:
    """The stakeholder's cells of one returned questionnaire, by defined name."""
    ratings = dict(zip((cell.name for cell in RATING_CELLS), RATINGS[returned.answer], strict=True))
    return {
        "sq_respondent": f"Stakeholder {returned.service} {returned.stakeholder}",
        "sq_job_title": "Housing Options Officer",
        "sq_organisation": "City Housing Options",
        "sq_relationship": "referral agency",
        **ratings,
        "sq_reasons": REASONS.get(returned.answer, "Residents are well supported"),
        "sq_confidential": "No",
        "sq_date": answered,
    }


def fill_by_names(workbook: Workbook, values: dict[str, object]) -> None:
    """Write each value into the cell its workbook-scoped defined name points at."""
    for name, value in values.items():
        for sheet, coordinate in workbook.defined_names[name].destinations:
            workbook[sheet][coordinate.replace("$", "")] = value


def write_questionnaire(
    folder: Path, contract: ContractRecord, returned: ReturnedQuestionnaire, received: datetime
) -> Path:
    """The issued questionnaire, filled in and saved with ``received`` as its modification time.

    It is dated the day it first came: a copy sent again has the very same answers.
    """
    path = folder / returned.file_name(contract.service_id)
    if path.exists():
        return path  # made by an earlier, interrupted making of the files
    target = IssueTarget(
        contract.service_id, contract.service_name, contract.provider_id, returned.stakeholder_id
    )
    workbook = build_questionnaire(target, ISSUED)
    first = received - SENT_AGAIN_AFTER if returned.sent_again else received
    fill_by_names(workbook, answers(returned, first.date()))
    if returned.sent_again:  # the same answers saved again: other bytes, the same reply
        workbook.properties.lastModifiedBy = "sent again"
    return save_workbook(workbook, path, modified_at=received)


def arrival_after(q1_received: datetime, returned: ReturnedQuestionnaire) -> datetime:
    """A reply comes 10 (A) or 20 (B) seconds after its service's Q1 workbook; a copy a quarter later."""
    after = timedelta(seconds=10 * (1 + STAKEHOLDERS.index(returned.stakeholder)))
    return q1_received + after + (SENT_AGAIN_AFTER if returned.sent_again else timedelta(0))
