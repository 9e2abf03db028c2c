"""No module that Prefect loads is named like a package, and the project's packages are its own.

Prefect once loaded ``flows/ingest.py`` as a script with ``flows/`` first on
``sys.path``, so ``flows/reports.py`` hid the ``reports`` package. The
deployments now name flows by module path; this keeps the names apart anyway.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("foundation", "spmon", "data_contracts", "tasks", "reports", "flows", "deployments")


def _modules(folder: str) -> list[str]:
    return sorted(p.stem for p in (ROOT / folder).glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("folder", ["flows", "deployments"])
def test_no_module_prefect_loads_shadows_another(folder: str) -> None:
    for name in _modules(folder):
        spec = importlib.util.find_spec(name)
        assert spec is None and name not in sys.stdlib_module_names, f"{folder}/{name}.py shadows '{name}'"


@pytest.mark.parametrize("package", [p for p in PACKAGES if (ROOT / p).is_dir()])
def test_each_package_is_the_projects_own(package: str) -> None:
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None
    assert Path(spec.origin).resolve().is_relative_to(ROOT), f"'{package}' is imported from {spec.origin}"
