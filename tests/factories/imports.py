"""CSV files to import, as officers export them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session

from foundation.errors import BadInput


def csv_file(tmp_path: Path, header: str, *lines: str, name: str = "import.csv") -> Path:
    """A CSV import file."""
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def refusal(load: Callable[[Session, Path], object], session: Session, path: Path) -> str:
    """The message of the ``BadInput`` that importing the file raises (the test fails if none is raised)."""
    with pytest.raises(BadInput) as raised:
        load(session, path)
    return str(raised.value)
