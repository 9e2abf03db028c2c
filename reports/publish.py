"""Publishing reports under the reports folder (``reports.md``, Formats and publishing).

- A report's files go to ``<reports>/<period>/`` (``2025-10/``,
  ``2025-26-Q2/``), each written under a temporary name (``.<name>.tmp``) and
  renamed when complete, so nobody opens a half-written file.
- ``<reports>/manifest.json`` lists every published report:
  ``[{kind, title, period, as_at, created, files: [{name, path, sha256}]}]``
  (``path`` relative to the reports folder), ordered by period, kind and
  as-at date. Publishing the same kind, period and as-at date again replaces
  its entry (and removes its files that the new publication no longer has).
- ``<reports>/index.html`` lists the same, newest period first (by the
  period's last day, so October comes before Q2 that ended in September),
  with links; the SHA-256 of each file is folded away under "Checksums".
- The files' content depends only on the report (period, as-at date, data);
  the created time is in the manifest and the index only.

Publications are serialised by a lock file in the reports folder, so two
runs never lose each other's manifest entries.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import multiprocessing
import os
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from foundation.settings import get_settings
from reports.html import render_html
from reports.model import Report
from reports.pdf import PdfUnavailable, pdfs_of
from reports.periods import last_of_month, month_label
from reports.templating import environment
from reports.xlsx import xlsx_bytes

MANIFEST = "manifest.json"
INDEX = "index.html"
_LOCK = ".publish.lock"


@dataclass(frozen=True)
class ReportFile:
    """One file of a publication: its name and bytes."""

    name: str
    content: bytes

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of its bytes."""
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class Publication:
    """What one manifest entry publishes: a kind of report for a period and as-at date, and its files."""

    kind: str
    title: str
    period: str
    as_at: date
    files: tuple[ReportFile, ...]
    note: str = ""  # shown in the index and kept in the manifest (e.g. why the packs have no PDF)


def report_files(report: Report) -> tuple[ReportFile, ...]:
    """A report's files: the workbook, the page, and any further file (the national extract CSV)."""
    stem = report.file_stem
    files = [
        ReportFile(f"{stem}.xlsx", xlsx_bytes(report)),
        ReportFile(f"{stem}.html", render_html(report).encode("utf-8")),
    ]
    files += [ReportFile(name, text.encode("utf-8")) for name, text in sorted(report.extra.items())]
    return tuple(files)


_PENDING: Sequence[Report] = ()  # the reports a forked worker renders (inherited, never pickled)
_PDF_KINDS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rendered:
    """Every report's files in order, and why PDFs are missing ("" when every PDF asked for was made)."""

    files: list[tuple[ReportFile, ...]]
    pdf_problem: str = ""


def _render_chunk(bounds: tuple[int, int]) -> tuple[list[tuple[ReportFile, ...]], str]:
    """Render reports[first:last] (this process's share); print the PDFs asked for with one browser."""
    first, last = bounds
    files = [report_files(report) for report in _PENDING[first:last]]
    wanted = [n for n, report in enumerate(_PENDING[first:last]) if report.kind in _PDF_KINDS]
    if not wanted:
        return files, ""
    pages = [next(f.content for f in files[n] if f.name.endswith(".html")).decode("utf-8") for n in wanted]
    try:
        pdfs = pdfs_of(pages, _PENDING[first].as_at)
    except PdfUnavailable as problem:
        return files, str(problem)
    for n, pdf in zip(wanted, pdfs, strict=True):
        files[n] = (*files[n], ReportFile(f"{_PENDING[first + n].file_stem}.pdf", pdf))
    return files, ""


SHARES_A_WORKER = 8  # without PDFs, the reports are rendered in this many shares a worker


def report_workers() -> int:
    """Processes that render reports: ``SPMON_REPORT_WORKERS``, else the usable CPUs (4 at most)."""
    configured = get_settings().report_workers
    if configured:
        return configured
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))


