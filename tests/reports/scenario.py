"""One known authority for the quarterly report tests: three providers, seven services, Q1-Q2 2025/26.

Deadlines 2025/26 (15 working days): Q1 2025-07-21, Q2 2025-10-21; the
quarterly reports of Q2 default to as at 2025-10-28. Days: Q1 91, Q2 92,
Q4 2024/25 90.

| service | provider | client group | type | Q1 | Q2 |
|---|---|---|---|---|---|
| SV101 | PR1 | Older people | accommodation, long | on time | returned 10-02, then accepted 10-06 |
| SV102 | PR1 | Older people | floating | on time | accepted, SPI2 breach explained ('=' comment) |
| SV201 | PR2 | Single homeless | accommodation, short | late (07-25) | accepted, KPI2 breach ('+' comment) |
| SV202 | PR2 | Single homeless | alarm, no hours | on time | returned (10-09) |
| SV301 | PR3 | Older people | floating | non-return | non-return (a file comes 10-30) |
| SV302 | PR3 | Mental health | accommodation, long | on time | 10-24, within its extension to 11-07 |
| SV303 | PR3 | Mental health | floating | on time | late (10-23), KPI1 breach ('-' comment) |

PR3's provider name starts with '=' (text that must be made inert).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from tests.factories.contracts import ACCOMMODATION, ALARM, FLOATING, contract
from tests.factories.returns import extension, pi_return
from tests.factories.sessions import utc

AS_AT = date(2025, 10, 28)
SPI2_COMMENT = '=HYPERLINK("http://example.org","x") Two support workers were off sick all quarter'
KPI2_COMMENT = "+Staff changes meant fewer planned moves this quarter"
KPI1_COMMENT = "-Two service users moved into hospital care"
PR3_NAME = "=Evil Trust"
SERVICES = {
    "PR1": ("SV101", "SV102"),
    "PR2": ("SV201", "SV202"),
    "PR3": ("SV301", "SV302", "SV303"),
}

# Q2 raw counts (92 days)
SV101_Q2 = {
    "units": 10,
    "unit_days_unavailable": 20,
    "unit_days_occupied": 850,
    "frontline_hours_delivered": 450,
    "continuing_service_users": 9,
    "departed_independent": 1,
    "departed_not_independent": 0,
    "departed_excluded": 0,
}
SV102_Q2 = {
    "units": 20,
    "service_user_days": 1500,
    "frontline_hours_delivered": 900,
    "continuing_service_users": 15,
    "departed_independent": 2,
    "departed_not_independent": 1,
    "departed_excluded": 0,
}
SV201_Q2 = {
    "units": 12,
    "unit_days_unavailable": 24,
    "unit_days_occupied": 1000,
    "frontline_hours_delivered": 920,
    "planned_departures": 3,
    "unplanned_departures": 2,
    "departed_excluded": 1,
}
SV202_Q2 = {"units": 100, "service_user_days": 9000, "continuing_service_users": 90}
SV302_Q2 = {
    "units": 8,
    "unit_days_unavailable": 0,
    "unit_days_occupied": 700,
    "frontline_hours_delivered": 450,
    "continuing_service_users": 7,
    "departed_independent": 1,
    "departed_not_independent": 0,
    "departed_excluded": 0,
}
SV303_Q2 = {
    "units": 6,
    "service_user_days": 500,
    "frontline_hours_delivered": 440,
    "continuing_service_users": 5,
    "departed_independent": 0,
    "departed_not_independent": 1,
    "departed_excluded": 0,
}
# a small floating-support service's clean quarter (the monthly and one-truth tests)
GOOD_FLOATING = {
    "units": 10,
    "service_user_days": 900,
    "frontline_hours_delivered": 455,
    "continuing_service_users": 9,
    "departed_independent": 1,
    "departed_not_independent": 0,
    "departed_excluded": 0,
}
# Q1 (91 days): plain, on-time returns
Q1_ACCOMMODATION_LONG = {
    "unit_days_unavailable": 0,
    "frontline_hours_delivered": 455,
    "continuing_service_users": 8,
    "departed_independent": 1,
    "departed_not_independent": 0,
    "departed_excluded": 0,
}
Q1_FLOATING = {
    "frontline_hours_delivered": 455,
    "continuing_service_users": 10,
    "departed_independent": 0,
    "departed_not_independent": 0,
    "departed_excluded": 0,
}


def build(session: Session) -> None:
    """The authority of the table above."""
    sv101 = contract(session, "SV101", "PR1", "Older people", ACCOMMODATION, units=10, hours=35)
    sv102 = contract(session, "SV102", "PR1", "Older people", FLOATING, units=20, hours=70)
    sv201 = contract(session, "SV201", "PR2", "Single homeless", ACCOMMODATION, "Short term", 12, 70)
    sv202 = contract(session, "SV202", "PR2", "Single homeless", ALARM, units=100, hours=0)
    sv301 = contract(session, "SV301", "PR3", "Older people", FLOATING, units=15, provider_name=PR3_NAME)
    sv302 = contract(session, "SV302", "PR3", "Mental health", ACCOMMODATION, units=8, provider_name=PR3_NAME)
    sv303 = contract(session, "SV303", "PR3", "Mental health", FLOATING, units=6, provider_name=PR3_NAME)
    old = contract(session, "SV101", "PR1", "Older people", ACCOMMODATION, units=10, hours=35, year="2024/25")

    # Q4 2024/25 (90 days): one accepted return for the trend
    pi_return(
        session,
        old,
        "Q4",
        utc(2025, 4, 10),
        {**Q1_ACCOMMODATION_LONG, "units": 10, "unit_days_occupied": 880, "frontline_hours_delivered": 450},
    )
    # Q1 2025/26
    pi_return(
        session,
        sv101,
        "Q1",
        utc(2025, 7, 7),
        {**Q1_ACCOMMODATION_LONG, "units": 10, "unit_days_occupied": 900},
    )
    pi_return(
        session,
        sv102,
        "Q1",
        utc(2025, 7, 10),
        {**Q1_FLOATING, "units": 20, "service_user_days": 1800, "frontline_hours_delivered": 910},
    )
    pi_return(
        session,
        sv201,
        "Q1",
        utc(2025, 7, 25),
        {**SV201_Q2, "planned_departures": 4, "unplanned_departures": 1, "unit_days_occupied": 1050},
    )
    pi_return(session, sv202, "Q1", utc(2025, 7, 8), {**SV202_Q2, "service_user_days": 9100})
    pi_return(
        session,
        sv302,
        "Q1",
        utc(2025, 7, 9),
        {**Q1_ACCOMMODATION_LONG, "units": 8, "unit_days_occupied": 700},
    )
    pi_return(session, sv303, "Q1", utc(2025, 7, 11), {**Q1_FLOATING, "units": 6, "service_user_days": 540})

    # Q2 2025/26
    pi_return(
        session,
        sv101,
        "Q2",
        utc(2025, 10, 2),
        {**SV101_Q2, "units": None},
        "superseded",
        reasons="incomplete",
    )
    pi_return(session, sv101, "Q2", utc(2025, 10, 6), SV101_Q2)
    pi_return(session, sv102, "Q2", utc(2025, 10, 10), SV102_Q2, comments=SPI2_COMMENT)
    pi_return(session, sv201, "Q2", utc(2025, 10, 15), SV201_Q2, comments=KPI2_COMMENT)
    pi_return(session, sv202, "Q2", utc(2025, 10, 9), SV202_Q2, "returned", reasons="incomplete")
    extension(session, "SV302", "Q2", date(2025, 11, 7))
    pi_return(session, sv302, "Q2", utc(2025, 10, 24), SV302_Q2)
    pi_return(session, sv303, "Q2", utc(2025, 10, 23), SV303_Q2, comments=KPI1_COMMENT)
    pi_return(
        session, sv301, "Q2", utc(2025, 10, 30), {**Q1_FLOATING, "units": 15, "service_user_days": 1300}
    )
