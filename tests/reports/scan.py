"""Reading generated reports back, independently of the code that wrote them."""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONTHLY_KINDS = frozenset({"contracts-update", "meeting-schedule", "returns-status"})
QUARTERLY_KINDS = frozenset({"pi-management", "late-returns", "national-extract", "packs"})  # reports.md
FEEDBACK_KINDS = frozenset({"feedback-summary"})  # feedback.md's quarterly summary, published beside them


def known_kinds(kinds: set[str], wanted: frozenset[str]) -> bool:
    """Every report of ``wanted`` published, and nothing else but the feedback summary."""
    return wanted <= kinds and kinds - wanted <= FEEDBACK_KINDS


SERVICE_ID = re.compile(r"SV\d{3,}")
_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[ >/]")
_TAG = re.compile(r"<[^>]+>")


def cells(path: Path) -> Iterator[tuple[str, str, Any, str]]:
    """(sheet, coordinate, value, data type) of every cell with a value."""
    workbook = load_workbook(path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet.title, cell.coordinate, cell.value, cell.data_type


def formula_cells(path: Path) -> list[str]:
    """Cells that are formulas, or text a spreadsheet would run as one."""
    found = []
    for sheet, coordinate, value, data_type in cells(path):
        if data_type == "f" or (isinstance(value, str) and value.startswith(FORMULA_STARTS)):
            found.append(f"{path.name}!{sheet}!{coordinate}: {value!r}")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and _FORMULA_ELEMENT.search(archive.read(name)):
                found.append(f"{path.name}:{name} holds a formula element")
    return found


def csv_formula_fields(path: Path) -> list[str]:
    """Fields of a CSV that a spreadsheet would run as a formula (negative numbers aside)."""
    found = []
    with path.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            for field in row:
                if field.startswith(FORMULA_STARTS) and not _is_number(field):
                    found.append(f"{path.name} row {number}: {field!r}")
    return found


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def workbook_text(path: Path) -> str:
    """Every cell value, sheet name, chart title and string of the workbook's parts, as one text."""
    parts = [str(value) for _, _, value, _ in cells(path)]
    with zipfile.ZipFile(path) as archive:
        parts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    return "\n".join(parts)


def html_text(path: Path) -> str:
    """The page's text and markup; for a PDF, its text (:func:`pdf_text`)."""
    if path.suffix == ".pdf":
        return pdf_text(path)
    return path.read_text(encoding="utf-8")


_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.DOTALL)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_FONT_DICT = re.compile(rb"/Font\s*<<(.*?)>>", re.DOTALL)
_FONT_REF = re.compile(rb"/([^\s/<>]+)\s+(\d+) 0 R")
_TEXT_TOKEN = re.compile(
    rb"/([^\s/<>\[\]]+)\s+[-\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>|\(((?:\\.|[^\\)])*)\)|(T[Jj]|ET)"
)


def _stream(body: bytes) -> bytes:
    """An object's stream, inflated: exactly /Length bytes after the ``stream`` keyword."""
    start = re.search(rb"stream\r?\n", body)
    length = re.search(rb"/Length (\d+)", body)
    if start is None:
        return b""
    raw = body[start.end() : start.end() + int(length.group(1))] if length else _STREAM.search(body).group(1)  # type: ignore[union-attr]
    if b"/FlateDecode" not in body[: start.start()]:
        return raw
    try:
        return zlib.decompress(raw)
    except zlib.error:
        return b""


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """A ToUnicode CMap's glyph codes and their text (bfchar and bfrange)."""
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.DOTALL):
        for first, last, start in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            base = bytes.fromhex(start.decode()).decode("utf-16-be", "replace")
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                mapping[code] = base[:-1] + chr(ord(base[-1]) + offset) if base else ""
    return mapping


