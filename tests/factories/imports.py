"""CSV files to import, as officers export them."""

from __future__ import annotations

from pathlib import Path


def csv_file(tmp_path: Path, header: str, *lines: str, name: str = "import.csv") -> Path:
    """A CSV import file."""
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path
