"""The drop folder: which files to take, and where they go afterwards (``interface.md``)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tasks.common.safe_files import move_verified

_IGNORED_PREFIXES = ("~$", ".~lock.", ".")
_IGNORED_SUFFIXES = (".tmp", ".part")


@dataclass(frozen=True)
class DropFile:
    """A file seen in the drop folder, with its received time (its modification time, UTC)."""

    path: Path
    size: int
    mtime_ns: int

    @property
    def name(self) -> str:
        """The file's name as it was in the drop folder."""
        return self.path.name

    @property
    def received_at(self) -> datetime:
        """The received time, UTC, to the second."""
        return datetime.fromtimestamp(self.mtime_ns // 1_000_000_000, tz=UTC)

    def order_key(self) -> tuple[datetime, str]:
        """Files are taken by received time, then by name in code point order."""
        return (self.received_at, self.name)


def is_ignored(name: str) -> bool:
    """Lock files, temporary and partial files are never taken."""
    lowered = name.lower()
    return name.startswith(_IGNORED_PREFIXES) or lowered.endswith(_IGNORED_SUFFIXES)


def settled_files(drop_dir: Path, settle_seconds: float, now: datetime | None = None) -> list[DropFile]:
    """The files to take now, in processing order.

    A file is taken once its modification time is at least ``settle_seconds``
    old as seen by this run (a file still being written keeps moving it);
    ``0`` takes every file at once, whatever its time.
    """
    files = [
        DropFile(readable_name(Path(entry.path)), stat.st_size, stat.st_mtime_ns)
        for entry, stat in settled_entries(drop_dir, settle_seconds, now)
    ]
    return sorted(files, key=DropFile.order_key)


def settled_entries(
    drop_dir: Path, settle_seconds: float, now: datetime | None = None
) -> Iterator[tuple[os.DirEntry[str], os.stat_result]]:
    """The drop folder's files that are taken now, as found (unsorted, names as they are), with their stat."""
    now_ns = int((now or datetime.now(UTC)).timestamp() * 1_000_000_000)
    for entry in os.scandir(drop_dir):
        if not entry.is_file(follow_symlinks=False) or is_ignored(entry.name):
            continue
        stat = entry.stat(follow_symlinks=False)
        if settle_seconds > 0 and now_ns - stat.st_mtime_ns < settle_seconds * 1_000_000_000:
            continue
        yield entry, stat


def readable_name(path: Path) -> Path:
    """The file, renamed in place when its name is not UTF-8 (bytes no database or reader can take).

    The undecodable bytes become U+FFFD; a name taken already gets a short hash.
    The new name is linked before the old one goes, so no file is ever replaced,
    and the bytes and modification time (its received time) are kept.
    """
    try:
        path.name.encode("utf-8")
        return path
    except UnicodeEncodeError:
        raw = os.fsencode(path.name)
    readable = raw.decode("utf-8", "replace")
    stem, dot, suffix = readable.rpartition(".")
    tag = hashlib.sha256(raw).hexdigest()[:8]
    for name in (readable, f"{stem}-{tag}{dot}{suffix}" if dot else f"{readable}-{tag}"):
        try:
            os.link(path, path.with_name(name))
        except FileExistsError:
            continue
        path.unlink()
        return path.with_name(name)
    return path  # both names taken: left as it is, and the reader reports it


def still_same(drop_file: DropFile) -> bool:
    """Whether the file is still there, unchanged since it was listed."""
    try:
        stat = drop_file.path.stat()
    except FileNotFoundError:
        return False
    return stat.st_size == drop_file.size and stat.st_mtime_ns == drop_file.mtime_ns


def sha256_of(data: bytes) -> str:
    """The hex SHA-256 of a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def stored_path(folder: Path, sha256: str, name: str) -> Path:
    """Where a file is kept: one folder per content, the original name inside."""
    return folder / sha256[:2] / sha256 / name


def move_unchanged(source: Path, target: Path) -> None:
    """Move a file, keeping its bytes and modification time; the source goes only once the copy is verified.

    An existing target is kept only when it is a complete copy (same size and
    sha256); a partial copy left by a failed run is replaced (``tasks.common.safe_files``).
    """
    if _same_file(target, source):
        return  # re-ingested in place
    move_verified(source, target)


def _same_file(target: Path, source: Path) -> bool:
    """Whether both name one file; a new target costs one failed stat (resolving both cost 0.5 ms a file)."""
    try:
        return target.samefile(source)
    except FileNotFoundError:
        return False
