"""Every reason code in plain words, for what a person reads (summaries, notices, reports).

The codes themselves stay in the CSV exports; these are the words beside them.
"""

from __future__ import annotations

from collections.abc import Iterable

REASON_WORDS: dict[str, str] = {
    "unreadable": "the file cannot be read as a workbook",
    "no_quarter_completed": "no quarter is filled in",
    "unknown_service": "the service is not in the contract records",
    "unknown_provider": "the provider is not in the contract records",
    "year_code_mismatch": "the authority code is not this year's",
    "outdated_version": "an out-of-date version of the workbook was used",
    "contract_altered": "the contract details were changed",
    "form_not_allowed": "the Lite form was used for a service that needs the full form",
    "incomplete": "required figures are missing",
    "invalid_value": "a figure is not a valid value",
    "invalid_grade": "a claimed grade is not A, B, C or D",
    "evidence_missing": "evidence is missing for a claimed grade",
    "local_pi_unbalanced": "the local PI figures do not add up",
    "units_changed_unexplained": "the number of units changed with no explanation",
    "trigger_unexplained": "a PI outside its trigger is not explained",
}


REPLY_REASON_WORDS: dict[str, str] = {
    "unknown_questionnaire": "the questionnaire reference was never issued, or is another service's",
    "rating_missing": "a rating is blank",
    "rating_invalid": "a rating is not one of the six answers",
    "poor_unexplained": "a Poor or V.Poor rating has no reasons (fewer than three words)",
}


VISIT_REASON_WORDS: dict[str, str] = {
    "a_grade_claimed": "an A grade is claimed",
    "significant_change": "a grade changed significantly since last year",
    "service_concerns": "a covered service has PI returns sent back",
    "procurement_review": "a covered service is on the procurement review list",
    "random_sample": "the provider is in the year's random sample",
}


def in_words(codes: str | Iterable[str]) -> str:
    """``incomplete;invalid_value`` as "required figures are missing; a figure is not a valid value"."""
    items = [code for code in (codes.split(";") if isinstance(codes, str) else codes) if code]
    words = REASON_WORDS | REPLY_REASON_WORDS | VISIT_REASON_WORDS
    return "; ".join(words.get(code, code.replace("_", " ")) for code in items)
