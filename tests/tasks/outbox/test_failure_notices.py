from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from foundation.settings import Settings, get_settings
from tasks.outbox import failure_notices


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SPMON_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def _failure() -> tuple[Any, Any, Any]:
    flow = SimpleNamespace(name="ingest")
    run = SimpleNamespace(name="ingest-2025-10-14", id="0123456789abcdef")
    state = SimpleNamespace(message="Flow run encountered an exception: the database is unreachable")
    return flow, run, state


def test_a_failed_run_leaves_a_notice_in_the_outbox(settings: Settings) -> None:
    failure_notices.notify_failure(*_failure())
    [notice] = (settings.outbox / "failures").iterdir()
    assert notice.name == "ingest-2025-10-14-01234567.txt"
    text = notice.read_text(encoding="utf-8")
    assert "The spmon run 'ingest-2025-10-14' of flow 'ingest'" in text
    assert "did not finish" in text
    assert "spmon ingest --file NAME" in text
    assert "the database is unreachable" in text
    assert "Retry" in text


class FakeSMTP:
    sent: list[Any] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.address = (host, port)

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def send_message(self, message: Any) -> None:
        FakeSMTP.sent.append((self.address, message))


def test_the_notice_is_emailed_when_smtp_is_configured(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(failure_notices.smtplib, "SMTP", FakeSMTP)
    configured = settings.model_copy(
        update={"smtp_host": "mail.example", "alert_emails": ["team@example.org"]}
    )
    monkeypatch.setattr(failure_notices, "get_settings", lambda: configured)
    failure_notices.notify_failure(*_failure())
    [(address, message)] = FakeSMTP.sent
    assert address == ("mail.example", 25)
    assert message["To"] == "team@example.org"
    assert "ingest-2025-10-14" in message["Subject"]


def test_no_email_without_smtp(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    FakeSMTP.sent = []
    monkeypatch.setattr(failure_notices.smtplib, "SMTP", FakeSMTP)
    failure_notices.notify_failure(*_failure())
    assert FakeSMTP.sent == []
