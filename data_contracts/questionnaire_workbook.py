"""The stakeholder questionnaire workbook, format version 1 (``feedback.md``).

One place says which cells the questionnaire has, their defined names,
labels and types, who fills them, the six rating answers (with the spellings
read as them) and their scores. The issuer, the reader and the judge take
their lists from here.
"""

from __future__ import annotations

import re
from datetime import date

from data_contracts.pi_workbook import Cell, CellType, FilledBy

SHEET = "Questionnaire"
FORMAT_VERSION = 1
REPLY_DAYS = 14  # a reply is due 14 days after issue; no reply then: telephone follow-up

EXCELLENT, GOOD, FAIR, POOR, V_POOR, DONT_KNOW = "Excellent", "Good", "Fair", "Poor", "V.Poor", "Don't know"
RATINGS: tuple[str, ...] = (EXCELLENT, GOOD, FAIR, POOR, V_POOR, DONT_KNOW)
ADVERSE_RATINGS: frozenset[str] = frozenset({POOR, V_POOR})
SCORES: dict[str, int] = {EXCELLENT: 5, GOOD: 4, FAIR: 3, POOR: 2, V_POOR: 1}  # Don't know: no score
# Other spellings read as an answer (after case and spaces are ignored).
RATING_ALIASES: dict[str, str] = {"very poor": V_POOR, "dont know": DONT_KNOW, "v. poor": V_POOR}
YES_NO: tuple[str, ...] = ("Yes", "No")

S, T, D = FilledBy.PROVIDER, CellType.TEXT, CellType.DATE  # "provider" here: the stakeholder fills it
A = FilledBy.AUTHORITY

# The five aspects rated, in the order of the spec's table: (defined name, label).
RATING_CELLS: tuple[Cell, ...] = (
    Cell("sq_rating_strategic_relevance", "Strategic relevance", T, S, RATINGS),
    Cell("sq_rating_demand", "Demand for service", T, S, RATINGS),
    Cell("sq_rating_outcomes", "Service outcomes", T, S, RATINGS),
    Cell("sq_rating_quality", "Quality of service delivery", T, S, RATINGS),
    Cell("sq_rating_cost_effectiveness", "Cost-effectiveness", T, S, RATINGS),
)
ASPECTS: tuple[str, ...] = tuple(cell.name.removeprefix("sq_rating_") for cell in RATING_CELLS)

CELLS: tuple[Cell, ...] = (
    Cell("sq_reference", "Questionnaire reference", T, A),
    Cell("sq_service_id", "Service ID", T, A),
    Cell("sq_service_name", "Service", T, A),
    Cell("sq_respondent", "Name of person providing feedback", T, S),
    Cell("sq_job_title", "Job title", T, S),
    Cell("sq_organisation", "Organisation name", T, S),
    Cell("sq_relationship", "Your relationship with the service", T, S),
    *RATING_CELLS,
    Cell("sq_reasons", "Reasons for your assessment", T, S),
    Cell("sq_suggestions", "Suggestions for improving the service", T, S),
    Cell("sq_helps_objectives", "Does the service help your organisation meet its objectives?", T, S),
    Cell("sq_further_comments", "Further comments", T, S),
    Cell("sq_confidential", "Keep my comments confidential", T, S, YES_NO),
    Cell("sq_date", "Date", D, S),
)
CELL_BY_NAME: dict[str, Cell] = {cell.name: cell for cell in CELLS}
# The free-text answers a provider may see (unless confidential), in the order of the questionnaire.
COMMENT_CELLS: tuple[str, ...] = (
    "sq_reasons",
    "sq_suggestions",
    "sq_helps_objectives",
    "sq_further_comments",
)

_SPACES = re.compile(r"\s+")


def reference(service_id: str, stakeholder_id: str, issued: date) -> str:
    """The questionnaire reference ``SQ-<service_id>-<stakeholder_id>-<YYYYMMDD>``."""
    return f"SQ-{service_id}-{stakeholder_id}-{issued:%Y%m%d}"


def file_name(service_id: str, stakeholder_id: str, issued: date) -> str:
    """The issued file's name ``SQ_<service_id>_<stakeholder_id>_<YYYYMMDD>.xlsx``."""
    return f"SQ_{service_id}_{stakeholder_id}_{issued:%Y%m%d}.xlsx"


def canonical_rating(text: str | None) -> str | None:
    """The rating an answer reads as (case and spaces ignored, aliases taken); ``None`` when it is none."""
    if text is None:
        return None
    key = _SPACES.sub(" ", text.strip()).casefold()
    for rating in RATINGS:
        if rating.casefold() == key:
            return rating
    return RATING_ALIASES.get(key) or RATING_ALIASES.get(key.replace("'", "").replace("\u2019", ""))


def score(rating: str | None) -> int | None:
    """A rating's score for summaries: Excellent 5 .. V.Poor 1; ``Don't know`` and blanks have none."""
    return SCORES.get(rating or "")
