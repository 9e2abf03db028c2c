"""The two kinds of failure the command line tells apart (``interface.md``, exit codes)."""


class BadInput(Exception):
    """Bad usage or bad input: the message names the file, row and column at fault (exit 2)."""


class SystemFailure(Exception):
    """A failure of the system, such as an unreachable database (exit 1)."""
