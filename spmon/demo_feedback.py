"""The demo's feedback, involvement and audits (``feedback.md``), through the real command line.

Stakeholders for three services and questionnaires issued on 1 July 2025
(``spmon feedback questionnaires issue``). The replies come back as they
really do: three of the issued workbooks, filled in as a stakeholder would
(``spmon.demo_questionnaires``), arrive in the drop folder and ``spmon ingest``
recognises them by content, checks, records and archives them and writes the
adverse-feedback letters; an answer given by telephone is recorded with
``spmon feedback responses import``:

| reference | how | answer |
|---|---|---|
| SV00101, ST0001 | workbook, 9 July | adverse (Poor), open comments; the provider replies in time |
| SV00101, ST0002 | workbook, 11 July | adverse (V.Poor), confidential: ratings-only letter; provider silent |
| SV00104, ST0003 | workbook, 14 July | one rating left blank: ``incomplete``, to follow up by telephone |
| SV00104, ST0004 | telephone, 16 July | favourable |
| SV00105, ST0005 | none | on the telephone follow-up list from 15 July |

The provider's reply is imported after the ingestion recorded the reply it
answers. Then service-user consultations (a group meeting with too small a
sample, a questionnaire whose report is late) and a support-plan audit below
the minimum with its re-audit; the exports as at the demo's last risk day. The
risk flow and the reports that follow show all of it.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from data_contracts.feedback_tables import (
    AUDIT_COLUMNS,
    CONSULTATION_COLUMNS,
    PROVIDER_REPLY_COLUMNS,
    RESPONSE_COLUMNS,
    STAKEHOLDER_COLUMNS,
)
from data_contracts.questionnaire_workbook import RATING_CELLS
from spmon.demo_commands import write_csv
from spmon.demo_questionnaires import Answer, Reply, fill_reply
from spmon.demo_returns import london

Spmon = Callable[..., None]
ISSUED = "2025-07-01"
ISSUED_ON = date.fromisoformat(ISSUED)
AS_AT = "2025-10-31"
SERVICES = ("SV00101", "SV00104", "SV00105")
CONFIDENTIAL_COMMENT = "Staff told a resident to keep quiet about the broken lift"

STAKEHOLDERS = (
    ("ST0001", "PR0001", "SV00101", "Dana Hughes", "Housing Options Manager", "City Housing Options",
     "01632 960001", "Civic Centre", "dana.hughes@council.example", "referral agency"),
    ("ST0002", "PR0001", "SV00101", "Sam Patel", "Probation Officer", "Probation Service",
     "01632 960002", "Probation Office", "sam.patel@probation.example", "statutory body"),
    ("ST0003", "PR0002", "SV00104", "Lee Morgan", "Social Worker", "Adult Social Care",
     "01632 960003", "Civic Centre", "lee.morgan@council.example", "statutory body"),
    ("ST0004", "PR0002", "SV00104", "Ruth Evans", "Practice Manager", "Park Surgery",
     "01632 960004", "Park Road", "ruth.evans@nhs.example", "partner"),
    ("ST0005", "PR0002", "SV00105", "Omar Ali", "Team Leader", "Community Mental Health Team",
     "01632 960005", "Bridge Street", "omar.ali@nhs.example", "partner"),
)  # fmt: skip


def reference(service_id: str, stakeholder_id: str) -> str:
    """The questionnaire reference of the demo's issue."""
    return f"SQ-{service_id}-{stakeholder_id}-{ISSUED.replace('-', '')}"


def _who(stakeholder_id: str) -> dict[str, str]:
    """Who answers: the stakeholder's name, job title, organisation and relationship, as imported."""
    row = next(s for s in STAKEHOLDERS if s[0] == stakeholder_id)
    return {"respondent": row[3], "job_title": row[4], "organisation": row[5], "relationship": row[9]}


def _answers(stakeholder_id: str, ratings: tuple[str, ...], **fields: Answer) -> dict[str, Answer]:
    """A reply's answers by field (a blank rating left out), as ``sq_<field>`` names the workbook's cell."""
    given = {
        cell.name.removeprefix("sq_"): rating for cell, rating in zip(RATING_CELLS, ratings, strict=True)
    }
    return {**_who(stakeholder_id), **{k: v for k, v in given.items() if v}, "confidential": "No", **fields}


def _workbook_reply(
    name: str,
    service_id: str,
    stakeholder_id: str,
    received: datetime,
    answers: dict[str, Answer],
    shows: str,
) -> Reply:
    named = {f"sq_{field}": value for field, value in answers.items()}
    return Reply(name, service_id, stakeholder_id, received, named, shows)


# The issued workbooks filled in and sent back, in the order they arrive in the drop folder.
REPLIES = (
    _workbook_reply(
        "SQ_SV00101_ST0001_20250701 completed.xlsx", "SV00101", "ST0001", london(7, 9, 10, 42),
        _answers("ST0001", ("Good", "Good", "Fair", "Poor", "Fair"),
                 reasons="Residents wait weeks for a key worker", suggestions="More staff at weekends",
                 date=date(2025, 7, 8)),
        "adverse (Poor) with comments: received, a letter to the provider, who replies on 18 July"),
    _workbook_reply(
        "Probation feedback - Dunmore.xlsx", "SV00101", "ST0002", london(7, 11, 15, 12),
        _answers("ST0002", ("Fair", "Good", "V.Poor", "Poor", "Poor"), reasons=CONFIDENTIAL_COMMENT,
                 confidential="Yes", date=date(2025, 7, 11)),
        "adverse (V.Poor), confidential: received, a letter with the ratings only, no provider reply"),
    _workbook_reply(
        "SQ_SV00104_ST0003_20250701.xlsx", "SV00104", "ST0003", london(7, 14, 9, 31),
        _answers("ST0003", ("Good", "Excellent", "", "Good", "Good"), date=date(2025, 7, 14)),
        "one rating left blank: incomplete, to follow up by telephone"),
)  # fmt: skip
TELEPHONE = _answers(
    "ST0004", ("Excellent", "Good", "Good", "Excellent", "Don't know"), date="2025-07-16", method="telephone"
)
PROVIDER_REPLIES = ((reference("SV00101", "ST0001"), "2025-07-18"),)

