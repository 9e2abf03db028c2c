"""Publishing removes only files under the reports folder, whatever an edited manifest lists."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from reports.publish import MANIFEST, Publication, ReportFile, publish

WHEN = datetime(2025, 11, 3, 7, 0, tzinfo=UTC)


def test_a_manifest_path_outside_the_reports_folder_is_never_removed(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    outside = tmp_path / "precious.txt"
    outside.write_text("keep", encoding="utf-8")
    publication = Publication("x", "X", "2025-10", date(2025, 10, 31), (ReportFile("x.html", b"one"),))
    publish(reports, publication, WHEN)
    entries = json.loads((reports / MANIFEST).read_text(encoding="utf-8"))
    entries[0]["files"].append({"name": "precious.txt", "path": "../precious.txt", "sha256": ""})
    entries[0]["files"].append({"name": "abs", "path": str(outside), "sha256": ""})
    (reports / MANIFEST).write_text(json.dumps(entries), encoding="utf-8")
    publish(reports, publication, WHEN)
    assert outside.read_text(encoding="utf-8") == "keep"
    assert (reports / "2025-10" / "x.html").read_bytes() == b"one"
