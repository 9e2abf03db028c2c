"""The outbox's Jinja2 environment: notice and letter templates of ``tasks/outbox/templates``."""

from __future__ import annotations

from jinja2 import Environment

from foundation.templating import package_environment


def environment() -> Environment:
    """Templates of ``tasks/outbox/templates``, text kept as is."""
    return package_environment("tasks.outbox")
