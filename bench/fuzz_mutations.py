"""Fuzz mutations, at three levels.

Bytes (flips, overwrites, truncation), the zip container (methods, flags,
versions, sizes, CRCs, damaged deflate data, duplicate or missing parts) and
the XML inside (cells and dimensions far away, rows without references, huge
shared-string counts, entity bombs, broken tags, odd text).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable
from random import Random

from bench.fuzz_seeds import FIXED_TIME, read_parts, zip_parts

_CENTRAL, _LOCAL = b"PK\x01\x02", b"PK\x03\x04"
FAR_REFERENCES = ("A99999999", "ZZ100000", "XFD1048576", "A1048577", "CW5001", "IV65536", "AAAA1")


# Byte mutations.


def flip_bits(rng: Random, data: bytes) -> bytes:
    """Flip 1 to 16 random bits."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def overwrite_bytes(rng: Random, data: bytes) -> bytes:
    """Overwrite a random run of up to 64 bytes with random bytes."""
    start = rng.randrange(len(data))
    length = rng.randint(1, 64)
    return data[:start] + rng.randbytes(length) + data[start + length :]


def truncate(rng: Random, data: bytes) -> bytes:
    """Cut the file short somewhere."""
    return data[: rng.randrange(len(data))]


def splice(rng: Random, data: bytes) -> bytes:
    """Copy a random chunk of the file to another place."""
    start, length = rng.randrange(len(data)), rng.randint(1, 512)
    at = rng.randrange(len(data))
    return data[:at] + data[start : start + length] + data[at:]


# Zip container mutations: fields of a central directory or local header.


def _headers(data: bytes, signature: bytes) -> list[int]:
    found, start = [], 0
    while (start := data.find(signature, start)) >= 0:
        found.append(start)
        start += 4
    return found


def _set_field(rng: Random, data: bytes, central: int, local: int, fmt: str, value: int) -> bytes:
    """Set a field in one (or every) central directory entry and/or local header."""
    out = bytearray(data)
    targets = [(_CENTRAL, central), (_LOCAL, local)]
    every = rng.random() < 0.3
    for signature, offset in targets:
        if offset < 0:
            continue
        headers = _headers(data, signature)
        if not headers:
            continue
        for header in headers if every else [rng.choice(headers)]:
            if header + offset + struct.calcsize(fmt) <= len(out):
                struct.pack_into(fmt, out, header + offset, value)
    return bytes(out)


def set_method(rng: Random, data: bytes) -> bytes:
    """A compression method other than stored or deflate (bzip2, lzma, ppmd, or nonsense)."""
    return _set_field(rng, data, 10, 8, "<H", rng.choice([1, 6, 9, 12, 14, 97, 98, 99, 0xFFFF]))


def set_flags(rng: Random, data: bytes) -> bytes:
    """Encryption, strong encryption, patched data, data descriptor or random flag bits."""
    return _set_field(rng, data, 8, 6, "<H", rng.choice([0x1, 0x40, 0x20, 0x8, 0x41, rng.randrange(65536)]))


def set_version(rng: Random, data: bytes) -> bytes:
    """A 'version needed to extract' no Excel writes (25.5, 6.3, 0.0, 655.35)."""
    return _set_field(rng, data, 6, 4, "<H", rng.choice([255, 63, 64, 0, 0xFFFF]))


def set_sizes(rng: Random, data: bytes) -> bytes:
    """Lie about a part's compressed or uncompressed size."""
    value = rng.choice([0, 1, 1000, 0x7FFFFFFF, 0xFFFFFFFF, rng.randrange(1 << 32)])
    central, local = rng.choice([(20, 18), (24, 22)])
    return _set_field(rng, data, central, local, "<I", value)


def set_crc(rng: Random, data: bytes) -> bytes:
    """A wrong CRC-32."""
    return _set_field(rng, data, 16, 14, "<I", rng.randrange(1 << 32))


def set_offset(rng: Random, data: bytes) -> bytes:
    """A central directory entry pointing at the wrong local header."""
    return _set_field(rng, data, 42, -1, "<I", rng.choice([0, 1, len(data) - 1, rng.randrange(1 << 32)]))


