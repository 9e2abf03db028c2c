"""The reports of real corpora: the project-made corpus (``tests/corpus``) and the demo authority.

Both are ingested in-process with the flow's own functions, then every report
is published. The figures are checked against sources the reports never
used (the register the corpus's cases say, with PIs worked out by hand from
the figures its generator typed in) or recomputed here by hand from the raw
counts; every workbook is scanned for formulas, every pack for other
providers' services.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from foundation.db import session_scope
from reports.publish import read_manifest
from reports.run import PACKS_KIND, publish_monthly, publish_quarterly
from tasks.calendar.dates import days_in_quarter
from tests.corpus.build import Corpus, expected_register
from tests.reports.corpus import corpus_database, demo_database
from tests.reports.scan import (
    MONTHLY_KINDS,
    QUARTERLY_KINDS,
    SERVICE_ID,
    csv_formula_fields,
    formula_cells,
    html_text,
    known_kinds,
    sheet_rows,
    workbook_text,
)

YEAR = "2025/26"
ALL_RECEIVED = date(2026, 3, 31)  # everything in the corpus received by then


@dataclass(frozen=True)
class Published:
    """A corpus's published reports folder and its contracts of 2025/26."""

    reports: Path
    services_of: dict[str, set[str]]  # provider -> its services
    contracts: dict[str, dict[str, str]]  # service -> contract row

    def file(self, kind: str, period: str, as_at: str, suffix: str, provider: str = "") -> Path:
        entry = next(
            e
            for e in read_manifest(self.reports)
            if (e["kind"], e["period"], e["as_at"]) == (kind, period, as_at)
        )
        names = [f["path"] for f in entry["files"] if f["name"].endswith(suffix) and provider in f["name"]]
        assert len(names) == 1, names
        return self.reports / names[0]


def _contracts(rows: list[dict[str, Any]]) -> tuple[dict[str, set[str]], dict[str, dict[str, str]]]:
    services_of: dict[str, set[str]] = defaultdict(set)
    contracts = {}
    for row in rows:
        if row["year"] == YEAR:
            services_of[str(row["provider_id"])].add(str(row["service_id"]))
            contracts[str(row["service_id"])] = {k: str(v) for k, v in row.items()}
    return dict(services_of), contracts


