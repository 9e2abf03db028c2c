"""The demo's feedback, involvement and audits (``feedback.md``), through the real command line.

Stakeholders for three services, questionnaires issued on 1 July 2025, and
the answers the officers record with ``spmon feedback responses import``
(the drop-folder intake of returned workbooks is not in the demo yet):

| reference | answer |
|---|---|
| SV00101, ST0001 | adverse (Poor), open comments; the provider replies in time |
| SV00101, ST0002 | adverse (V.Poor), confidential: the letter gives ratings only; no provider reply |
| SV00104, ST0003 | one rating left blank: ``incomplete``, to follow up by telephone |
| SV00104, ST0004 | answered by telephone, favourable |
| SV00105, ST0005 | no answer: on the telephone follow-up list from 15 July |

Then service-user consultations (a group meeting with too small a sample,
a questionnaire whose report is late) and a support-plan audit below the
minimum with its re-audit; the exports as at the demo's last risk day. The
risk flow and the reports that follow show all of it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from data_contracts.feedback_tables import (
    AUDIT_COLUMNS,
    CONSULTATION_COLUMNS,
    PROVIDER_REPLY_COLUMNS,
    RESPONSE_COLUMNS,
    STAKEHOLDER_COLUMNS,
)
from spmon.demo_commands import write_csv

Spmon = Callable[..., None]
ISSUED = "2025-07-01"
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


def _answer(ref: str, who: tuple[str, str, str], ratings: tuple[str, ...], **fields: str) -> list[str]:
    values = dict(zip(RESPONSE_COLUMNS, ["", *who, "", *ratings], strict=False))
    values |= {"sq_reference": ref, "relationship": "referral agency", "confidential": "No"} | fields
    return [values.get(column, "") for column in RESPONSE_COLUMNS]


RESPONSES = (
    _answer(reference("SV00101", "ST0001"), ("Dana Hughes", "Housing Options Manager", "Housing Options"),
            ("Good", "Good", "Fair", "Poor", "Fair"), reasons="Residents wait weeks for a key worker",
            suggestions="More staff at weekends", date="2025-07-09", method="meeting"),
    _answer(reference("SV00101", "ST0002"), ("Sam Patel", "Probation Officer", "Probation Service"),
            ("Fair", "Good", "V.Poor", "Poor", "Poor"), reasons=CONFIDENTIAL_COMMENT, confidential="Yes",
            date="2025-07-11", method="meeting"),
    _answer(reference("SV00104", "ST0003"), ("Lee Morgan", "Social Worker", "Adult Social Care"),
            ("Good", "Excellent", "", "Good", "Good"), date="2025-07-14", method="meeting"),
    _answer(reference("SV00104", "ST0004"), ("Ruth Evans", "Practice Manager", "Park Surgery"),
            ("Excellent", "Good", "Good", "Excellent", "Don't know"), date="2025-07-16", method="telephone"),
)  # fmt: skip
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
    responses = write_csv(folder / "responses.csv", RESPONSE_COLUMNS, RESPONSES)
    spmon(root, "feedback", "responses", "import", responses)
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


def where_to_look(root: Path) -> list[str]:
    """The summary's lines about feedback."""
    folder = root / "feedback"
    letters = sorted((root / "outbox" / "feedback").rglob("*.txt"))
    return [
        f"  feedback:         {folder} (questionnaires issued, the reply register, due.csv as at {AS_AT}: "
        "a telephone chase, a provider's overdue response, a late consultation report)",
        f"  feedback letters: {len(letters)} in {root / 'outbox' / 'feedback'} "
        "(one confidential: its ratings only)",
    ]
