"""Every clause of the desk-top audit (``risk.md``, ``feedback.md``) in plain words, for what a person reads.

The codes (``pi_completeness``) stay in the CSV exports and in a column of the
workbooks; these are the names shown beside or instead of them.
"""

from __future__ import annotations

from collections.abc import Iterable

CLAUSE_WORDS: dict[str, str] = {
    "pi_timeliness": "PI returns on time",
    "pi_completeness": "PI returns complete and correct",
    "staffing": "Staffing (SPI3)",
    "availability_utilisation": "Availability and utilisation (SPI1, SPI2)",
    "outcomes": "Outcomes (KPI1, KPI2)",
    "departures": "Planned versus unplanned departures",
    "qaf_return": "QAF return on time",
    "qaf_grades": "QAF grades",
    "actions": "Improvement-plan actions",
    "stakeholder_feedback": "Stakeholder feedback",
    "service_user_feedback": "Service-user feedback",
    "support_plans": "Support-plan audits",
    "overall": "Overall risk",
    "priority": "Priority (RAG)",
}


def clause_in_words(code: str) -> str:
    """``pi_completeness`` as "PI returns complete and correct"; an unknown code in words of its own."""
    return CLAUSE_WORDS.get(code, code.replace("_", " ").capitalize())


def clauses_in_words(codes: str | Iterable[str]) -> str:
    """``staffing;outcomes`` (or a list) as "Staffing (SPI3); Outcomes (KPI1, KPI2)"."""
    items = [code for code in (codes.split(";") if isinstance(codes, str) else codes) if code]
    return "; ".join(clause_in_words(code) for code in items)
