"""Average scores for the stakeholder ratings summary, and what a provider may see of a reply."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from data_contracts.feedback_tables import QuestionnaireReply
from tasks.feedback.summaries import average_scores, shareable_comments


def reply(status: str = "received", **fields: Any) -> QuestionnaireReply:
    return QuestionnaireReply(received_at=datetime(2025, 10, 1, tzinfo=UTC), status=status, **fields)


def test_averages_leave_out_dont_know_blanks_and_replies_that_do_not_count() -> None:
    replies = [
        reply(rating_quality="Excellent", rating_demand="Don't know"),
        reply(rating_quality="Poor", rating_demand="", adverse=True),
        reply(rating_quality="Brilliant"),  # not a rating
        reply("superseded", rating_quality="V.Poor", adverse=True),
        reply("duplicate", rating_quality="V.Poor", adverse=True),
    ]
    summary = average_scores(replies)
    assert summary.averages["quality"] == 3.5
    assert summary.averages["demand"] is None
    assert (summary.replies, summary.adverse) == (3, 1)


def test_a_confidential_reply_shares_nothing() -> None:
    open_reply = reply(assessment_reasons="slow", suggestions=" ", further_comments="thanks")
    assert shareable_comments(open_reply) == ["slow", "thanks"]
    assert shareable_comments(reply(confidential=True, assessment_reasons="slow")) == []
