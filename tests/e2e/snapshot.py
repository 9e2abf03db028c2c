"""A comparable picture of what a run leaves behind: database rows, folders and notices."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, text

from tests.e2e.cli import Workspace

_QUERIES = {
    "files": "SELECT sha256, source_file, received_at, size_bytes, kind, stored_path, message FROM received_file",
    "returns": (
        "SELECT f.sha256, r.source_file, r.received_at, r.service_id, r.year, r.quarter, r.provider_id, r.status,"
        " r.reasons, r.messages, r.kpi1, r.kpi2, r.spi1, r.spi2, r.spi3, r.spi4, r.breaches, r.comments,"
        " r.notice_path, r.notice_written FROM pi_return r JOIN received_file f ON f.id = r.file_id"
    ),
    "qaf_returns": (
        "SELECT f.sha256, q.provider_id, q.year, q.service_ids, q.form, q.status, q.reasons, q.messages,"
        " q.visit, q.visit_reasons, q.notice_path, q.notice_written"
        " FROM qaf_return q JOIN received_file f ON f.id = q.file_id"
    ),
    "currents": (
        "SELECT c.service_id, c.year, c.quarter, f.sha256 FROM current_return c"
        " JOIN pi_return r ON r.id = c.return_id JOIN received_file f ON f.id = r.file_id"
    ),
}


def _url(workspace: Workspace) -> str:
    return workspace.database_url or f"sqlite:///{workspace.data / 'foundation.db'}"


def database_rows(workspace: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, without ids or run-specific columns, paths relative to the data folder."""
    engine = create_engine(_url(workspace))
    try:
        with engine.connect() as connection:
            picture = {}
            for name, query in _QUERIES.items():
                rows = [
                    tuple(_relative(v, workspace) for v in row) for row in connection.execute(text(query))
                ]
                picture[name] = sorted(rows, key=repr)
            return picture
    finally:
        engine.dispose()


def _relative(value: Any, workspace: Workspace) -> Any:
    if isinstance(value, str) and value.startswith(str(workspace.root)):
        return value[len(str(workspace.root)) :]
    return value


def folder_listing(workspace: Workspace) -> dict[str, list[str]]:
    """The files under the data folder's archive, quarantine and outbox, and what is left in the drop."""
    listing = {}
    for name, folder in (
        ("archive", workspace.data / "archive"),
        ("quarantine", workspace.data / "quarantine"),
        ("outbox", workspace.data / "outbox"),
        ("drop", workspace.drop),
    ):
        listing[name] = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    return listing


def outbox_texts(workspace: Workspace) -> dict[str, str]:
    """Every notice's text by path."""
    outbox = workspace.data / "outbox"
    return {
        str(p.relative_to(outbox)): p.read_text(encoding="utf-8") for p in outbox.rglob("*") if p.is_file()
    }


def picture(workspace: Workspace) -> dict[str, Any]:
    """Database, folders and notices together."""
    return {
        "db": database_rows(workspace),
        "folders": folder_listing(workspace),
        "notices": outbox_texts(workspace),
    }
