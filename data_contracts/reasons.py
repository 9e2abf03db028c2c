"""Reason codes, in the order a person reads them (``pi-rules.md``, ``qaf.md``)."""

from __future__ import annotations

from collections.abc import Iterable

PI_REASON_CODES: tuple[str, ...] = (
    "unreadable",
    "no_quarter_completed",
    "unknown_service",
    "year_code_mismatch",
    "outdated_version",
    "contract_altered",
    "incomplete",
    "invalid_value",
    "local_pi_unbalanced",
    "units_changed_unexplained",
    "trigger_unexplained",
)

QAF_REASON_CODES: tuple[str, ...] = (
    "unreadable",
    "unknown_provider",
    "unknown_service",
    "year_code_mismatch",
    "form_not_allowed",
    "incomplete",
    "invalid_grade",
    "evidence_missing",
)


def ordered(codes: Iterable[str], order: tuple[str, ...] = PI_REASON_CODES) -> list[str]:
    """The distinct codes in the spec's order."""
    present = set(codes)
    unknown = present.difference(order)
    if unknown:
        raise ValueError(f"unknown reason codes: {sorted(unknown)}")
    return [code for code in order if code in present]
