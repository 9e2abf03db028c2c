"""A drop folder of returns, made with the project's own code, and what each file must produce.

The corpus has the layout of the shared acceptance corpus (``contracts.csv``,
``extensions.csv``, ``programme.toml``, ``qaf_grades_prev.csv``,
``received.csv`` and ``drop/``), so the same commands ingest it, and
:data:`~tests.corpus.cases.CASES` / :data:`~tests.corpus.qaf_cases.QAF_CASES` say, file by file, what the register must
show: the table is the generator's own statement of intent, written before any
ingestion, never read back from one. The PI values of the accepted returns are
worked out here by hand (the formulas of ``pi-rules.md``) from the figures the
generator typed in.

The demo authority's twelve services (``spmon.sample_data.demo_contracts``)
send their returns of Q1 to Q3 2025/26 and their QAFs: clean ones, returned
ones for every reason that a workbook can carry, a resubmission, a
byte-identical copy, a late one, one in its extension, unreadable files and
files that are never taken. The same call always writes the same bytes
(workbooks are saved with fixed zip and document times) and the same mtimes.

The cases are in :mod:`tests.corpus.cases` and :mod:`tests.corpus.qaf_cases`, the
contracts and programme in :mod:`tests.corpus.contracts`, how each file is made
in :mod:`tests.corpus.files`, and the registers they must give in
:mod:`tests.corpus.expected`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from data_contracts.qaf_workbook import join_service_ids
from data_contracts.tables import ContractRecord
from tasks.common.contract_records import CONTRACT_COLUMNS, EXTENSION_COLUMNS
from tasks.qaf.imports import GRADE_COLUMNS
from tests.corpus.cases import CASES, EXTENSIONS, PREVIOUS, Case
from tests.corpus.contracts import contracts_2025, programme_toml
from tests.corpus.expected import expected_register
from tests.corpus.files import case_bytes, qaf_bytes, write_csv, write_received
from tests.corpus.qaf_cases import PREVIOUS_GRADES, QAF_CASES

__all__ = ["Corpus", "build", "expected_register"]


@dataclass(frozen=True)
class Corpus:
    """A built corpus folder and the contracts it was made from."""

    root: Path
    contracts: tuple[ContractRecord, ...]  # the 2025/26 records imported (not the unknown service)

    @property
    def drop(self) -> Path:
        return self.root / "drop"

    @property
    def programme(self) -> Path:
        return self.root / "programme.toml"

    def case(self, name: str) -> Case:
        return next(c for c in CASES if c.name == name)


def build(root: Path) -> Corpus:
    """Write the corpus into ``root`` (emptied first) and give it back."""
    shutil.rmtree(root, ignore_errors=True)
    drop = root / "drop"
    drop.mkdir(parents=True)
    current = contracts_2025()
    (root / "programme.toml").write_text(programme_toml(), encoding="utf-8")
    write_csv(
        root / "contracts.csv",
        CONTRACT_COLUMNS,
        [[getattr(c, n) for n in CONTRACT_COLUMNS] for c in current],
    )
    write_csv(root / "extensions.csv", EXTENSION_COLUMNS, [list(e) for e in EXTENSIONS])
    services = {
        p: join_service_ids([c.service_id for c in current if c.provider_id == p])
        for p in {c.provider_id for c in current}
    }
    write_csv(
        root / "qaf_grades_prev.csv",
        GRADE_COLUMNS,
        [[p, PREVIOUS, services[p], o, g, d, "desk", ""] for p, o, g, d in PREVIOUS_GRADES],
    )
    written: dict[str, bytes] = {}
    received: list[tuple[str, datetime]] = []
    for case in CASES:
        written[case.name] = case_bytes(case, written)
        write_received(drop / case.name, written[case.name], case.received)
        received.append((case.name, case.received))
    for qaf in QAF_CASES:
        write_received(drop / qaf.name, qaf_bytes(qaf), qaf.received)
        received.append((qaf.name, qaf.received))
    write_csv(
        root / "received.csv",
        ["source_file", "received_at", "mtime"],
        [[n, t.strftime("%Y-%m-%dT%H:%M:%SZ"), int(t.timestamp())] for n, t in received],
    )
    return Corpus(root, tuple(current))
