"""The quarterly reports of the known authority (``scenario.py``): figures worked out by hand here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from data_contracts.national_extract import NATIONAL_EXTRACT_COLUMNS
from reports.model import Report
from reports.periods import default_quarter_as_at
from reports.run import QuarterlyReports, quarterly_reports
from tests.factories.programmes import programme
from tests.factories.sessions import sqlite_session
from tests.reports import scenario
from tests.reports.scan import read_csv_text

Q2_DAYS, Q1_DAYS = 92, 91


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


@pytest.fixture
def built(session: Session) -> QuarterlyReports:
    scenario.build(session)
    return quarterly_reports(session, programme(), "2025/26", "Q2")


def _report(built: QuarterlyReports, kind: str) -> Report:
    return next(r for r in built.reports if r.kind == kind)


def _row(report: Report, sheet: str, **match: Any) -> dict[str, Any]:
    rows = [dict(r) for r in report.table(sheet).rows if all(r.get(k) == v for k, v in match.items())]
    assert len(rows) == 1, (sheet, match, rows)
    return rows[0]


def test_the_default_as_at_date_is_a_week_after_the_deadline(built: QuarterlyReports) -> None:
    assert default_quarter_as_at(programme(), "2025/26", "Q2") == date(2025, 10, 28)
    assert {r.as_at for r in (*built.reports, *built.packs)} == {scenario.AS_AT}
    assert {r.period for r in built.reports} == {"2025-26-Q2"}


def test_pooled_client_group_figures_are_summed_counts(built: QuarterlyReports) -> None:
    report = _report(built, "pi-management")
    # Older people: SV101 (accommodation, UD 10 x 92) and SV102 (floating, UD 20 x 92); SV301 sent nothing
    occupied, available = 850, 10 * Q2_DAYS - 20
    user_days, unit_days = 1500, 20 * Q2_DAYS
    older = _row(report, "Client group pooling", group="Older people", pi="SPI2")
    assert (older["numerator"], older["denominator"]) == (occupied + user_days, available + unit_days)
    assert older["value"] == pytest.approx(100 * (850 + 1500) / (900 + 1840))  # 85.77
    assert older["breach"] == "Yes" and older["services"] == 2 and older["breaching"] == 1
    # not the average of the two percentages (94.44 and 81.52)
    assert older["value"] != pytest.approx((100 * 850 / 900 + 100 * 1500 / 1840) / 2)

    kpi1 = _row(report, "Client group pooling", group="Mental health", pi="KPI1")
    assert kpi1["value"] == pytest.approx(100 * (7 + 1 + 5 + 0) / (7 + 1 + 0 + 5 + 0 + 1))
    spi3 = _row(report, "Client group pooling", group="Mental health", pi="SPI3")
    assert spi3["value"] == pytest.approx(100 * (450 + 440) / (2 * 35 * Q2_DAYS / 7))

    # SV202 was returned: its group has no pooled utilisation
    homeless = _row(report, "Client group pooling", group="Single homeless", pi="SPI2")
    assert homeless["value"] == pytest.approx(100 * 1000 / (12 * Q2_DAYS - 24))

    # the grid: groups as rows, PIs as columns, the same pooled values
    grid = {r["group"]: r for r in report.table("By client group").rows}
    assert grid["Older people"]["spi2"] == pytest.approx(older["value"])
    assert grid["Older people"]["services"] == 3 and grid["Older people"]["accepted"] == 2
    assert "SPI2 Utilisation" in grid["Older people"]["below"]
    assert grid["Mental health"]["kpi1"] == pytest.approx(kpi1["value"])


def test_pooled_service_type_figures(built: QuarterlyReports) -> None:
    report = _report(built, "pi-management")
    accommodation = _row(report, "Service type pooling", group="Accommodation based", pi="SPI2")
    numerator = 850 + 1000 + 700
    denominator = (10 * Q2_DAYS - 20) + (12 * Q2_DAYS - 24) + (8 * Q2_DAYS - 0)
    assert accommodation["value"] == pytest.approx(100 * numerator / denominator)
    floating = _row(report, "Service type pooling", group="Floating support", pi="SPI2")
    assert floating["value"] == pytest.approx(100 * (1500 + 500) / ((20 + 6) * Q2_DAYS))
    assert floating["breach"] == "Yes"
    availability = _row(report, "Service type pooling", group="Accommodation based", pi="SPI1")
    assert availability["value"] == pytest.approx(100 * (920 - 20 + 1104 - 24 + 736) / (920 + 1104 + 736))


def test_each_pi_against_its_trigger_and_how_many_breached(built: QuarterlyReports) -> None:
    report = _report(built, "pi-management")
    spi2 = _row(report, "PI summary", pi="SPI2")
    # SV202 is returned and SV301 sent nothing: 5 of the 7 services have a value
    assert (spi2["applies"], spi2["with_value"], spi2["breaching"]) == (7, 5, 1)
    all_numerator = 850 + 1500 + 1000 + 700 + 500
    all_denominator = 900 + 1840 + 1080 + 736 + 552
    assert spi2["pooled"] == pytest.approx(100 * all_numerator / all_denominator)
    assert spi2["pooled_breach"] == "Yes"
    kpi2 = _row(report, "PI summary", pi="KPI2")
    assert (kpi2["pooled"], kpi2["breaching"]) == (pytest.approx(60.0), 1)
    services = {r["service_id"]: r for r in report.table("Services").rows}
    assert services["SV102"]["spi2"] == pytest.approx(100 * 1500 / 1840)
    assert services["SV202"]["status"] == "returned" and services["SV202"]["spi2"] is None
    assert services["SV301"]["status"] == "not received"


def test_every_breach_with_the_providers_explanation(built: QuarterlyReports) -> None:
    rows = _report(built, "pi-management").table("Breaches").rows
    assert [(r["service_id"], r["pi"], r["explanation"]) for r in rows] == [
        ("SV102", "SPI2", scenario.SPI2_COMMENT),
        ("SV201", "KPI2", scenario.KPI2_COMMENT),
        ("SV303", "KPI1", scenario.KPI1_COMMENT),
    ]
    assert rows[1]["value"] == pytest.approx(100 * 3 / (3 + 2))


def test_trend_over_eight_quarters(built: QuarterlyReports) -> None:
    table = _report(built, "pi-management").table("Trend SPI2")
    assert [r["quarter"] for r in table.rows] == [
        "Q3 2023/24",
        "Q4 2023/24",
        "Q1 2024/25",
        "Q2 2024/25",
        "Q3 2024/25",
        "Q4 2024/25",
        "Q1 2025/26",
        "Q2 2025/26",
    ]
    q4 = table.rows[5]
    assert q4["all"] == pytest.approx(100 * 880 / (10 * 90))  # SV101's 2024/25 contract, a 90-day Q4
    q1 = table.rows[6]
    q1_numerator = 900 + 1800 + 1050 + 9100 + 700 + 540
    q1_denominator = 910 + 1820 + (12 * Q1_DAYS - 24) + 100 * Q1_DAYS + 8 * Q1_DAYS + 6 * Q1_DAYS
    assert q1["all"] == pytest.approx(100 * q1_numerator / q1_denominator)
    assert table.charts and table.charts[0].dashed == ("trigger",)
    assert table.rows[0]["trigger"] is None and table.rows[-1]["trigger"] == 90.0


def test_completeness_of_the_returns(built: QuarterlyReports) -> None:
    report = _report(built, "pi-management")
    pr3 = _row(report, "Completeness", provider_id="PR3")
    assert (pr3["services"], pr3["received"], pr3["accepted"], pr3["not_received"], pr3["late"]) == (
        3,
        2,
        2,
        1,
        1,
    )
    assert pr3["complete"] == pytest.approx(100 * 2 / 3)
    pr2 = _row(report, "Completeness", provider_id="PR2")
    assert (pr2["accepted"], pr2["returned"]) == (1, 1)


def test_late_and_non_returns_for_the_quarter_and_the_year(built: QuarterlyReports) -> None:
    report = _report(built, "late-returns")
    quarter = {
        r["provider_id"]: (r["late"], r["non_returns"]) for r in report.table("Quarter by provider").rows
    }
    # SV303 late; SV301 nothing by the as-at date (its file came two days later); SV302 in its extension
    assert quarter == {"PR1": (0, 0), "PR2": (0, 0), "PR3": (1, 1)}
    ytd = {
        r["provider_id"]: (r["late"], r["non_returns"]) for r in report.table("Year to date by provider").rows
    }
    assert ytd == {"PR1": (0, 0), "PR2": (1, 0), "PR3": (1, 2)}
    detail = [
        (r["service_id"], r["quarter"], r["outcome"], r["days_late"]) for r in report.table("Detail").rows
    ]
    assert detail == [
        ("SV201", "Q1", "late", (date(2025, 7, 25) - date(2025, 7, 21)).days),
        ("SV301", "Q1", "non-return", (scenario.AS_AT - date(2025, 7, 21)).days),
        ("SV301", "Q2", "non-return", (scenario.AS_AT - date(2025, 10, 21)).days),
        ("SV303", "Q2", "late", 2),
    ]


def test_a_later_as_at_date_sees_the_later_file(session: Session) -> None:
    scenario.build(session)
    later = quarterly_reports(session, programme(), "2025/26", "Q2", as_at=date(2025, 11, 3))
    report = _report(later, "late-returns")
    quarter = {
        r["provider_id"]: (r["late"], r["non_returns"]) for r in report.table("Quarter by provider").rows
    }
    assert quarter["PR3"] == (2, 0)  # SV301's file of 30 October is late, no longer missing


def test_an_earlier_as_at_date_sees_the_database_as_it_stood(session: Session) -> None:
    scenario.build(session)
    early = quarterly_reports(session, programme(), "2025/26", "Q2", as_at=date(2025, 10, 4))
    services = {r["service_id"]: r for r in _report(early, "pi-management").table("Services").rows}
    assert services["SV101"]["status"] == "returned"  # its accepted resubmission came on 6 October
    assert services["SV102"]["status"] == "not yet due"  # nothing yet, but its deadline is 21 October
    assert _report(early, "national-extract").table("Extract").rows == ()


def test_national_extract(built: QuarterlyReports) -> None:
    report = _report(built, "national-extract")
    ((name, text),) = report.extra.items()
    assert name == "national-extract-2025-26-Q2-as-at-2025-10-28.csv"
    assert text.splitlines()[0].split(",") == list(NATIONAL_EXTRACT_COLUMNS)
    rows = read_csv_text(text)
    assert [r["service_id"] for r in rows] == ["SV101", "SV102", "SV201", "SV302", "SV303"]  # accepted only
    sv201 = rows[2]
    assert (sv201["provider_id"], sv201["client_group"], sv201["service_type"]) == (
        "PR2",
        "Single homeless",
        "Accommodation based",
    )
    assert (sv201["year"], sv201["quarter"], sv201["days_in_quarter"]) == ("2025/26", "Q2", "92")
    assert (sv201["units"], sv201["unit_days_unavailable"], sv201["unit_days_occupied"]) == (
        "12",
        "24",
        "1000",
    )
    assert (sv201["planned_departures"], sv201["unplanned_departures"], sv201["service_user_days"]) == (
        "3",
        "2",
        "",
    )
    assert (sv201["kpi1"], sv201["kpi2"], sv201["spi1"]) == ("", "60.00", "97.83")  # 1080 / 1104
    assert sv201["spi2"] == "92.59" and sv201["spi3"] == "100.00" and sv201["spi4"] == "50.00"
    assert rows[1]["spi2"] == f"{100 * 1500 / 1840:.2f}"
    # traceable: the last two columns name the return's file and when it came (the date while only
    # the date is known to the report)
    assert list(rows[0])[-2:] == ["source_file", "received_at"]
    assert sv201["received_at"].startswith("2025-10-15")


def test_headlines_say_what_needs_attention(built: QuarterlyReports) -> None:
    pi = _report(built, "pi-management").headline
    assert pi[0].startswith("7 services had a return for Q2 2025/26: 5 accepted")
    assert any("SPI2 Utilisation" in sentence and "trigger 90" in sentence for sentence in pi)
    assert any(sentence.startswith("Services breaching, most first:") for sentence in pi)
    late = _report(built, "late-returns").headline
    assert late[0].startswith("Q2 2025/26:") and "non-returns" in late[0]
    pr1 = next(p for p in built.packs if p.title.endswith("(PR1)"))
    assert pr1.headline and any("SV102" in s and "SPI2 Utilisation" in s for s in pr1.headline)
    assert not any(
        "_" in sentence for report in (*built.reports, *built.packs) for sentence in report.headline
    )


def test_summary_shows_the_previous_quarter_and_the_change(built: QuarterlyReports) -> None:
    summary = _report(built, "pi-management").table("PI summary")
    labels = [c.label for c in summary.columns]
    assert "Pooled value Q1 2025/26" in labels and "Change (points)" in labels
    spi2 = next(r for r in summary.rows if r["pi"] == "SPI2")
    assert spi2["pooled_change"] == pytest.approx(spi2["pooled"] - spi2["pooled_before"])
    assert spi2["breaching_change"] == spi2["breaching"] - spi2["breaching_before"]


def test_late_returns_chart_only_the_providers_with_some_most_first(built: QuarterlyReports) -> None:
    report = _report(built, "late-returns")
    most = report.table("Quarter most late")
    assert all(r["total"] > 0 for r in most.rows)
    totals = [r["total"] for r in most.rows]
    assert totals == sorted(totals, reverse=True)
    assert most.charts and not report.table("Quarter by provider").charts


def test_the_group_grid_shows_the_previous_quarter_beside_each_pooled_value(built: QuarterlyReports) -> None:
    grid = _report(built, "pi-management").table("By client group")
    labels = [c.label for c in grid.columns]
    assert labels[3:6] == ["KPI1", "KPI1 Q1 2025/26", "KPI1 change"]
    older = next(r for r in grid.rows if r["group"] == "Older people")
    # Q1: SV101 900 of 910 unit days, SV102 1800 of 1820 service-user days (SV301 sent nothing)
    assert older["spi2_before"] == pytest.approx(100 * (900 + 1800) / (910 + 1820))
    assert older["spi2_change"] == pytest.approx(older["spi2"] - older["spi2_before"])
    # the alarm service's Q2 return was returned: its type has nothing pooled this quarter and is
    # left out, though it had a value in Q1
    by_type = _report(built, "pi-management").table("By service type")
    assert [r["group"] for r in by_type.rows] == ["Accommodation based", "Floating support"]


def test_each_services_pis_stand_beside_its_previous_quarter(built: QuarterlyReports) -> None:
    table = _report(built, "pi-management").table("Services")
    assert "SPI2 Q1 2025/26" in [c.label for c in table.columns]
    services = {r["service_id"]: r for r in table.rows}
    sv101 = services["SV101"]
    assert sv101["spi2_before"] == pytest.approx(100 * 900 / 910)
    assert sv101["spi2_change"] == pytest.approx(100 * 850 / 900 - 100 * 900 / 910)
    sv202 = services["SV202"]  # returned this quarter: no value, so no change, but last quarter's shown
    assert sv202["spi2"] is None and sv202["spi2_before"] == pytest.approx(100.0)
    assert sv202["spi2_change"] is None
    sv301 = services["SV301"]  # nothing either quarter
    assert (sv301["spi2"], sv301["spi2_before"], sv301["spi2_change"]) == (None, None, None)
