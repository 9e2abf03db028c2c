"""One truth per figure in the quarterly reports and the packs, and in every report as it is written.

- Each number a headline or paragraph of the PI management report, the late
  and non-returns, the national extract and each provider's pack states is
  counted again here from the rows of the tables it summarises, at as-at
  dates before, at and after the deadline (``scenario.py``: a returned
  return, a non-return, an extension, late returns, breaches).
- Every report, monthly and quarterly, and every pack, is read back from its
  page (HTML parsed) and its workbook (openpyxl): the headline, the
  paragraphs and every table's cells are exactly the ones checked, so no
  figure of the page or the workbook contradicts its table either.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from reports.html import render_html, shown
from reports.model import Report, Table
from reports.previous_quarter import signed
from reports.run import QuarterlyReports, monthly_reports, quarterly_reports
from reports.xlsx import cell_value, summary_sheet_name, text_cell, xlsx_bytes
from tasks.pi.rules import two_decimals
from tests.factories.meetings import action, meeting
from tests.factories.programmes import programme
from tests.factories.qafs import agreed_grade, qaf_return
from tests.factories.sessions import sqlite_session, utc
from tests.reports import scenario
from tests.reports.scan import page_parts, read_csv_text

AS_AT_DATES = (date(2025, 10, 4), scenario.AS_AT, date(2025, 11, 3), date(2025, 11, 20))


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    for session in sqlite_session():
        scenario.build(session)
        action(session, "PR1", "SV101", "Fix the fire doors", date(2025, 8, 1))
        action(session, "PR3", "", "Review every support plan", date(2025, 12, 1))
        meeting(session, "PR1", date(2026, 3, 20))
        qaf_return(session, "PR1", "SV101;SV102", utc(2025, 9, 1), claimed_c1_4="D")
        agreed_grade(session, "PR1", "SV101;SV102", "C1.4", "D", date(2025, 9, 10))
        yield session


@pytest.fixture(scope="module")
def quarters(session: Session) -> list[QuarterlyReports]:
    return [quarterly_reports(session, programme(), "2025/26", "Q2", as_at) for as_at in AS_AT_DATES] + [
        quarterly_reports(session, programme(), "2025/26", "Q1")
    ]


def numbers(text: str, pattern: str) -> tuple[int, ...]:
    found = re.search(pattern, text)
    assert found is not None, (pattern, text)
    return tuple(int(n) for n in found.groups())


def of_kind(built: QuarterlyReports, kind: str) -> Report:
    return next(r for r in built.reports if r.kind == kind)


def count(rows: Any, **match: Any) -> int:
    return sum(1 for r in rows if all(r.get(k) == v for k, v in match.items()))


# The PI management report ------------------------------------------------------------------------


def check_pi_management(report: Report) -> None:
    services = report.table("Services").rows
    completeness = report.table("Completeness").rows
    total, accepted, returned, missing = numbers(
        report.headline[0],
        r"^(\d+) services had a return for [^:]+: (\d+) accepted \([\d.]+%\), (\d+) returned for "
        r"correction, (\d+) not received",
    )
    assert report.sections[0].paragraphs[0] == report.headline[0]
    extended = [r for r in services if r["status"].startswith("extended to")]
    running = re.search(r", (\d+) with an extension still running", report.headline[0])
    assert (int(running.group(1)) if running else 0) == len(extended)
    waiting = re.search(r", (\d+) not yet due", report.headline[0])
    assert (int(waiting.group(1)) if waiting else 0) == count(services, status="not yet due")
    assert sum(r["not_yet_due"] for r in completeness) == count(services, status="not yet due")
    assert f"({two_decimals(100 * accepted / total)}%)" in report.headline[0]
    for key, status, figure in (
        ("services", None, total),
        ("accepted", "accepted", accepted),
        ("returned", "returned", returned),
        ("not_received", "not received", missing),
        ("extended", None, len(extended)),
    ):
        assert sum(r[key] for r in completeness) == figure, key
        if status:
            assert count(services, status=status) == figure, status
    assert total == len(services)
    by_provider = Counter(r["provider_id"] for r in services)
    assert {r["provider_id"]: r["services"] for r in completeness} == dict(by_provider)
    check_pi_summary(report)
    check_groups(report)
    if missing:
        no_return = [r for r in services if r["status"] == "not received"]
        assert numbers(
            " ".join(report.headline), r"(\d+) services? of (\d+) providers? sent no return by the deadline"
        ) == (len(no_return), len({r["provider_id"] for r in no_return}))
    else:
        assert "sent no return" not in " ".join(report.headline)


def check_pi_summary(report: Report) -> None:
    """The summary's counts from the services table; the headline's PIs from the summary."""
    summary = report.table("PI summary").rows
    services = report.table("Services").rows
    breaches = report.table("Breaches").rows
    for row in summary:
        key, trigger = row["pi"].lower(), row["trigger"]
        valued = [r for r in services if r[key] is not None]
        assert row["with_value"] == len(valued)
        assert row["breaching"] == sum(r[key] < trigger for r in valued) == count(breaches, pi=row["pi"])
        assert row["breaching_change"] == (
            None if row["breaching_before"] is None else row["breaching"] - row["breaching_before"]
        )
    headline = " ".join(report.headline)
    below = [r for r in summary if r["pooled_breach"] == "Yes"]
    for row in below:
        assert row["pooled"] < row["trigger"]
        assert (
            f"{row['pi']} {row['name']} {two_decimals(row['pooled'])}% (trigger {row['trigger']:g})"
            in headline
        )
    if not below:
        assert "Every PI pooled across all services is at or above its trigger." in headline
    breached = sorted((r for r in summary if r["breaching"]), key=lambda r: (-r["breaching"], r["pi"]))
    for row in breached[:3]:
        moved = "" if row["breaching_change"] is None else f", {signed(row['breaching_change'])} on"
        if row["breaching_change"] == 0:
            moved = ", as in"
        assert f"{row['pi']} {row['name']} {row['breaching']}{moved}" in headline
    if not breached:
        assert "No accepted return breached a trigger." in headline
    codes = {(r["service_id"], code) for r in services for code in r["breach_codes"].split(";") if code}
    assert codes == {(r["service_id"], r["pi"]) for r in breaches}
    for row in summary:  # the trend's last two quarters are the summary's figures
        *_, before, now = report.table(f"Trend {row['pi']}").rows
        assert (now["all"], now["services"], now["trigger"]) == (
            row["pooled"],
            row["with_value"],
            row["trigger"],
        )
        assert before["all"] == row["pooled_before"]


def check_groups(report: Report) -> None:
    """Each grid row counted from the services; its values those of the pooling table; no empty group."""
    services = report.table("Services").rows
    triggers = {r["pi"].lower(): r["trigger"] for r in report.table("PI summary").rows}
    for grid, detail, attribute in (
        ("By client group", "Client group pooling", "client_group"),
        ("By service type", "Service type pooling", "service_type"),
    ):
        pooled = {(r["group"], r["pi"].lower()): r["value"] for r in report.table(detail).rows}
        rows = report.table(grid).rows
        assert {r["group"] for r in rows} == {group for group, _ in pooled}  # empty groups left out
        for row in rows:
            members = [r for r in services if r[attribute] == row["group"]]
            assert row["services"] == len(members)
            assert row["accepted"] == count(members, status="accepted")
            assert row["breaching"] == sum(
                any(r[pi] is not None and r[pi] < triggers[pi] for pi in triggers) for r in members
            )
            for pi in triggers:
                assert row[pi] == pooled.get((row["group"], pi)), (grid, row["group"], pi)
                if row[pi] is not None and row[f"{pi}_before"] is not None:
                    assert row[f"{pi}_change"] == pytest.approx(row[pi] - row[f"{pi}_before"])


# Late and non-returns, the national extract -------------------------------------------------------


def check_late_returns(report: Report, pi_report: Report) -> None:
    quarter = report.table("Quarter by provider").rows
    ytd = report.table("Year to date by provider").rows
    non_returns, late, due = numbers(
        report.headline[0], r": (\d+) non-returns and (\d+) late returns of (\d+) due"
    )
    assert (non_returns, late, due) == tuple(
        sum(r[k] for r in quarter) for k in ("non_returns", "late", "due")
    )
    assert non_returns == count(pi_report.table("Services").rows, status="not received")
    year = numbers(report.headline[-1], r"^Year to date: (\d+) non-returns and (\d+) late returns\.$")
    assert year == (sum(r["non_returns"] for r in ytd), sum(r["late"] for r in ytd))
    detail = report.table("Detail").rows
    assert year == (count(detail, outcome="non-return"), count(detail, outcome="late"))
    most = report.table("Quarter most late").rows
    assert [r["provider_id"] for r in most] == [
        r["provider_id"]
        for r in sorted(
            (r for r in quarter if r["total"]),
            key=lambda r: (-r["total"], -r["non_returns"], r["provider_id"]),
        )
    ]
    worst = re.search(r"Most late or missing this quarter: (.+)\.$", " ".join(report.headline[1:-1]))
    assert (worst is not None) == bool(most)
    if worst:
        named = re.findall(r"\((PR\d+)\) (\d+)", worst.group(1))
        totals = {r["provider_id"]: r["total"] for r in quarter}
        assert all(totals.get(provider) == int(n) for provider, n in named) and len(named) == min(
            3, len(most)
        )
    extended = {
        r["service_id"] for r in pi_report.table("Services").rows if r["status"].startswith("extended")
    }
    quarter_label = report.period_label.split()[0]
    assert not any(
        r["service_id"] in extended and r["quarter"] == quarter_label and r["outcome"] == "non-return"
        for r in detail
    )


def check_national_extract(report: Report, pi_report: Report) -> None:
    rows = report.table("Extract").rows
    listed, left_out = numbers(report.headline[0], r"^(\d+) services have .* extract; (\d+) services")
    services = pi_report.table("Services").rows
    assert (listed, left_out) == (len(rows), len(services) - len(rows))
    assert listed == count(services, status="accepted")
    ((_, text),) = report.extra.items()
    assert [r["service_id"] for r in read_csv_text(text)] == [r["service_id"] for r in rows]
    assert all(r["source_file"] and r["received_at"] for r in rows)  # traceable to its return
    assert [c.key for c in report.table("Extract").columns][-2:] == ["source_file", "received_at"]


# The providers' packs ----------------------------------------------------------------------------


def check_pack(pack: Report) -> None:
    headline = " ".join(pack.headline)
    priorities = Counter(r["priority"] for r in pack.table("Services").rows)
    if priorities["RED"] or priorities["AMBER"]:
        red = re.search(r"(\d+) services? RED", headline)
        amber = re.search(r"(\d+) services? AMBER", headline)
        assert (int(red.group(1)) if red else 0, int(amber.group(1)) if amber else 0) == (
            priorities["RED"],
            priorities["AMBER"],
        )
    else:
        assert "Every service is GREEN" in headline
    clauses = pack.table("Clause risks").rows
    high = re.search(r"High risk: ([^.]+)\.", headline)
    assert (len(high.group(1).split("; ")) if high else 0) == count(clauses, level="High")
    medium = re.search(r"Medium risk: .* \((\d+) clauses?\)\.", headline)
    assert (int(medium.group(1)) if medium else 0) == count(clauses, level="Medium")
    latest = [t.rows[-1] for t in pack.tables() if t.sheet.endswith(" PIs")]
    breaching = re.search(r"Below a trigger in [^:]+: (.+?)\.(?: |$)", headline)
    assert (breaching.group(1).count("(") if breaching else 0) == sum(1 for r in latest if r["breaches"])
    for word, status in (("returned for correction", "returned"), ("not received", "not received")):
        found = re.search(rf"(\d+) returns? for \S+ \S+ {word}", headline)
        assert (int(found.group(1)) if found else 0) == count(latest, status=status), word
    actions = pack.table("Open actions").rows
    overdue = re.search(r"(\d+) actions? past its target date", headline)
    assert (int(overdue.group(1)) if overdue else 0) == sum(1 for r in actions if r["days_overdue"])


def test_every_quarterly_summary_figure_agrees_with_its_table(quarters: list[QuarterlyReports]) -> None:
    for built in quarters:
        pi_report = of_kind(built, "pi-management")
        check_pi_management(pi_report)
        check_late_returns(of_kind(built, "late-returns"), pi_report)
        check_national_extract(of_kind(built, "national-extract"), pi_report)
        assert len(built.packs) == len({r["provider_id"] for r in pi_report.table("Services").rows})
        for pack in built.packs:
            check_pack(pack)


def test_the_checks_see_every_kind_of_figure(quarters: list[QuarterlyReports]) -> None:
    """The as-at dates give the checks something to count: not received, extended, late, breaches."""
    statuses = Counter(
        r["status"] for built in quarters for r in of_kind(built, "pi-management").table("Services").rows
    )
    assert statuses["not received"] and statuses["returned"] and statuses["not yet due"]
    assert any(status.startswith("extended to") for status in statuses)
    headlines = " ".join(s for built in quarters for r in (*built.reports, *built.packs) for s in r.headline)
    for phrase in ("High risk:", "Below a trigger in", "past its target date", "sent no return"):
        assert phrase in headlines, phrase


# Every report as written: the page and the workbook ----------------------------------------------


def check_page(report: Report) -> None:
    """The page shows the model's headline, paragraphs and every table's cells, nothing else."""
    headline, sections = page_parts(render_html(report))
    assert headline == list(report.headline)
    assert [s["paragraphs"] for s in sections] == [list(s.paragraphs) for s in report.sections]
    for section, read in zip(report.sections, sections, strict=True):
        tables = [t for t in section.tables if t.rows]  # an empty table is a sentence, not a table
        assert [rows[0] for rows in read["tables"]] == [[c.label for c in t.columns] for t in tables]
        for table, rows in zip(tables, read["tables"], strict=True):
            assert rows[1:] == [[shown(c, r.get(c.key)) for c in table.columns] for r in table.rows]


def _as_read(value: Any) -> Any:
    """A cell's value as read back: a date is a datetime at midnight; a figure to Excel's 15 digits."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, float):
        return pytest.approx(value, rel=1e-13)
    return value