def pdf_text(path: Path) -> str:
    """The text of a PDF as printed by Chromium: its pages' text runs (through the fonts' ToUnicode maps)
    and its document title, one run a line. Enough to check which IDs a PDF shows, not a general reader."""
    data = path.read_bytes()
    objects = {int(number): body for number, body in _OBJECT.findall(data)}
    maps: dict[int, dict[int, str]] = {}
    for number, body in objects.items():
        found = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if found and int(found.group(1)) in objects:
            maps[number] = _to_unicode(_stream(objects[int(found.group(1))]))
    fonts: dict[bytes, int] = {}
    for body in objects.values():
        for block in _FONT_DICT.findall(body):
            fonts.update({name: int(ref) for name, ref in _FONT_REF.findall(block)})
    lines = [t.decode("latin-1") for t in re.findall(rb"/Title \(((?:\\.|[^\\)])*)\)", data)]
    for body in objects.values():
        if b"stream" not in body:
            continue
        try:
            content = _stream(body)
        except zlib.error:
            continue
        if b"BT" not in content:
            continue
        mapping: dict[int, str] = {}
        run: list[str] = []
        for font, hexa, literal, operator in _TEXT_TOKEN.findall(content):
            if font:
                mapping = maps.get(fonts.get(font, -1), {})
            elif operator == b"ET":  # a text block's end: its runs make one line
                if run:
                    lines.append("".join(run))
                    run = []
            elif operator:
                continue
            elif literal:
                run.append(literal.decode("latin-1"))
            else:
                raw = bytes.fromhex(hexa.decode().replace(" ", "").replace("\n", ""))
                run += [
                    mapping.get(int.from_bytes(raw[n : n + 2], "big"), "") for n in range(0, len(raw) - 1, 2)
                ]
    return "\n".join(lines)


def sheet_rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    """A sheet's rows as dicts keyed by its header row (blank rows dropped)."""
    workbook = load_workbook(path)
    rows = list(workbook[sheet].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:] if any(v is not None for v in row)]


def read_csv_text(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def visible_text(html: str) -> str:
    """The page without its tags (what a reader sees, roughly)."""
    return _TAG.sub(" ", html)


class _PageReader(HTMLParser):
    """The headline, and each section's paragraphs and tables, of a report page (charts skipped)."""

    def __init__(self) -> None:
        super().__init__()
        self.headline: list[str] = []
        self.sections: list[dict[str, Any]] = []
        self._path: list[tuple[str, str]] = []  # open elements: (tag, class)
        self._text: list[str] | None = None
        self._in_svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if tag == "svg":
            self._in_svg += 1
        if self._in_svg or tag in ("meta", "br"):
            return
        self._path.append((tag, classes))
        if tag == "section" and classes != "headline" and self._inside("main"):
            self.sections.append({"paragraphs": [], "tables": []})
        elif tag == "table":
            self.sections[-1]["tables"].append([])
        elif tag == "tr":
            self.sections[-1]["tables"][-1].append([])
        if tag in ("p", "td", "th", "h2"):
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg -= 1
            return
        if self._in_svg or not self._path:
            return
        opened, classes = self._path.pop()
        text = "".join(self._text or [])
        if opened == "p" and self._inside("section") and not classes:
            if any(c == "headline" for t, c in self._path if t == "section"):
                self.headline.append(text)
            elif self._inside("main"):
                self.sections[-1]["paragraphs"].append(text)
        elif opened in ("td", "th"):
            self.sections[-1]["tables"][-1][-1].append(text)
        if opened in ("p", "td", "th", "h2"):
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None and not self._in_svg:
            self._text.append(data)

    def _inside(self, tag: str) -> bool:
        return any(t == tag for t, _ in self._path)


def page_parts(html: str) -> tuple[list[str], list[dict[str, Any]]]:
    """A page's headline sentences and its sections: ``paragraphs`` and ``tables`` (rows of cell texts,
    the heading row first), as a reader sees them."""
    reader = _PageReader()
    reader.feed(html)
    return reader.headline, reader.sections
