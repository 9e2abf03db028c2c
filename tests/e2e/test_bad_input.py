"""Every unreadable case of the spec is quarantined with a clear message and never crashes the run."""

from __future__ import annotations

import io
import resource
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from spmon.sample_data import demo_contracts
from tests.e2e.cli import read_csv
from tests.factories.zips import padded
from tests.flows.ingest_setup import YEAR, demo_workspace, import_contracts, write_good_return

pytestmark = pytest.mark.e2e


def _good_workbook(path: Path) -> bytes:
    return write_good_return(path, demo_contracts(YEAR, count=1)[0], seed=1).read_bytes()


def _encrypted(plain: bytes) -> bytes:
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("secret", out)
    return out.getvalue()


def _zip_bomb(path: Path, plain: bytes, unpacked_mb: int) -> None:
    """A valid-looking workbook with one extra part that inflates to ``unpacked_mb`` MB."""
    path.write_bytes(padded(plain, "xl/worksheets/sheet99.xml", unpacked_mb << 20))


def _bad_files(folder: Path, good: bytes) -> dict[str, str]:
    """Write each bad file; name -> what its quarantine message must say."""
    folder.mkdir(parents=True)
    files = {
        "truncated.xlsx": (good[: len(good) // 2], "truncated"),
        "random.xlsx": (bytes(range(256)) * 40, "not an .xlsx"),
        "renamed.xlsx": (b"service_id,units\nSV00101,12\n", "not an .xlsx"),
        "encrypted.xlsx": (_encrypted(good), "encrypted"),
        "empty.xlsx": (b"", "empty"),
        "large.xlsx": (good + b"\0" * (2 * 1024 * 1024), "over the limit"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    _zip_bomb(folder / "bomb.xlsx", good, unpacked_mb=300)
    expected = {name: why for name, (_, why) in files.items()}
    expected["bomb.xlsx"] = "would unpack to"
    return expected


def test_unreadable_files_are_quarantined(tmp_path: Path, prefect_api_url: str) -> None:
    workspace = demo_workspace(tmp_path, prefect_api_url)
    good = _good_workbook(tmp_path / "good.xlsx")
    expected = _bad_files(workspace.drop, good)
    (workspace.drop / "good.xlsx").write_bytes(good)
    import_contracts(workspace, demo_contracts(YEAR, count=1))

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = workspace.run("ingest", workspace.drop, SPMON_MAX_FILE_MB="1")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kb < 700 * 1024 or peak_kb == before, f"peak memory {peak_kb / 1024:.0f} MB"

    quarantine_section = result.stdout.split("## Quarantined", 1)[1]
    for name, why in expected.items():
        line = next(line for line in quarantine_section.splitlines() if line.startswith(f"- {name}: "))
        assert why in line, line
    workspace.run("register", "export", tmp_path / "register.csv")
    rows = {row["source_file"]: row for row in read_csv(tmp_path / "register.csv")}
    for name in expected:
        assert (rows[name]["status"], rows[name]["reasons"]) == ("quarantined", "unreadable")
        assert rows[name]["service_id"] == rows[name]["quarter"] == rows[name]["late"] == ""
    assert rows["good.xlsx"]["status"] == "accepted"
    quarantined = {p.name for p in (workspace.data / "quarantine").rglob("*") if p.is_file()}
    assert quarantined == set(expected)
    assert not any(workspace.drop.iterdir())
