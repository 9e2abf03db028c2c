"""Path parts from untrusted text: a provider never chooses where spmon writes.

Provider and service IDs, years and file names read from workbooks or import
files end up in outbox paths. Every such part goes through :func:`path_part`:
a plain ID (letters, digits, ``-``, ``_``, ``.``, at most 100 characters, not
``.`` or ``..``) is kept as it is, so ordinary paths read as before; anything
else (a slash, ``..``, a NUL byte, 300 characters) becomes a short slug plus a
hash of the text, so two different hostile IDs never share a file. Every path
built from a relative text goes through :func:`inside`, which rebuilds it part
by part and refuses a result that is not under its folder.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

MAX_PART = 100  # characters of a plain part kept as it is (a file name may have 255 bytes)
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_NOT_SLUG = re.compile(r"[^A-Za-z0-9_-]+")
_SLUG_LENGTH = 24


def is_plain(text: str) -> bool:
    """Whether the text can be a path part as it is."""
    return len(text) <= MAX_PART and bool(_PLAIN.match(text)) and text not in {".", ".."}


def path_part(text: str, fallback: str = "unknown") -> str:
    """A safe file or folder name for the text: the text itself when plain, else a slug and a hash."""
    if is_plain(text):
        return text
    slug = _NOT_SLUG.sub("_", text).strip("_-")[:_SLUG_LENGTH].strip("_-") or fallback
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{slug}-{digest}"


def file_name(text: str, suffix: str, fallback: str = "unknown") -> str:
    """A safe file name: ``path_part`` of the stem, then the suffix (``.txt``)."""
    return path_part(text, fallback) + suffix


def inside(folder: Path, relative: str, depth: int | None = None) -> Path:
    """``folder / relative`` with every part made safe; raises ``ValueError`` if it would leave the folder.

    A part with a file suffix keeps it (``SV00123_2025-26_Q1_ab12.txt`` stays
    as it is); any other part is passed through :func:`path_part`. With
    ``depth``, a path of more parts (an ID holding ``/``) keeps its first
    parts and its file name, and its extra middle parts become one safe part.
    """
    parts = [part for part in PurePosixPath(relative.replace("\\", "/")).parts if part != "/"]
    if not parts:
        raise ValueError(f"no file name in {relative!r}")
    if depth is not None and len(parts) > depth >= 2:
        parts = [*parts[: depth - 2], "/".join(parts[depth - 2 : -1]), parts[-1]]
    target = folder.joinpath(*[_safe_part(part) for part in parts])
    if not target.absolute().is_relative_to(folder.absolute()):
        raise ValueError(f"{relative!r} is not inside {folder}")  # pragma: no cover - parts are safe
    return target


def _safe_part(part: str) -> str:
    stem, dot, suffix = part.rpartition(".")
    if dot and stem and re.fullmatch(r"[A-Za-z0-9]{1,8}", suffix):
        return file_name(stem, f".{suffix}")
    return path_part(part)
