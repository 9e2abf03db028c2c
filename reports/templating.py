"""The reports' Jinja2 environment: templates of ``reports/templates``, found from the package."""

from __future__ import annotations

from jinja2 import Environment

from foundation.templating import package_environment


def environment() -> Environment:
    """Templates of ``reports/templates``; HTML is escaped."""
    return package_environment("reports")
