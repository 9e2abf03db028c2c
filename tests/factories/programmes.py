"""The test programmes: two years for the database tests, one year for the QAF workbooks."""

from __future__ import annotations

from foundation.programme import Programme, parse_programme

YEAR = "2025/26"
CODE = "DCC-2526-K7Q"
TRIGGERS = "KPI1 = 90.0\nKPI2 = 70.0\nSPI1 = 90.0\nSPI2 = 90.0\nSPI3 = 90.0\nSPI4 = 15.0\n"
PROGRAMME_TOML = f"""
[years."2024/25"]
code = "DCC-2425-AAA"
[years."2024/25".triggers]
{TRIGGERS}
[years."2025/26"]
code = "{CODE}"
[years."2025/26".triggers]
{TRIGGERS}
[meeting_interval_months]
RED = 3
AMBER = 6
GREEN = 12
"""
QAF_PROGRAMME_TOML = f"""
[years."{YEAR}"]
code = "{CODE}"
qaf_sample_percent = 10
procurement_review = ["SV00031"]

[years."{YEAR}".triggers]
{TRIGGERS}"""


def programme() -> Programme:
    """2024/25 and 2025/26, 15 working days to each deadline, report delay 7 days, meetings 3, 6, 12 months."""
    return parse_programme(PROGRAMME_TOML)


def qaf_programme(toml: str = QAF_PROGRAMME_TOML) -> Programme:
    """The QAF tests' programme: one year, 2025/26, a 10% sample and SV00031 on procurement review."""
    return parse_programme(toml)
