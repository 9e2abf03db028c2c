"""What an ingestion run recorded, read back from the database at its end.

Built from the database rather than counted batch by batch, so the figures
are the returns' statuses at the end of the run (a return corrected by a
resubmission later in the same run counts as superseded, whatever the batch
size), and a retried run also reports what its earlier attempts recorded
(every attempt of one Prefect flow run shares the run's name).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.feedback_tables import INCOMPLETE, QuestionnaireReply
from data_contracts.qaf_tables import QafReturn
from data_contracts.reason_words import in_words
from data_contracts.tables import IngestRun, PiReturn, ReceivedFile


@dataclass(frozen=True)
class Problem:
    """A returned return or a quarantined file, as an officer reads it."""

    source_file: str
    subject: str  # "SV00123 2025/26 Q2", "QAF PR0042 2025/26", or "" for a quarantined file
    outcome: str  # returned or quarantined
    reasons: str  # codes, ';'-joined
    in_words: str

    def line(self) -> str:
        """One line of the summary."""
        if not self.subject and self.in_words.startswith(self.source_file):
            return self.in_words  # a quarantine message already names its file
        what = f"{self.subject} ({self.source_file})" if self.subject else self.source_file
        return f"{what}: {self.in_words}"

    def row(self) -> dict[str, str]:
        """One row of the table artifact."""
        return {
            "file": self.source_file,
            "return": self.subject,
            "outcome": self.outcome,
            "reasons": self.in_words,
            "codes": self.reasons,
        }


@dataclass
class RunReport:
    """Every file and return recorded under one run name."""

    attempts: int = 0
    files_recorded: int = 0
    files_by_earlier_attempts: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    returned: list[Problem] = field(default_factory=list)
    quarantined: list[Problem] = field(default_factory=list)
    follow_up: list[Problem] = field(default_factory=list)  # incomplete questionnaires: a telephone call

    @property
    def returns_recorded(self) -> int:
        """Returns recorded, quarantined files and questionnaire replies included (each has one row)."""
        return sum(self.statuses.values())


def run_report(session: Session, run_name: str, current_run_id: int) -> RunReport:
    """What the runs named ``run_name`` recorded, as the database stands now."""
    run_ids = list(
        session.execute(select(col(IngestRun.id)).where(col(IngestRun.name) == run_name)).scalars()
    )
    files = session.execute(select(ReceivedFile).where(col(ReceivedFile.run_id).in_(run_ids))).scalars().all()
    report = RunReport(attempts=len(run_ids), files_recorded=len(files))
    report.files_by_earlier_attempts = sum(1 for f in files if f.run_id != current_run_id)
    file_ids = [f.id for f in files]
    report.quarantined = [
        Problem(f.source_file, "", "quarantined", "unreadable", f.message or in_words("unreadable"))
        for f in sorted(files, key=lambda f: (f.received_at, f.source_file))
        if f.kind == "unreadable"
    ]
    _add_pi(session, file_ids, report)
    _add_qaf(session, file_ids, report)
    _add_questionnaires(session, [f.sha256 for f in files if f.kind == "questionnaire"], report)
    return report


def _add_pi(session: Session, file_ids: list[int | None], report: RunReport) -> None:
    rows = session.execute(select(PiReturn).where(col(PiReturn.file_id).in_(file_ids))).scalars().all()
    for row in sorted(rows, key=lambda r: (r.received_at, r.source_file, r.quarter)):
        report.statuses[row.status] += 1
        if row.status == "returned":
            subject = " ".join(filter(None, [row.service_id, row.year, row.quarter]))
            report.returned.append(
                Problem(row.source_file, subject, "returned", row.reasons, in_words(row.reasons))
            )


def _add_qaf(session: Session, file_ids: list[int | None], report: RunReport) -> None:
    rows = session.execute(select(QafReturn).where(col(QafReturn.file_id).in_(file_ids))).scalars().all()
    for row in sorted(rows, key=lambda r: (r.received_at, r.source_file)):
        report.statuses[f"QAF {row.status}"] += 1
        if row.status == "returned":
            subject = " ".join(filter(None, ["QAF", row.provider_id, row.year]))
            report.returned.append(
                Problem(row.source_file, subject, "returned", row.reasons, in_words(row.reasons))
            )


def _add_questionnaires(session: Session, hashes: list[str], report: RunReport) -> None:
    """Questionnaire replies count as ``questionnaire <status>``; an incomplete one is to be followed up."""
    statement = select(QuestionnaireReply).where(col(QuestionnaireReply.sha256).in_(hashes))
    rows = session.execute(statement).scalars().all()
    for row in sorted(rows, key=lambda r: (r.received_at, r.source_file)):
        report.statuses[f"questionnaire {row.status}"] += 1
        if row.status == INCOMPLETE:
            subject = f"questionnaire {row.reference or '(no reference)'}"
            report.follow_up.append(
                Problem(row.source_file, subject, "incomplete", row.reasons, in_words(row.reasons))
            )
