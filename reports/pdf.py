"""Pages printed to PDF by headless Chromium (the providers' packs), deterministic bytes.

Why Chromium: it prints the very page the HTML report is (the same
template, its print style sheet, the inline SVG charts), it is Debian's
``chromium`` package that the browser test already installs, and it adds no
Python dependency. WeasyPrint (PyPI) was tried: about five times slower a
pack, too slow for the 500 packs of a large authority.

One browser serves a whole publication: it is started once with
``--remote-debugging-pipe`` and each page is set as a tab's content and
printed (``Page.printToPDF``) over the DevTools protocol, so no page is
written to disk and nothing is fetched (the pages load nothing).

Chromium stamps each PDF with the time it was made and (in a tagged PDF)
numbers its elements by a counter of the browser session; both are rewritten in place
(same lengths, so the cross-reference offsets still hold): the dates become
the report's as-at date, the element IDs are renumbered in order. The same
page then gives the same bytes.

Where Chromium is missing (``SPMON_CHROMIUM`` names another binary), the
packs are published without PDFs and the index and manifest say so: the
caller gets :class:`PdfUnavailable` with the reason.
"""

from __future__ import annotations

import base64
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from foundation.settings import get_settings

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-pipe",
)
# Untagged: a tagged PDF is 3.5 times the size (400 KB a pack) and twice as slow to print; the
# accessible form of a pack is its HTML page, published beside it.
PRINT = {
    "printBackground": True,
    "preferCSSPageSize": True,
    "displayHeaderFooter": False,
    "generateTaggedPDF": False,
}
TIMEOUT = 120.0  # seconds for one answer of the browser
_DATES = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[^)]{0,12}\)")
_NODES = re.compile(rb"\(node(\d{8})\)")


class PdfUnavailable(RuntimeError):
    """No PDF can be made here (no Chromium, or it failed): the reason, for the index and the log."""


def find_chromium() -> str | None:
    """The Chromium to use: ``SPMON_CHROMIUM`` when set, else the first of :data:`CANDIDATES` on the PATH."""
    named = (get_settings().chromium or "").strip()
    if named:
        return named if Path(named).is_file() or shutil.which(named) else None
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def deterministic(pdf: bytes, as_at: date) -> bytes:
    """The PDF with its dates set to the as-at date and its element IDs numbered in order, lengths kept."""

    def stamp(match: re.Match[bytes]) -> bytes:
        old = match.group(0)
        new = b"/" + match.group(1) + b" (D:" + as_at.strftime("%Y%m%d").encode() + b"000000"
        rest = len(old) - len(new) - 1
        tail = (b"+00'00'" if rest >= 7 else b"")[:rest]
        return (new + tail + b"Z" * (rest - len(tail)) + b")") if rest >= 0 else old

    seen: dict[bytes, int] = {}

    def renumber(match: re.Match[bytes]) -> bytes:
        return b"(node%08d)" % seen.setdefault(match.group(1), len(seen))

    return _NODES.sub(renumber, _DATES.sub(stamp, pdf))


class Browser:
    """A headless Chromium driven over its DevTools pipe (fd 3 its input, fd 4 its output)."""

    def __init__(self, executable: str) -> None:
        self._profile = tempfile.mkdtemp(prefix="spmon-chromium-")
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()

        def pipes_at_3_and_4() -> None:  # runs in the child, before exec
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        try:
            self._process = subprocess.Popen(  # noqa: S603 - a browser binary the operator installed
                [executable, *FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=pipes_at_3_and_4,  # noqa: PLW1509 - only dup2, no Python state touched
                pass_fds=(3, 4),
            )
        except OSError as error:
            shutil.rmtree(self._profile, ignore_errors=True)
            raise PdfUnavailable(f"Chromium could not start ({executable}: {error})") from error
        finally:
            os.close(to_browser_r)
            os.close(from_browser_w)
        self._input: BinaryIO = os.fdopen(to_browser_w, "wb", buffering=0)
        self._output: BinaryIO = os.fdopen(from_browser_r, "rb", buffering=0)
        self._buffer = b""
        self._last = 0
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self._frame = self.call("Page.getFrameTree", session=True)["frameTree"]["frame"]["id"]

    def call(self, method: str, params: dict[str, Any] | None = None, session: bool = False) -> Any:
        """Send one command and wait for its answer (events in between are skipped)."""
        self._last += 1
        message: dict[str, Any] = {"id": self._last, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        try:
            self._input.write(json.dumps(message).encode("utf-8") + b"\0")
        except OSError as error:
            raise PdfUnavailable(f"Chromium stopped answering ({error})") from error
        deadline = time.monotonic() + TIMEOUT
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self._last:
                if "error" in answer:
                    raise PdfUnavailable(f"Chromium refused {method}: {answer['error']}")
                return answer.get("result", {})

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._output], [], [], left)[0]:
                raise PdfUnavailable(f"Chromium did not answer within {TIMEOUT:g} s")
            chunk = self._output.read(1 << 20)
            if not chunk:
                raise PdfUnavailable("Chromium closed its pipe (it stopped)")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\0", 1)
        answer: dict[str, Any] = json.loads(line)
        return answer

    def print_page(self, html: str) -> bytes:
        """The page (a whole, self-contained document) printed to PDF by its print style sheet."""
        self.call("Page.setDocumentContent", {"frameId": self._frame, "html": html}, session=True)
        return base64.b64decode(self.call("Page.printToPDF", PRINT, session=True)["data"])

    def close(self) -> None:
        """Close the browser (killed if it does not go) and remove its profile."""
        with suppress(Exception):
            self.call("Browser.close")
        with suppress(Exception):
            self._input.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        with suppress(Exception):
            self._output.close()
        shutil.rmtree(self._profile, ignore_errors=True)


@contextmanager
def browser() -> Iterator[Browser]:
    """A started browser, closed afterwards; :class:`PdfUnavailable` when there is none."""
    executable = find_chromium()
    if executable is None:
        raise PdfUnavailable(
            "Chromium is not installed (apt-get install chromium, or set SPMON_CHROMIUM to its path)"
        )
    started = Browser(executable)
    try:
        yield started
    finally:
        started.close()


def pdfs_of(pages: Sequence[str], as_at: date) -> list[bytes]:
    """Each page printed to PDF (deterministic bytes), by one browser; :class:`PdfUnavailable` if none."""
    if not pages:
        return []
    with browser() as chromium:
        return [deterministic(chromium.print_page(page), as_at) for page in pages]
