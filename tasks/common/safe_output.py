"""Writing an export where the officer asked, and nowhere else (``register export``, ``risk export``, ...).

An export replaces only a regular file: a symlink, a device (``/dev/full``), a
folder or anything else already at the path is refused, and so is a folder
that does not exist (it is not created). Both are bad usage, exit 2, naming
the path. The file is written under a temporary name beside the target,
flushed, checked again and renamed into place, so a reader never sees half a
file and a failed write leaves the old one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from foundation.errors import BadInput
from tasks.common.safe_files import disk_failure, fsync_folder

_REFUSED_BY_PERMISSIONS = {errno.EACCES, errno.EPERM, errno.EROFS}


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def check_output_path(out: Path) -> Path:
    """The path to write, once it is known to be a new or regular file in an existing folder."""
    folder = out.absolute().parent
    if not folder.is_dir():
        raise BadInput(f"{out}: the folder {folder} does not exist (create it first)")
    try:
        mode = os.lstat(out).st_mode
    except FileNotFoundError:
        return out
    if not stat.S_ISREG(mode):
        raise BadInput(f"{out}: is {_kind(mode)}; an export only writes a new or regular file")
    return out


@contextmanager
def replacing(out: Path) -> Iterator[TextIO]:
    """A text handle whose content replaces ``out`` once the block ends without an error."""
    check_output_path(out)
    temporary = out.absolute().parent / f".{out.name}.{os.getpid()}.tmp"
    try:
        with temporary.open("x", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        check_output_path(out)  # nothing else took its place meanwhile
        os.replace(temporary, out)
        fsync_folder(temporary.parent)
    except OSError as error:
        if error.errno in _REFUSED_BY_PERMISSIONS:
            raise BadInput(f"{out}: cannot write there: {os.strerror(error.errno or 0)}") from error
        raise disk_failure(temporary.parent, error, f"write {out.name}") from error
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
