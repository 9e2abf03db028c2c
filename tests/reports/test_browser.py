"""The pages render in a real browser (headless Chromium) with their charts, offline.

Skipped when Chromium is not installed, unless SPMON_REQUIRE_BROWSER=1 (as in CI),
where it fails instead. Debian's ``chromium`` package puts it in /usr/bin.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import Session

from reports.publish import read_manifest
from reports.run import publish_quarterly
from tests.factories.programmes import programme
from tests.factories.sessions import sqlite_session
from tests.reports import scenario

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
TRIGGER_RED = (0xC0, 0x00, 0x00)


@pytest.fixture(scope="module")
def chromium() -> Path:
    found = CHROMIUM if CHROMIUM.exists() else Path(shutil.which("chromium") or "/nonexistent")
    if not found.exists():
        if os.environ.get("SPMON_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (SPMON_REQUIRE_BROWSER=1) but /usr/bin/chromium is missing")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return found


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def _run(chromium: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(chromium), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )


def _page(reports: Path, kind: str) -> Path:
    entry = next(e for e in read_manifest(reports) if e["kind"] == kind)
    return reports / next(f["path"] for f in entry["files"] if f["name"].endswith(".html"))


def test_the_pi_management_page_renders_its_charts(chromium: Path, session: Session, tmp_path: Path) -> None:
    scenario.build(session)
    reports = tmp_path / "reports"
    publish_quarterly(session, programme(), reports, "2025/26", "Q2")
    page = _page(reports, "pi-management")

    dom = _run(chromium, tmp_path / "profile", "--dump-dom", page.as_uri()).stdout
    svgs = re.findall(r"<svg\b.*?</svg>", dom, flags=re.DOTALL)
    assert len(svgs) == 7  # services breaching each PI, and the six trend charts
    for svg in svgs:
        assert "<path" in svg and "<text" in svg
    assert "KPI1 Independent living" in dom and "Utilisation" in dom
    assert "<table" in dom and "SV102" in dom

    shot = tmp_path / "page.png"
    _run(chromium, tmp_path / "profile", "--window-size=1280,7000", f"--screenshot={shot}", page.as_uri())
    image = Image.open(shot).convert("RGB")
    colours: list[tuple[int, tuple[int, int, int]]] = image.getcolors(maxcolors=1 << 20) or []  # type: ignore[assignment]
    assert len(colours) > 50  # text, tables and charts, not a blank page
    near_red = sum(count for count, (r, g, b) in colours if r > 170 and g < 40 and b < 40)
    assert near_red > 200  # the dashed trigger lines of the trend charts were drawn


def test_a_pack_and_the_index_render(chromium: Path, session: Session, tmp_path: Path) -> None:
    scenario.build(session)
    reports = tmp_path / "reports"
    publish_quarterly(session, programme(), reports, "2025/26", "Q2")
    pack = next(p for p in (reports / "2025-26-Q2").glob("pack-PR1-*.html"))
    dom = _run(chromium, tmp_path / "profile", "--dump-dom", pack.as_uri()).stdout
    assert len(re.findall(r"<svg\b", dom)) == 2  # one chart per service
    index = _run(chromium, tmp_path / "profile", "--dump-dom", (reports / "index.html").as_uri()).stdout
    assert index.count("<a href=") == len([f for e in read_manifest(reports) for f in e["files"]])
