"""Checking what the command line was given, before anything starts: bad input is exit 2 naming it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from foundation.errors import BadInput
from foundation.settings import get_settings

FileArgument = Annotated[
    Path, typer.Argument(help="CSV with a header row, or an .xlsx whose first sheet has one")
]


def database_url() -> str:
    """The database of the settings."""
    return get_settings().database


def current_programme() -> Any:
    """The programme file of the settings, loaded (bad input names the file and key)."""
    from foundation.programme import load_programme

    return load_programme(get_settings().programme)


def year_option(text: str, option: str = "--year") -> str:
    """A year of the programme file, written like 2025/26; anything else is bad usage (exit 2)."""
    import re

    match = re.fullmatch(r"(\d{4})/(\d{2})", text.strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise BadInput(f"{option}: '{text}' is not a year like 2025/26")
    programme = current_programme()
    if not programme.has_year(text.strip()):
        known = ", ".join(sorted(programme.years)) or "none"
        raise BadInput(f"{option}: {text} is not a year of the programme file (it has: {known})")
    return text.strip()


def id_options(values: list[str] | None, option: str, example: str) -> list[str] | None:
    """IDs given on the command line: letters, digits, '-' or '_', at most 32 (as the contract records)."""
    import re

    for value in values or []:
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", value):
            raise BadInput(f"{option}: '{value}' is not an ID like {example}")
    return values


def out_folder(path: Path, option: str = "--out") -> Path:
    """A folder to write into: it may be new, but it cannot be a file."""
    if path.exists() and not path.is_dir():
        raise BadInput(f"{option}: {path} exists and is not a folder")
    return path


def start_prefect() -> None:
    """Prefect's defaults, set just before a flow runs (after every input was checked)."""
    from foundation.prefect_env import apply_defaults

    apply_defaults()


def import_file(path: Path, importer: Callable[[Any, Path], int], what: str) -> None:
    """Run an all-or-nothing import of ``path`` in one transaction and say how many rows it took."""
    from foundation.db import session_scope

    with session_scope(database_url()) as session:
        count = importer(session, path)
    typer.echo(f"{count} {what} imported from {path}")


def as_at_option(text: str) -> date:
    """``--as-at``: a day like 2025-10-14."""
    from tasks.calendar.dates import parse_day

    try:
        return parse_day(text)
    except ValueError as error:
        raise BadInput(f"--as-at: {error}") from None


def require_prefect_api() -> None:
    """Bad input unless ``PREFECT_API_URL`` names a server."""
    start_prefect()
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        raise BadInput(
            "PREFECT_API_URL is not set: point it at the Prefect server "
            "(e.g. http://127.0.0.1:4200/api), or run `make server` to start one and serve"
        )


def import_command(
    group: typer.Typer, importer: str, what: str, help: str, letters: tuple[str, str] | None = None
) -> None:
    """Add ``import FILE`` to ``group``: an all-or-nothing import by ``importer`` (``module:function``).

    ``letters`` names the writer of the letters the import leaves pending and
    what they are. The modules are imported only when the command runs, so
    ``spmon`` starts quickly.
    """

    def command(file: FileArgument) -> None:
        import_file(file, _function(importer), what)
        if letters:
            write_pending_letters(_function(letters[0]), letters[1])

    group.command("import", help=help)(command)


def _function(name: str) -> Any:
    module, function = name.split(":")
    return getattr(importlib.import_module(module), function)


def write_pending_letters(writer: Callable[[Any, Path], list[Path]], what: str) -> None:
    """Write the letters an import left pending (``writer(session, outbox)``) and say how many."""
    from foundation.db import session_scope

    outbox = get_settings().outbox
    with session_scope(database_url()) as session:
        letters = writer(session, outbox)
    if letters:
        typer.echo(f"{len(letters)} {what} written to {outbox}")