def render_all(
    reports: Sequence[Report], workers: int | None = None, pdf_kinds: Sequence[str] = ()
) -> Rendered:
    """Every report's files, in the reports' order; rendered by forked workers when there are several.

    The reports are built (gathered) once, in this process; each worker is a
    fork of it, so it reads them without a copy being sent or a second copy
    made up front (pages are shared until written), renders a contiguous
    share of them and, for reports of ``pdf_kinds``, prints their pages to
    PDF with its own browser (``reports.pdf``). The bytes do not depend on
    which process rendered them. Without PDFs the shares are small and
    handed out as workers free up (:data:`SHARES_A_WORKER`), so one large
    report (the PI management report) does not leave a worker behind; with
    PDFs each worker takes one share and starts one browser. Where ``fork``
    is not available (or one worker is asked for), everything is done here.
    When any PDF cannot be made, none is published and ``pdf_problem`` says why.
    """
    global _PENDING, _PDF_KINDS  # noqa: PLW0603 - what the forked workers read
    workers = report_workers() if workers is None else workers
    workers = max(1, min(workers, len(reports)))
    if "fork" not in multiprocessing.get_all_start_methods():
        workers = 1
    size = -(-len(reports) // (workers if pdf_kinds or workers == 1 else workers * SHARES_A_WORKER)) or 1
    shares = [(first, min(len(reports), first + size)) for first in range(0, len(reports), size)]
    _PENDING, _PDF_KINDS = reports, frozenset(pdf_kinds)
    try:
        if workers == 1:
            results = [_render_chunk(share) for share in shares]
        else:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.map(_render_chunk, shares, chunksize=1)
    finally:
        _PENDING, _PDF_KINDS = (), frozenset()
    files = [held for chunk, _ in results for held in chunk]
    problems = sorted({problem for _, problem in results if problem})
    if problems:  # all or none: drop the PDFs some workers made
        files = [tuple(f for f in held if not f.name.endswith(".pdf")) for held in files]
    return Rendered(files, "; ".join(problems))


def publication_of(
    reports: Sequence[Report],
    kind: str | None = None,
    title: str | None = None,
    rendered: Sequence[tuple[ReportFile, ...]] | None = None,
    note: str = "",
) -> Publication:
    """One publication of one report, or of several of one period and as-at date (the providers' packs).

    ``rendered``: the reports' files when already rendered (``render_all``), in the same order.
    """
    if not reports:
        raise ValueError("nothing to publish")
    first = reports[0]
    if any((r.period, r.as_at) != (first.period, first.as_at) for r in reports):
        raise ValueError("a publication's reports share one period and as-at date")
    if rendered is None:
        rendered = [report_files(report) for report in reports]
    files = tuple(file for held in rendered for file in held)
    names = [f.name for f in files]
    if len(set(names)) != len(names):
        raise ValueError(f"repeated file names in one publication: {names}")
    return Publication(kind or first.kind, title or first.title, first.period, first.as_at, files, note)


@contextmanager
def publishing_lock(reports_dir: Path) -> Iterator[None]:
    """Hold the reports folder's lock (one publisher at a time)."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    with (reports_dir / _LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_bytes_atomically(path: Path, content: bytes) -> None:
    """Write under a temporary name in the same folder, then rename into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        with suppress(FileNotFoundError):
            temporary.unlink()


WRITERS = 8  # files written (and flushed to disk) at once: each waits on the disk, not the CPU


def write_all_atomically(files: Sequence[tuple[Path, bytes]]) -> None:
    """Each file written as :func:`write_bytes_atomically` does, several at once.

    A publication of 500 packs has 1,500 files; flushing each to disk one
    after the other cost about 4 ms a file here, a few at once about 1.5 ms.
    The first error is raised once every write has ended (no temporary file
    is left either way).
    """
    if len(files) <= 1:
        for path, content in files:
            write_bytes_atomically(path, content)
        return
    with ThreadPoolExecutor(max_workers=min(WRITERS, len(files))) as pool:
        for future in [pool.submit(write_bytes_atomically, path, content) for path, content in files]:
            future.result()


def utc_now_text(now: datetime | None = None) -> str:
    """``2025-11-03T07:00:00Z``."""
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_manifest(reports_dir: Path) -> list[dict[str, Any]]:
    """The manifest's entries (none when nothing was published yet)."""
    path = reports_dir / MANIFEST
    if not path.exists():
        return []
    entries = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(entries, list):
        raise ValueError(f"{path}: not a list of reports")
    return entries


def _entry_key(entry: dict[str, Any]) -> tuple[str, str, str]:
    return (str(entry["kind"]), str(entry["period"]), str(entry["as_at"]))


def publish(reports_dir: Path, publication: Publication, now: datetime | None = None) -> dict[str, Any]:
    """Write the publication's files, then its manifest entry and the index; the entry."""
    reports_dir = reports_dir.absolute()
    folder = reports_dir / publication.period
    entry: dict[str, Any] = {
        "kind": publication.kind,
        "title": publication.title,
        "period": publication.period,
        "as_at": publication.as_at.isoformat(),
        "created": utc_now_text(now),
        "files": [
            {"name": f.name, "path": f"{publication.period}/{f.name}", "sha256": f.sha256}
            for f in publication.files
        ],
    }
    if publication.note:
        entry["note"] = publication.note
    with publishing_lock(reports_dir):
        write_all_atomically([(folder / file.name, file.content) for file in publication.files])
        entries = read_manifest(reports_dir)
        replaced = [e for e in entries if _entry_key(e) == _entry_key(entry)]
        kept = [e for e in entries if _entry_key(e) != _entry_key(entry)]
        _remove_dropped_files(reports_dir, replaced, kept, entry)
        entries = sorted([*kept, entry], key=_entry_key)
        write_bytes_atomically(reports_dir / MANIFEST, manifest_text(entries).encode("utf-8"))
        write_bytes_atomically(reports_dir / INDEX, render_index(entries).encode("utf-8"))
    return entry


def _remove_dropped_files(
    reports_dir: Path, replaced: list[dict[str, Any]], kept: list[dict[str, Any]], entry: dict[str, Any]
) -> None:
    """Files of a replaced entry that neither the new entry nor another entry lists."""
    still = {f["path"] for e in [*kept, entry] for f in e["files"]}
    for old in replaced:
        for file in old["files"]:
            target = (reports_dir / file["path"]).absolute()
            if file["path"] not in still and target.is_relative_to(reports_dir) and ".." not in target.parts:
                with suppress(FileNotFoundError):
                    target.unlink()  # only ever a file under the reports folder, whatever the manifest says


def manifest_text(entries: Sequence[dict[str, Any]]) -> str:
    """The manifest as JSON text (UTF-8, indented, keys in a fixed order)."""
    return json.dumps(list(entries), indent=2, ensure_ascii=False) + "\n"


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")


def period_end(period: str) -> date | None:
    """A period folder's last day: ``2025-10`` 2025-10-31, ``2025-26-Q2`` 2025-09-30 (None if neither)."""
    month = _MONTH.match(period)
    if month and 1 <= int(month.group(2)) <= 12:
        return last_of_month(date(int(month.group(1)), int(month.group(2)), 1))
    quarter = _QUARTER.match(period)
    if quarter:
        start, number = int(quarter.group(1)), int(quarter.group(3))
        last_month = date(start, 4, 1) + relativedelta(months=3 * number - 1)
        return last_of_month(last_month)
    return None


def period_text(period: str) -> str:
    """``October 2025`` or ``Q2 2025/26 (July to September 2025)``; the folder name otherwise."""
    month = _MONTH.match(period)
    end = period_end(period)
    if end is None:
        return period
    if month:
        return month_label(end)
    quarter = _QUARTER.match(period)
    assert quarter is not None  # noqa: S101 - period_end matched one of the two
    first = end - relativedelta(months=2)
    return (
        f"Q{quarter.group(3)} {quarter.group(1)}/{quarter.group(2)} "
        f"({first.strftime('%B')} to {end.strftime('%B %Y')})"
    )


def render_index(entries: Sequence[dict[str, Any]]) -> str:
    """The index page: every published report, newest period (by its last day) first."""
    periods: dict[str, list[dict[str, Any]]] = {}
    for entry in sorted(entries, key=lambda e: (e["period"], e["kind"], e["as_at"])):
        periods.setdefault(entry["period"], []).append(entry)

    def newest_first(period: str) -> tuple[date, str]:
        return period_end(period) or date.min, period

    ordered = sorted(periods, key=newest_first, reverse=True)
    return (
        environment()
        .get_template("index.html.j2")
        .render(periods=[(period, period_text(period), periods[period]) for period in ordered])
    )