def check_workbook(report: Report) -> None:
    """The workbook's Summary sheet holds the headline; each table's sheet exactly its cells."""
    workbook = load_workbook(io.BytesIO(xlsx_bytes(report)))
    if report.headline:
        summary = [c.value for c in workbook[summary_sheet_name(report)]["A"]]
        assert [text_cell(s) for s in report.headline] == summary[4 : 4 + len(report.headline)]
    table: Table
    for table in report.tables():
        rows = list(workbook[table.sheet].iter_rows(values_only=True))
        assert list(rows[0]) == [c.label for c in table.columns]
        expected = [[_as_read(cell_value(c, r.get(c.key))) for c in table.columns] for r in table.rows]
        assert [list(r) for r in rows[1 : 1 + len(table.rows)]] == expected, table.sheet


def test_every_report_reads_the_same_on_its_page_and_in_its_workbook(
    session: Session, quarters: list[QuarterlyReports]
) -> None:
    built = quarters[1]
    monthly = [
        *monthly_reports(session, programme(), date(2025, 10, 1)),
        *monthly_reports(session, programme(), date(2025, 11, 1)),
    ]
    for report in (*built.reports, *built.packs, *monthly):
        check_page(report)
        check_workbook(report)


def test_every_pi_breach_and_extract_row_names_its_return(quarters: list[QuarterlyReports]) -> None:
    """Traceable figures: the source file and received time (UTC) beside every figure of a return."""
    built = quarters[1]
    traced = [
        of_kind(built, "pi-management").table("Services"),
        of_kind(built, "pi-management").table("Breaches"),
        of_kind(built, "national-extract").table("Extract"),
        *(t for pack in built.packs for t in pack.tables() if t.sheet.endswith(" PIs")),
    ]
    pi_keys = {"kpi1", "kpi2", "spi1", "spi2", "spi3", "spi4", "value"}
    with_figures = []
    for table in traced:
        assert [c.key for c in table.columns][-2:] == ["source_file", "received_at"], table.sheet
        with_figures += [r for r in table.rows if any(r.get(k) is not None for k in pi_keys)]
    assert len(with_figures) > 10
    for row in with_figures:
        assert row["source_file"].endswith(".xlsx") and isinstance(row["received_at"], datetime), row
