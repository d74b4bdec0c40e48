"""Request logs: one line per request with method, path, status, latency and characters; no article text."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from translator import Settings
from web.logs import REQUEST_LOGGER, configure_logging

SECRET = "Geheimer Artikeltext über die Übernahme."


def make_client(settings: Settings) -> object:
    from app import create_app

    app = create_app({"TRANSLATOR_SETTINGS": settings, "TESTING": True, "WTF_CSRF_ENABLED": False})
    return app.test_client()


def test_request_line_has_fields_and_no_article_text(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    client = make_client(settings.with_overrides(rate_limit=""))
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        response = client.post("/translate", json={"q": SECRET, "source": "de", "target": "en"})  # type: ignore[attr-defined]
    assert response.status_code == 200
    records = [r for r in caplog.records if r.name == REQUEST_LOGGER and getattr(r, "path", "") == "/translate"]
    assert len(records) == 1
    record = records[0]
    assert (record.method, record.status) == ("POST", 200)  # type: ignore[attr-defined]
    assert record.latency_ms > 0 and record.chars == len(SECRET)  # type: ignore[attr-defined]
    assert "Geheimer" not in record.getMessage() and not hasattr(record, "text")


def test_debug_switch_adds_a_text_preview(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    client = make_client(settings.with_overrides(rate_limit="", log_article_text=True))
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        client.post("/translate", json={"q": SECRET, "source": "de", "target": "en"})  # type: ignore[attr-defined]
    record = next(r for r in caplog.records if getattr(r, "path", "") == "/translate")
    assert record.text == SECRET  # type: ignore[attr-defined]


def test_json_format_is_one_object_per_line(tmp_path: Path, settings: Settings) -> None:
    configure_logging(settings.with_overrides(log_format="json"))
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "_translator", False))
    record = logging.LogRecord(REQUEST_LOGGER, logging.INFO, __file__, 1, "GET / 200", None, None)
    record.status = 200
    line = handler.format(record)
    assert json.loads(line)["status"] == 200 and json.loads(line)["message"] == "GET / 200"
    configure_logging(settings)
    assert not handler.format(record).startswith("{")