@pytest.fixture(scope="module")
def corpus_published(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Iterator[Published]:
    work = tmp_path_factory.mktemp("corpus-reports")
    url, programme = corpus_database(corpus.root, work / "db")
    reports = work / "reports"
    with session_scope(url) as session:
        for month in (date(2025, 7, 1), date(2025, 10, 1), date(2026, 2, 1)):
            publish_monthly(session, programme, reports, month)
        for quarter in ("Q1", "Q2", "Q3"):
            publish_quarterly(session, programme, reports, YEAR, quarter)
        publish_quarterly(session, programme, reports, YEAR, "Q2", as_at=ALL_RECEIVED)
    with (corpus.root / "contracts.csv").open(newline="", encoding="utf-8") as handle:
        services_of, contracts = _contracts(list(csv.DictReader(handle)))
    yield Published(reports, services_of, contracts)


@pytest.fixture(scope="module")
def demo_published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    work = tmp_path_factory.mktemp("demo")
    url, programme, _ = demo_database(work / "db")
    reports = work / "reports"
    with session_scope(url) as session:
        for month in (date(2025, 7, 1), date(2025, 8, 1), date(2025, 10, 1), date(2025, 11, 1)):
            publish_monthly(session, programme, reports, month)
        for quarter in ("Q1", "Q2"):
            publish_quarterly(session, programme, reports, YEAR, quarter)
    from spmon.sample_data import demo_contracts

    services_of, contracts = _contracts([c.model_dump() for c in demo_contracts(YEAR, seed=1)])
    yield Published(reports, services_of, contracts)


@pytest.fixture(params=["corpus", "demo"])
def published(request: pytest.FixtureRequest) -> Published:
    found: Published = request.getfixturevalue(f"{request.param}_published")
    return found


# Every corpus ------------------------------------------------------------------------------------


def test_every_report_exists_in_both_formats(published: Published) -> None:
    entries = read_manifest(published.reports)
    assert known_kinds({e["kind"] for e in entries}, MONTHLY_KINDS | QUARTERLY_KINDS)
    for entry in entries:
        names = [f["name"] for f in entry["files"]]
        stems = {Path(n).stem for n in names}
        for stem in stems:
            assert {f"{stem}.xlsx", f"{stem}.html"} <= set(names), (entry["kind"], names)
        for file in entry["files"]:
            assert (published.reports / file["path"]).stat().st_size > 0


def test_no_formula_cell_in_any_workbook_or_csv(published: Published) -> None:
    workbooks = list(published.reports.rglob("*.xlsx"))
    assert workbooks
    for path in workbooks:
        assert formula_cells(path) == [], path.name
    for path in published.reports.rglob("*.csv"):
        assert csv_formula_fields(path) == [], path.name
    assert not [p for p in published.reports.rglob("*") if p.name.endswith(".tmp")]


def test_every_pack_holds_only_its_providers_service_ids(published: Published) -> None:
    entries = [e for e in read_manifest(published.reports) if e["kind"] == PACKS_KIND]
    assert entries
    all_services = set().union(*published.services_of.values())
    for entry in entries:
        providers = set()
        for file in entry["files"]:
            path = published.reports / file["path"]
            provider = next(p for p in published.services_of if file["name"].startswith(f"pack-{p}-"))
            providers.add(provider)
            text = workbook_text(path) if path.suffix == ".xlsx" else html_text(path)
            found = set(SERVICE_ID.findall(text))
            assert found == published.services_of[provider], (file["name"], found)
            assert not (found & (all_services - published.services_of[provider]))
            for other in set(published.services_of) - {provider}:
                assert other not in text, (file["name"], other)
        assert providers == set(published.services_of)


def _hand_pooled_spi2(rows: list[dict[str, str]]) -> float:
    """SPI2 pooled by hand from the extract's raw counts (pi-rules.md formulas)."""
    numerator = denominator = 0.0
    for row in rows:
        if not row["spi2"]:
            continue
        unit_days = float(row["units"]) * days_in_quarter(row["year"], row["quarter"])
        if row["service_type"] == "Accommodation based":
            numerator += float(row["unit_days_occupied"])
            denominator += unit_days - float(row["unit_days_unavailable"])
        else:
            numerator += float(row["service_user_days"])
            denominator += unit_days
    return 100 * numerator / denominator


def _extract_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _check_pooled(published: Published, period: str, as_at: str) -> None:
    extract = _extract_rows(published.file("national-extract", period, as_at, ".csv"))
    assert extract
    workbook = published.file("pi-management", period, as_at, ".xlsx")
    summary = {r["PI"]: r for r in sheet_rows(workbook, "PI summary")}
    assert summary["SPI2"]["Pooled value"] == pytest.approx(_hand_pooled_spi2(extract))
    assert summary["SPI2"]["Services with a value"] == sum(1 for r in extract if r["spi2"])
    for pi in ("KPI1", "KPI2", "SPI1", "SPI2", "SPI3", "SPI4"):
        breaching = sum(1 for r in extract if r[pi.lower()] and float(r[pi.lower()]) < summary[pi]["Trigger"])
        assert summary[pi]["Services breaching"] == breaching, pi
    by_group = defaultdict(list)
    for row in extract:
        by_group[row["client_group"]].append(row)
    groups = {r["Client group"]: r for r in sheet_rows(workbook, "By client group")}
    for group, rows in by_group.items():
        if any(r["spi2"] for r in rows):
            assert groups[group]["SPI2"] == pytest.approx(_hand_pooled_spi2(rows)), group


# The project-made corpus ---------------------------------------------------------------------------


def _expected_register() -> list[dict[str, str]]:
    return expected_register()


def test_corpus_pi_values_match_the_reference_register(corpus_published: Published) -> None:
    expected = {
        r["service_id"]: r
        for r in _expected_register()
        if (r["year"], r["quarter"], r["status"]) == (YEAR, "Q2", "accepted")
    }
    workbook = corpus_published.file("pi-management", "2025-26-Q2", ALL_RECEIVED.isoformat(), ".xlsx")
    services = {r["Service ID"]: r for r in sheet_rows(workbook, "Services")}
    accepted = {s for s, r in services.items() if r["Return"] == "accepted"}
    assert accepted == set(expected)
    assert len(accepted) >= 5
    for service_id in accepted:
        for pi in ("KPI1", "KPI2", "SPI1", "SPI2", "SPI3", "SPI4"):
            value = services[service_id][pi]
            shown = "" if value is None else f"{value:.2f}"
            assert shown == expected[service_id][pi.lower()], (service_id, pi)
        assert (services[service_id]["Breaches"] or "") == expected[service_id]["breaches"]


def test_corpus_pooled_figures_by_hand(corpus_published: Published) -> None:
    _check_pooled(corpus_published, "2025-26-Q2", ALL_RECEIVED.isoformat())
    _check_pooled(corpus_published, "2025-26-Q1", "2025-07-28")


def test_corpus_late_and_non_returns_match_the_reference_register(corpus_published: Published) -> None:
    register = _expected_register()
    received = {(r["service_id"], r["quarter"]) for r in register if r["year"] == YEAR and r["quarter"]}
    late = {(r["service_id"], r["quarter"]) for r in register if r["year"] == YEAR and r["late"] == "true"}
    ours = set(corpus_published.contracts)
    expected = {(s, q, "late") for s, q in late if s in ours} | {
        (s, q, "non-return") for s in ours for q in ("Q1", "Q2") if (s, q) not in received
    }
    workbook = corpus_published.file("late-returns", "2025-26-Q2", ALL_RECEIVED.isoformat(), ".xlsx")
    detail = {(r["Service ID"], r["Quarter"], r["Outcome"]) for r in sheet_rows(workbook, "Detail")}
    assert detail == expected
    assert ("SV00107", "Q2", "late") in detail and ("SV00108", "Q1", "late") in detail
    assert ("SV00104", "Q2", "non-return") in detail  # its Q2 file was empty
    assert not any(s == "SV00109" for s, _, _ in detail)  # in its extension
    # at the default as-at date (28 October) SV00107's return of 29 October had not come
    default = corpus_published.file("late-returns", "2025-26-Q2", "2025-10-28", ".xlsx")
    quarter = {(r["Service ID"], r["Quarter"], r["Outcome"]) for r in sheet_rows(default, "Detail")}
    assert ("SV00107", "Q2", "non-return") in quarter


def test_corpus_returns_status_of_october(corpus_published: Published) -> None:
    register = _expected_register()
    october = [r for r in register if r["received_at"].startswith("2025-10")]
    workbook = corpus_published.file("returns-status", "2025-10", "2025-10-31", ".xlsx")
    rows = sheet_rows(workbook, "Received")
    # the register shows statuses now; by 31 October nothing of October had been superseded yet
    assert sorted((r["File"], r["Quarter"] or "", r["Status"]) for r in rows) == sorted(
        (r["source_file"], r["quarter"], r["status"]) for r in october
    )


def test_corpus_national_extract_has_the_accepted_returns(corpus_published: Published) -> None:
    rows = _extract_rows(
        corpus_published.file("national-extract", "2025-26-Q2", ALL_RECEIVED.isoformat(), ".csv")
    )
    expected = {
        r["service_id"]: r
        for r in _expected_register()
        if (r["year"], r["quarter"], r["status"]) == (YEAR, "Q2", "accepted")
    }
    assert [r["service_id"] for r in rows] == sorted(expected)
    for row in rows:
        contract = corpus_published.contracts[row["service_id"]]
        assert (row["provider_id"], row["client_group"], row["service_type"]) == (
            contract["provider_id"],
            contract["client_group"],
            contract["service_type"],
        )
        for pi in ("kpi1", "kpi2", "spi1", "spi2", "spi3", "spi4"):
            assert row[pi] == expected[row["service_id"]][pi]


# The demo ----------------------------------------------------------------------------------------


def test_demo_pooled_figures_by_hand(demo_published: Published) -> None:
    for quarter, as_at in (("Q1", "2025-07-28"), ("Q2", "2025-10-28")):
        _check_pooled(demo_published, f"2025-26-{quarter}", as_at)


def test_demo_late_and_non_returns(demo_published: Published) -> None:
    workbook = demo_published.file("late-returns", "2025-26-Q2", "2025-10-28", ".xlsx")
    detail = {(r["Service ID"], r["Quarter"], r["Outcome"]) for r in sheet_rows(workbook, "Detail")}
    # the one late return of the demo (SV00108 Q1, 4 August); SV00109's Q2 is in its extension;
    # SV00104's Q2 file was empty (quarantined): nothing received
    assert ("SV00108", "Q1", "late") in detail
    assert not any(s == "SV00109" for s, _, _ in detail)
    assert ("SV00104", "Q2", "non-return") in detail
    assert sum(1 for _, _, outcome in detail if outcome == "late") == 1


def test_pages_are_self_contained(published: Published) -> None:
    for path in published.reports.rglob("*.html"):
        html = html_text(path)
        for outside in ("<script", "<link", " src=", "url(http", "@import", "<img"):
            assert outside not in html, (path.name, outside)
