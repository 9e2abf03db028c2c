"""Exports write only a new or regular file in an existing folder (tasks.common.safe_output)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from data_contracts.registers import PI_REGISTER_COLUMNS
from foundation.errors import BadInput
from tasks.common.safe_output import check_output_path
from tasks.contract_management.export import write_risk_csv
from tasks.pi.register import write_register_csv


def _write(out: Path) -> int:
    return write_register_csv(iter([]), out, PI_REGISTER_COLUMNS)


def test_a_new_or_regular_file_is_written(tmp_path: Path) -> None:
    out = tmp_path / "register.csv"
    assert _write(out) == 0
    out.write_text("old", encoding="utf-8")
    assert _write(out) == 0
    assert out.read_text(encoding="utf-8").startswith("source_file,")
    assert [p.name for p in tmp_path.iterdir()] == ["register.csv"]


def test_a_symlink_is_not_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("keep", encoding="utf-8")
    link = tmp_path / "register.csv"
    link.symlink_to(real)
    with pytest.raises(BadInput, match=f"{link}: is a symbolic link"):
        _write(link)
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "keep"


def test_a_device_is_not_replaced() -> None:
    with pytest.raises(BadInput, match="/dev/full: is a device"):
        _write(Path("/dev/full"))
    assert Path("/dev/full").is_char_device()


def test_a_folder_is_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "register.csv").mkdir()
    with pytest.raises(BadInput, match="is a folder"):
        _write(tmp_path / "register.csv")


def test_a_missing_folder_is_not_created(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "register.csv"
    with pytest.raises(BadInput, match="does not exist"):
        _write(out)
    assert not out.parent.exists()
    with pytest.raises(BadInput, match="does not exist"):
        write_risk_csv([], tmp_path / "nowhere" / "risk.csv")


def test_a_fifo_is_not_written(tmp_path: Path) -> None:
    fifo = tmp_path / "register.csv"
    os.mkfifo(fifo)
    with pytest.raises(BadInput, match="not a regular file"):
        check_output_path(fifo)
