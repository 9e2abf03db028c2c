"""Workbook bytes written again member by member: edited, given fixed times, or padded with zeros."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

Member = tuple[zipfile.ZipInfo, bytes]
ZipTime = tuple[int, int, int, int, int, int]
ZIP_EPOCH: ZipTime = (1980, 1, 1, 0, 0, 0)
_CHUNK = 1 << 20


def rezipped(
    data: bytes,
    edit: Callable[[zipfile.ZipInfo, bytes], Member] = lambda item, content: (item, content),
    then: Callable[[zipfile.ZipFile], None] = lambda _: None,
) -> bytes:
    """``data``'s zip written again, deflated, each member through ``edit``; ``then`` adds members at the end."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(*edit(item, source.read(item)), compress_type=zipfile.ZIP_DEFLATED)
        then(target)
    return out.getvalue()


def padded(data: bytes, name: str, size: int, date_time: ZipTime = ZIP_EPOCH) -> bytes:
    """``data``'s zip with one more member ``name``: ``size`` zero bytes (a zip bomb when large).

    Written a megabyte at a time, so a bomb is never held unpacked in memory.
    """

    def add_zeros(target: zipfile.ZipFile) -> None:
        member = zipfile.ZipInfo(name, date_time)
        member.compress_type = zipfile.ZIP_DEFLATED
        with target.open(member, "w") as part:
            for start in range(0, size, _CHUNK):
                part.write(bytes(min(_CHUNK, size - start)))

    return rezipped(data, then=add_zeros)
