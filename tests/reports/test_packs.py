"""The providers' contract-management packs hold their own provider's data only."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from data_contracts.risk_tables import CLAUSES
from reports.inputs import ActionRow, ClauseRow
from reports.packs import PackInput, pack_report
from reports.publish import read_manifest
from reports.run import PACKS_KIND, publish_quarterly, quarterly_reports
from reports.xlsx import xlsx_bytes
from tests.factories.meetings import action, meeting
from tests.factories.programmes import programme
from tests.factories.qafs import agreed_grade, qaf_return
from tests.factories.sessions import sqlite_session, utc
from tests.reports import scenario
from tests.reports.scan import SERVICE_ID, formula_cells, html_text, sheet_rows, workbook_text

PROVIDER_ID = re.compile(r"\bPR\d+\b")


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def _build(session: Session) -> None:
    scenario.build(session)
    action(session, "PR1", "SV101", "Fix the fire doors", date(2025, 8, 1))
    action(session, "PR1", "SV102", "Train new staff", date(2025, 9, 1), closed=date(2025, 9, 20))
    action(session, "PR3", "", "=Review every support plan", date(2025, 12, 1))
    meeting(session, "PR1", date(2026, 3, 20))
    qaf_return(session, "PR1", "SV101;SV102", utc(2025, 9, 1), claimed_c1_4="D")
    agreed_grade(session, "PR1", "SV101;SV102", "C1.4", "D", date(2025, 9, 10))


def test_every_pack_holds_only_its_providers_service_ids(session: Session, tmp_path: Path) -> None:
    _build(session)
    publish_quarterly(session, programme(), tmp_path, "2025/26", "Q2")
    packs = next(e for e in read_manifest(tmp_path) if e["kind"] == PACKS_KIND)
    files = [tmp_path / f["path"] for f in packs["files"]]
    # with Chromium each pack is also a PDF; without it the entry says why there is none
    formats = {".xlsx", ".html"} if "note" in packs else {".xlsx", ".html", ".pdf"}
    assert len(files) == len(formats) * len(scenario.SERVICES)
    for provider_id, service_ids in scenario.SERVICES.items():
        mine = [f for f in files if f.name.startswith(f"pack-{provider_id}-")]
        assert {f.suffix for f in mine} == formats
        for path in mine:
            text = workbook_text(path) if path.suffix == ".xlsx" else html_text(path)
            assert set(SERVICE_ID.findall(text)) == set(service_ids), path.name
            assert set(PROVIDER_ID.findall(text)) == {provider_id}, path.name
            others = [
                name
                for p, name in (("PR3", scenario.PR3_NAME[1:]), ("PR1", "Provider PR1"))
                if p != provider_id
            ]
            assert not any(name in text for name in others), path.name
            if path.suffix == ".xlsx":
                assert formula_cells(path) == []


def test_a_pack_refuses_another_providers_data(session: Session) -> None:
    _build(session)
    pack = quarterly_reports(session, programme(), "2025/26", "Q2").packs[0]
    assert pack.title.endswith("(PR1)")
    built = PackInput(
        provider_id="PR1",
        provider_name="Provider PR1",
        year="2025/26",
        quarter="Q2",
        as_at=scenario.AS_AT,
        quarter_keys=(("2025/26", "Q2"),),
        quarters=(),
        triggers={},
        actions=(),
    )
    with pytest.raises(ValueError, match="SV201"):
        pack_report(
            PackInput(
                **{**built.__dict__, "clauses": (ClauseRow("SV201", "PR2", "staffing", "Low", "fine"),)}
            )
        )
    with pytest.raises(ValueError, match="all services"):
        pack_report(
            PackInput(
                **{
                    **built.__dict__,
                    "actions": (ActionRow("PR2", "", "Someone else's", "X", date(2025, 1, 1)),),
                }
            )
        )


def test_a_packs_contents(session: Session, tmp_path: Path) -> None:
    _build(session)
    publish_quarterly(session, programme(), tmp_path, "2025/26", "Q2")
    path = tmp_path / "2025-26-Q2" / "pack-PR1-2025-26-Q2-as-at-2025-10-28.xlsx"
    services = sheet_rows(path, "Services")
    assert [r["Service ID"] for r in services] == ["SV101", "SV102"]
    pis = sheet_rows(path, "SV101 PIs")
    assert [r["Quarter"] for r in pis] == ["Q3 2024/25", "Q4 2024/25", "Q1 2025/26", "Q2 2025/26"]
    assert pis[1]["SPI2"] == pytest.approx(100 * 880 / (10 * 90))  # the 2024/25 contract's return
    assert pis[3]["SPI2"] == pytest.approx(100 * 850 / 900)
    assert pis[3]["SPI2 trigger"] == 90
    assert pis[0]["Return"] == "not received"
    timeliness = sheet_rows(path, "Timeliness")
    assert [(r["Service ID"], r["Quarter"], r["Outcome"]) for r in timeliness] == [
        ("SV101", "Q3", "non-return"),  # it had a 2024/25 contract, and no return
        ("SV101", "Q4", "on time"),
        ("SV101", "Q1", "on time"),
        ("SV101", "Q2", "on time"),
        ("SV102", "Q1", "on time"),
        ("SV102", "Q2", "on time"),
    ]
    actions = sheet_rows(path, "Open actions")
    assert [(r["Action"], r["Days past target"]) for r in actions] == [
        ("Fix the fire doors", (scenario.AS_AT - date(2025, 8, 1)).days)
    ]
    grades = {
        (r["Service ID"], r["Objective"]): (r["Grade"], r["Basis"]) for r in sheet_rows(path, "QAF grades")
    }
    assert grades[("SV101", "C1.4")] == ("D", "agreed")
    assert grades[("SV102", "C1.1")] == ("C", "claimed (provisional)")
    clauses = sheet_rows(path, "Clause risks")
    assert {r["Service ID"] for r in clauses} == {"SV101", "SV102"}
    assert len(clauses) == 2 * len(CLAUSES)  # every clause of each service
    actions_clause = next(r for r in clauses if r["Service ID"] == "SV101" and r["Clause code"] == "actions")
    assert actions_clause["Level"] == "High"  # 88 days past its target date: High from 60
    assert actions_clause["Clause"] == "Improvement-plan actions"  # the words, the code beside them
    assert {r["Clause code"] for r in clauses} >= {"pi_completeness", "availability_utilisation"}
    assert not any("_" in r["Clause"] for r in clauses)
    pr3 = tmp_path / "2025-26-Q2" / "pack-PR3-2025-26-Q2-as-at-2025-10-28.xlsx"
    assert [r["Action"] for r in sheet_rows(pr3, "Open actions")] == ["'=Review every support plan"]


def test_a_packs_workbook_draws_one_small_chart_per_pi_with_its_trigger(session: Session) -> None:
    _build(session)
    pack = next(p for p in quarterly_reports(session, programme(), "2025/26", "Q2").packs if "PR1" in p.title)
    sv101 = pack.table("SV101 PIs")
    (chart,) = sv101.charts
    applicable = [c.label for c in sv101.columns if c.kind == "percent"]
    assert len(chart.pairs()) == len(applicable) >= 4 and all(trigger for _, trigger in chart.pairs())
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(pack))) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    panels = sum(len(c.pairs()) for t in pack.tables() for c in t.charts)
    assert len(charts) == panels
    assert all(xml.count("<ser>") == 2 and 'min val="0"' in xml for xml in charts)


def test_a_pack_says_extended_to_while_an_extension_runs(session: Session) -> None:
    scenario.build(session)  # SV302's Q2 is extended to 7 November; its file comes on 24 October
    built = quarterly_reports(session, programme(), "2025/26", "Q2", as_at=date(2025, 10, 22))
    pr3 = next(p for p in built.packs if p.title.endswith("(PR3)"))
    assert pr3.table("SV302 PIs").rows[-1]["status"] == "extended to 2025-11-07"
    assert pr3.table("SV301 PIs").rows[-1]["status"] == "not received"  # its deadline has passed
