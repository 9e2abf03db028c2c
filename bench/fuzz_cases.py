"""Fuzz cases: valid PI and QAF workbooks made with the project's own code, then mutated.

``make_case(seed, index)`` always gives the same bytes for the same seed and
index, so a failure found by ``make fuzz`` replays with
``python -m bench.fuzz --seed S --replay I --out DIR``. Mutations work at three
levels: bytes (flips, overwrites, truncation), the zip container (methods,
flags, versions, sizes, CRCs, damaged deflate data, duplicate or missing parts)
and the XML inside (cells and dimensions far away, rows without references,
huge shared-string counts, entity bombs, broken tags, odd text).
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass
from random import Random

from bench.fuzz_mutations import MUTATIONS, NEEDS_ZIP, flip_bits
from bench.fuzz_seeds import YEAR, seed_workbooks

__all__ = ["MUTATIONS", "YEAR", "Case", "make_case", "seed_workbooks"]


@dataclass(frozen=True)
class Case:
    """One fuzz case: its file name, bytes, the seed workbook and the mutations applied."""

    name: str
    data: bytes
    seed_name: str
    mutations: tuple[str, ...]


def make_case(seed: int, index: int) -> Case:
    """Case ``index`` of campaign ``seed``: a seed workbook, one to three mutations; same bytes each time."""
    rng = Random(f"{seed}:{index}")  # noqa: S311 - reproducible test data, not security
    seed_name, data = rng.choice(seed_workbooks())
    applied: list[str] = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        name = rng.choice(list(MUTATIONS))
        if name in NEEDS_ZIP and not _is_valid_zip(data):
            continue
        if data:
            data = _mutated(rng, name, data)
            applied.append(name)
    return Case(f"fuzz-{seed}-{index:06d}.xlsx", data, seed_name, tuple(applied))


def _mutated(rng: Random, name: str, data: bytes) -> bytes:
    """The mutation's result; a flip of bits where the mutation cannot apply to these bytes."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we make
            return MUTATIONS[name](rng, data)
    except Exception:  # noqa: BLE001 - an earlier mutation left nothing this one can work on
        return flip_bits(rng, data)


def _is_valid_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.testzip() is None
    except Exception:  # noqa: BLE001 - any failure means "not a zip we can re-pack"
        return False
