"""The QAF cases of the corpus: each self-assessment a provider sends and the register row it must give."""

from __future__ import annotations

from tests.corpus.cases import QafCase, london_time

# The services of each provider (demo_contracts, seed 1): PR0001 SV00101-3, PR0002 SV00104, SV00105,
# SV00111, PR0003 SV00110 (alarms only: Lite), PR0004 SV00108, SV00112, PR0006 SV00106, SV00107, SV00109.
QAF_CASES: tuple[QafCase, ...] = (
    QafCase(
        "QAF 2025-26 PR0004 Safe Haven Women's Aid.xlsx",
        "PR0004",
        london_time(1, 5, 11, 40, 2026),
        "B grades with evidence; SV00112's Q2 return is returned: accepted, visit",
        "accepted",
        visit_reasons="service_concerns",
        claims={"C1.4": "B", "C1.6": "B"},
    ),
    QafCase(
        "QAF 2025-26 PR0006 Open Door Support.xlsx",
        "PR0006",
        london_time(1, 12, 16, 20, 2026),
        "ticks and 'yes' for evidence: returned (no visit for a returned QAF)",
        "returned",
        "evidence_missing",
        claims={"C1.6": "B"},
        ticked=("C1.5", "C1.6"),
    ),
    QafCase(
        "Northgate Care QAF.xlsx",
        "PR0003",
        london_time(1, 21, 15, 5, 2026),
        "Lite form (community alarms only), no concerns: accepted, no visit",
        "accepted",
        claims={"C1.3": "B"},
        form="Lite",
    ),
    QafCase(
        "Hope Street Trust - QAF self assessment 2026.xlsx",
        "PR0002",
        london_time(2, 4, 9, 55, 2026),
        "A claimed; C1.7 D->B against the 2024/25 grades; returned PI returns: accepted, visit",
        "accepted",
        visit_reasons="a_grade_claimed;significant_change;service_concerns",
        claims={"C1.3": "A", "C1.7": "B"},
    ),
    QafCase(
        "Dunmore HA QAF final v2.xlsx",
        "PR0001",
        london_time(3, 2, 12, 30, 2026),
        "returned PI returns and SV00102 on procurement review: accepted, visit",
        "accepted",
        visit_reasons="service_concerns;procurement_review",
        claims={"C1.2": "B"},
    ),
)
# Officers' grades of 2024/25 (``qaf_grades_prev.csv``): provider, objective, grade, date agreed.
PREVIOUS_GRADES = (
    ("PR0002", "C1.3", "C", "2025-03-12"),
    ("PR0002", "C1.7", "D", "2025-03-12"),
    ("PR0004", "C1.4", "B", "2025-02-20"),
)
