"""The layers only import downwards: foundation, data_contracts, tasks, reports, flows, deployments; the shell on top.

Read from the code with ``ast``: every ``import`` and ``from ... import`` of a
project package, at any depth of a module (imports inside functions count).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("foundation", "data_contracts", "tasks", "reports", "flows", "deployments", "spmon")


COMMON_MAY_IMPORT = ("foundation", "data_contracts", "tasks.common", "tasks.calendar")


def imported_modules(source: str) -> set[str]:
    """The dotted names of every module a module's code imports (absolute imports only)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def sideways_from_common(source: str) -> list[str]:
    """The project modules outside what ``tasks.common`` may import that ``source`` imports."""
    return sorted(
        name
        for name in imported_modules(source)
        if name.split(".")[0] in LAYERS
        and not any(name == allowed or name.startswith(f"{allowed}.") for allowed in COMMON_MAY_IMPORT)
    )


def imported_packages(source: str) -> set[str]:
    """The top-level packages a module's code imports."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def arrows_up(layer: str, source: str) -> list[str]:
    """The project packages above ``layer`` that ``source`` imports."""
    rank = LAYERS.index(layer)
    return sorted(p for p in imported_packages(source) if p in LAYERS and LAYERS.index(p) > rank)


def _modules() -> list[tuple[str, Path]]:
    """Every module of every layer; Alembic's scripts are tooling that ``foundation.db`` runs, not imports.

    (``foundation/migrations/env.py`` loads the table definitions so that
    ``alembic revision --autogenerate`` can compare them with the database.)
    """
    return [
        (layer, path)
        for layer in LAYERS
        for path in sorted((ROOT / layer).rglob("*.py"))
        if "migrations" not in path.parts
    ]


@pytest.mark.parametrize(
    ("layer", "path"), _modules(), ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else v
)
def test_no_module_imports_a_layer_above_its_own(layer: str, path: Path) -> None:
    assert arrows_up(layer, path.read_text(encoding="utf-8")) == [], (
        f"{path.relative_to(ROOT)} imports upwards"
    )


def test_the_check_finds_an_arrow_back_up() -> None:
    source = "from tasks.pi.rules import two_decimals\n\ndef f():\n    import reports.model\n"
    assert arrows_up("data_contracts", source) == ["reports", "tasks"]
    assert arrows_up("reports", source) == []


def test_every_layer_is_there() -> None:
    assert all((ROOT / layer / "__init__.py").is_file() for layer in LAYERS)


@pytest.mark.parametrize("path", sorted((ROOT / "tasks" / "common").glob("*.py")), ids=lambda p: p.name)
def test_tasks_common_imports_no_sibling_task_package(path: Path) -> None:
    """What every duty shares sits under them all: only foundation, data_contracts, itself and the calendar."""
    found = sideways_from_common(path.read_text(encoding="utf-8"))
    assert found == []


def test_the_check_finds_a_sideways_import_from_common() -> None:
    source = "from tasks.common.table_files import read_table\nfrom tasks.pi.rules import breaches\n"
    assert sideways_from_common(source) == ["tasks.pi.rules"]
    assert sideways_from_common("import tasks.calendar.dates\nfrom foundation.db import x\n") == []
