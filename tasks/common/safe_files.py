"""Writing and moving files so that nothing is lost, whatever the disk does.

A file leaves the drop folder only after its archive or quarantine copy is
complete and verified (:func:`move_verified`). Within one file system that is
an atomic rename (the journal keeps the name in one folder or the other, so no
flush is needed, and a thousand files move in a second); across file systems
the file is copied under a temporary name in the target folder, flushed to
disk, checked for size and sha256, renamed into place and the folder flushed;
only then is the source removed. A target left by
an earlier failure is trusted only when its size and sha256 are right, and a
temporary copy is never taken for a finished one. Text files (notices, letters,
reminders) are written under a temporary name and renamed
(:func:`write_text_atomically`).

A full, read-only or otherwise failing disk ends the run with a
:class:`~foundation.errors.SystemFailure` that names the folder and the error in
words, never a traceback, and never with the source removed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
from pathlib import Path

from foundation.errors import SystemFailure

PARTIAL_SUFFIX = ".spmon-part"  # a copy being made; never a finished file
_CHUNK = 1024 * 1024


def disk_failure(folder: Path, error: OSError, doing: str) -> SystemFailure:
    """A ``SystemFailure`` naming the folder and the error in words (``No space left on device``)."""
    words = os.strerror(error.errno) if error.errno else str(error)
    code = errno.errorcode.get(error.errno or 0, "")
    return SystemFailure(f"cannot {doing} in {folder}: {words}{f' ({code})' if code else ''}")


def sha256_of_file(path: Path) -> str:
    """The hex SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def is_complete_copy(target: Path, size: int, sha256: str) -> bool:
    """Whether ``target`` is a regular file with exactly this size and content."""
    try:
        if not target.is_file() or target.is_symlink() or target.stat().st_size != size:
            return False
        return sha256_of_file(target) == sha256
    except OSError:
        return False


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename into it) to disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _copy_to_partial(source: Path, partial: Path) -> None:
    with source.open("rb") as reader, partial.open("wb") as writer:
        shutil.copyfileobj(reader, writer, _CHUNK)
        writer.flush()
        os.fsync(writer.fileno())
    shutil.copystat(source, partial)  # the received time is the modification time: keep it


def _place_copy(source: Path, target: Path, size: int, sha256: str) -> None:
    """Copy ``source`` to ``target`` through a verified temporary copy beside it."""
    partial = target.with_name(f".{target.name}{PARTIAL_SUFFIX}")
    try:
        _copy_to_partial(source, partial)
        if not is_complete_copy(partial, size, sha256):
            raise SystemFailure(f"the copy of {source.name} in {target.parent} does not match the original")
        os.replace(partial, target)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def move_verified(source: Path, target: Path) -> None:
    """Move a file, bytes and modification time unchanged; the source goes only once the copy is verified.

    On one file system the move is a rename, which is atomic: the file is in
    one place or the other, never half in both. Across file systems it is a
    verified copy; an existing target with the right size and sha256 (a run
    stopped before it could tidy up) is kept, one with anything else replaced.
    """
    if source.absolute() == target.absolute():
        return  # re-ingested in place
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if same_file_system(source.parent, folder):
            os.replace(source, target)  # atomic: the name is in one folder or the other, never lost
        else:
            _copy_then_remove(source, target)
    except OSError as error:
        if isinstance(error, FileNotFoundError) and not source.exists() and target.exists():
            return  # moved meanwhile by another run: nothing more to do
        raise disk_failure(folder, error, f"file {source.name}") from error


def same_file_system(first: Path, second: Path) -> bool:
    """Whether two folders are on one file system (a rename between them is atomic)."""
    return first.stat().st_dev == second.stat().st_dev


def _copy_then_remove(source: Path, target: Path) -> None:
    size = source.stat().st_size
    sha256 = sha256_of_file(source)
    if not is_complete_copy(target, size, sha256):
        _place_copy(source, target, size, sha256)
    fsync_folder(target.parent)  # the copy's name is on disk before the original goes
    source.unlink()
    fsync_folder(source.parent)


def write_text_atomically(path: Path, text: str) -> None:
    """Write a text file under a temporary name and rename it into place: a whole file or none.

    Not flushed to disk one by one (that costs 5-10 ms a notice): a notice is
    only marked written once it is in place, and a process stopped at any
    point leaves the old file or the new one, never half of one.
    """
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise disk_failure(path.parent, error, f"write {path.name}") from error