def damage_deflate(rng: Random, data: bytes) -> bytes:
    """Damage the compressed data of one part (invalid distance, block type, code lengths...)."""
    headers = _headers(data, _LOCAL)
    header = rng.choice(headers)
    name_length, extra_length = struct.unpack_from("<HH", data, header + 26)
    start = header + 30 + name_length + extra_length
    size = struct.unpack_from("<I", data, header + 18)[0]
    if size <= 0 or start + size > len(data):
        return flip_bits(rng, data)
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[start + rng.randrange(min(size, 64) if rng.random() < 0.5 else size)] = rng.randrange(256)
    return bytes(out)


def duplicate_part(rng: Random, data: bytes) -> bytes:
    """The same part name twice, the second with other content."""
    parts = read_parts(data)
    name = rng.choice(list(parts))
    buffer = io.BytesIO(zip_parts(parts))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), rng.randbytes(rng.randint(0, 300)))
    return buffer.getvalue()


def drop_part(rng: Random, data: bytes) -> bytes:
    """A part missing (the index, its relationships, a sheet, the styles...)."""
    parts = read_parts(data)
    del parts[rng.choice(list(parts))]
    return zip_parts(parts)


def stored_parts(rng: Random, data: bytes) -> bytes:
    """Every part stored rather than deflated (valid; LibreOffice can do it)."""
    return zip_parts(read_parts(data), zipfile.ZIP_STORED)


# XML mutations, on one part, then re-packed.


def _edit_part(
    rng: Random, data: bytes, choose: Callable[[str], bool], edit: Callable[[bytes], bytes]
) -> bytes:
    parts = read_parts(data)
    names = [name for name in parts if choose(name)] or list(parts)
    name = rng.choice(names)
    parts[name] = edit(parts[name])
    return zip_parts(parts)


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/")


def far_cell(rng: Random, data: bytes) -> bytes:
    """One cell moved far away (A99999999, ZZ100000, XFD1048576...)."""
    far = rng.choice(FAR_REFERENCES).encode()
    return _edit_part(
        rng, data, _is_sheet, lambda xml: re.sub(rb'(<c r=")[A-Z]+\d+', rb"\g<1>" + far, xml, count=1)
    )


def far_dimension(rng: Random, data: bytes) -> bytes:
    """A sheet's declared dimension far away or malformed."""
    ref = rng.choice(
        [*FAR_REFERENCES, "A1:XFD1048576", "A1:AMJ1048576", "1:49", "", "B2:A1", "A1:B2:C3"]
    ).encode()
    return _edit_part(
        rng, data, _is_sheet, lambda xml: re.sub(rb'(<dimension ref=")[^"]*', rb"\g<1>" + ref, xml)
    )


def far_row(rng: Random, data: bytes) -> bytes:
    """A row numbered far away, its cells without references."""
    row = str(rng.choice([5001, 65536, 1048576, 99999999])).encode()
    extra = b'<row r="' + row + b'"><c><v>1</v></c><c t="inlineStr"><is><t>x</t></is></c></row>'
    return _edit_part(
        rng, data, _is_sheet, lambda xml: xml.replace(b"</sheetData>", extra + b"</sheetData>", 1)
    )


def rows_without_references(rng: Random, data: bytes) -> bytes:
    """Many rows and cells with no ``r``: calamine counts them to place the last cell."""
    rows = b"<row/>" * rng.choice([10, 5000, 200_000, 2_000_000])
    cells = b"<row>" + b"<c><v>1</v></c>" * rng.choice([5, 300, 20000]) + b"</row>"
    return _edit_part(
        rng, data, _is_sheet, lambda xml: xml.replace(b"</sheetData>", rows + cells + b"</sheetData>", 1)
    )


def prefixed_rows(rng: Random, data: bytes) -> bytes:
    """Rows with a namespace prefix and no references, which the guard's tag count does not see.

    Calamine places a row of 300 cells after them and asks for a grid of a hundred million cells.
    """
    rows = b"<x:row/>" * rng.choice([300_000, 1_000_000]) + b"<row>" + b"<c><v>1</v></c>" * 300 + b"</row>"
    return _edit_part(rng, data, _is_sheet, lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))


def huge_shared_strings(rng: Random, data: bytes) -> bytes:
    """A shared strings table announcing billions of texts."""
    parts = read_parts(data)
    count = str(rng.choice([4294967295, 99999999999, 600000, -1])).encode()
    parts["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="'
        + count
        + b'" uniqueCount="'
        + count
        + b'"><si><t>text</t></si></sst>'
    )
    rels = "xl/_rels/workbook.xml.rels"
    if rels in parts:
        link = (
            b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/sharedStrings"/></Relationships>'
        )
        parts[rels] = parts[rels].replace(b"</Relationships>", link)
    return zip_parts(parts)