# C001: a group of 5 from 40 service users (25% is 10): sample_too_small. C002: 92 of 120 by questionnaire,
# its report due 6 weeks after it closed (2025-10-27) and not sent.
CONSULTATIONS = (
    ("C001", "PR0001", "SV00101", "group", "2025-07-01", "2025-08-12", "", "40", "5", "5", "5", "yes", "no",
     "2025-09-10", "Ann Officer"),
    ("C002", "PR0002", "SV00104", "questionnaire", "2025-07-20", "2025-08-25", "2025-09-15", "120", "92",
     "41", "", "no", "no", "", ""),
)  # fmt: skip
# A001 below the minimum (level C): feedback sent, remedy by 30 September, re-audited 6 October and met.
AUDITS = (
    ("A001", "PR0002", "SV00104", "2025-06-02", "2025-07-15", "10", "8", "6", "5", "7", "4", "yes", "no",
     "2025-08-05", "2025-09-30", "2025-10-06", "yes"),
    ("A002", "PR0001", "SV00102", "2025-08-01", "2025-09-10", "6", "6", "6", "5", "6", "6", "yes", "yes",
     "2025-09-24", "", "", ""),
)  # fmt: skip


def run_feedback(root: Path, spmon: Spmon) -> None:
    """Stakeholders, questionnaires, answers, provider replies, consultations, audits and the exports."""
    folder = root / "feedback"
    folder.mkdir(exist_ok=True)
    stakeholders = write_csv(folder / "stakeholders.csv", STAKEHOLDER_COLUMNS, STAKEHOLDERS)
    spmon(root, "feedback", "stakeholders", "import", stakeholders)
    services = [arg for service in SERVICES for arg in ("--service", service)]
    issued = ("--out", folder / "issued", "--issued", ISSUED)
    spmon(root, "feedback", "questionnaires", "issue", *services, *issued)
    take_replies(root, spmon)
    replies = write_csv(folder / "provider_replies.csv", PROVIDER_REPLY_COLUMNS, PROVIDER_REPLIES)
    spmon(root, "feedback", "provider-replies", "import", replies)
    consultations = write_csv(folder / "consultations.csv", CONSULTATION_COLUMNS, CONSULTATIONS)
    spmon(root, "feedback", "consultations", "import", consultations)
    spmon(root, "audits", "import", write_csv(folder / "audits.csv", AUDIT_COLUMNS, AUDITS))
    as_at = ("--as-at", AS_AT)
    spmon(root, "feedback", "due", "export", folder / "due.csv", *as_at)
    spmon(root, "feedback", "consultations", "export", folder / "consultations_export.csv", *as_at)
    spmon(root, "audits", "export", folder / "audits_export.csv", *as_at)
    spmon(root, "feedback", "register", "export", folder / "register.csv")


def take_replies(root: Path, spmon: Spmon) -> None:
    """The replies come back: workbooks into the drop folder and ``spmon ingest``; one by telephone."""
    drop, issued = root / "drop", root / "feedback" / "issued"
    drop.mkdir(exist_ok=True)
    print(f"\nStakeholders send {len(REPLIES)} questionnaires back into {drop}, July 2025:")
    for reply in REPLIES:
        print(f"  {reply.name}: {reply.shows}")
        fill_reply(reply, ISSUED_ON, issued, drop)
    spmon(root, "ingest", drop)
    telephone = {"sq_reference": reference("SV00104", "ST0004"), **TELEPHONE}
    row = [telephone.get(column, "") for column in RESPONSE_COLUMNS]
    spmon(
        root,
        "feedback",
        "responses",
        "import",
        write_csv(root / "feedback" / "responses.csv", RESPONSE_COLUMNS, [row]),
    )


def where_to_look(root: Path) -> list[str]:
    """The summary's lines about feedback, the replies' statuses as the reply register says."""
    folder = root / "feedback"
    letters = sorted((root / "outbox" / "feedback").rglob("*.txt"))
    with (folder / "register.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    dropped = Counter(r["status"] for r in rows if r["source_file"] in {reply.name for reply in REPLIES})
    others = len(rows) - dropped.total()
    return [
        f"  feedback:         {folder} (questionnaires issued, the reply register, due.csv as at {AS_AT}: "
        "a telephone chase, a provider's overdue response, a late consultation report)",
        f"  feedback replies: {dropped.total()} workbooks through the drop folder, taken by `spmon ingest` "
        f"and archived ({', '.join(f'{s} {n}' for s, n in sorted(dropped.items()))}); {others} by telephone",
        f"  feedback letters: {len(letters)} in {root / 'outbox' / 'feedback'} "
        "(one confidential: its ratings only)",
    ]
