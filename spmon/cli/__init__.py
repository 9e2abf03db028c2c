"""The shell: the ``spmon`` command line (``interface.md``), on top of every layer.

``app`` holds the command groups and ``main`` (exit codes); ``options`` checks
what a command was given before anything starts; the commands live by area in
``returns``, ``contract_management`` and ``publishing``.
"""

import spmon.cli.feedback  # noqa: F401 - registers the feedback and audit commands
from spmon.cli import contract_management, publishing, returns  # noqa: F401 - registers the commands
from spmon.cli.app import app, main

__all__ = ["app", "main"]