def entity_bomb(rng: Random, data: bytes) -> bytes:
    """A document type with nested entities (billion laughs) in front of a part."""
    doctype = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b"<!ENTITY " + bytes([98 + i]) + b' "' + (b"&" + bytes([97 + i]) + b";") * 10 + b'">'
        for i in range(8)
    )
    doctype += b"]>"

    def edit(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[-1] if xml.startswith(b"<?xml") else xml
        return doctype + body.replace(b"<t>", b"<t>&i;", 1)

    return _edit_part(rng, data, lambda name: name.endswith(".xml"), edit)


def break_tag(rng: Random, data: bytes) -> bytes:
    """Cut an XML part short or drop a random closing tag."""

    def edit(xml: bytes) -> bytes:
        if rng.random() < 0.5:
            return xml[: rng.randrange(max(1, len(xml)))]
        closings = [m.start() for m in re.finditer(rb"</", xml)]
        if not closings:
            return xml
        at = rng.choice(closings)
        end = xml.find(b">", at)
        return xml[:at] + xml[end + 1 :]

    return _edit_part(rng, data, lambda name: name.endswith((".xml", ".rels")), edit)


def deep_nesting(rng: Random, data: bytes) -> bytes:
    """Elements nested tens of thousands deep inside a cell's text."""
    depth = rng.choice([100, 50_000])
    nest = b"<x>" * depth + b"</x>" * depth
    return _edit_part(rng, data, _is_sheet, lambda xml: xml.replace(b"</t>", nest + b"</t>", 1))


def odd_text(rng: Random, data: bytes) -> bytes:
    """Cell texts replaced with odd characters: controls, surrogates escaped, long runs, bad UTF-8."""
    choices = [b"&#0;", b"&#xD800;", b"\xff\xfe", b"\x00", "\u202e\u0000".encode(), b"A" * 100_000, b"=1+1"]
    text = rng.choice(choices)
    return _edit_part(
        rng, data, _is_sheet, lambda xml: re.sub(rb"<t>[^<]*</t>", b"<t>" + text + b"</t>", xml, count=3)
    )


def broken_names(rng: Random, data: bytes) -> bytes:
    """Defined names pointing far away, at missing sheets, or at nonsense."""
    target = rng.choice(
        [b"'Q1'!$XFD$1048576", b"Nowhere!$A$1", b"#REF!", b"'Q1'!$A$99999999", b"''!A1", b"!"]
    )
    return _edit_part(
        rng,
        data,
        lambda name: name == "xl/workbook.xml",
        lambda xml: re.sub(rb">[^<]*</definedName>", b">" + target + b"</definedName>", xml, count=5),
    )


def rename_sheets(rng: Random, data: bytes) -> bytes:
    """Sheet names changed in the index: duplicates, empty, very long, odd characters."""
    name = rng.choice([b"", b"Q1", b"x" * 300, b"Q1 ", b"&lt;&gt;", b"\xc3\x28"])
    return _edit_part(
        rng,
        data,
        lambda n: n == "xl/workbook.xml",
        lambda xml: re.sub(rb'(<sheet name=")[^"]*', rb"\g<1>" + name, xml, count=2),
    )


MUTATIONS: dict[str, Callable[[Random, bytes], bytes]] = {
    fn.__name__: fn
    for fn in (
        flip_bits,
        overwrite_bytes,
        truncate,
        splice,
        set_method,
        set_flags,
        set_version,
        set_sizes,
        set_crc,
        set_offset,
        damage_deflate,
        duplicate_part,
        drop_part,
        stored_parts,
        far_cell,
        far_dimension,
        far_row,
        rows_without_references,
        prefixed_rows,
        huge_shared_strings,
        entity_bomb,
        break_tag,
        deep_nesting,
        odd_text,
        broken_names,
        rename_sheets,
    )
}
# Mutations that need a valid zip to work on; after a byte mutation they are skipped.
NEEDS_ZIP = {name for name in MUTATIONS if name not in {"flip_bits", "overwrite_bytes", "truncate", "splice"}}
