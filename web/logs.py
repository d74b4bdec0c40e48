"""Request logging: one line per request (method, path, status, latency, characters), never article text.

``TRANSLATOR_LOG_FORMAT=json`` gives one JSON object per line (python-json-logger)
for log shippers; the default is a readable line. Handlers may add the number of
characters they translated with ``note_chars``.
"""

from __future__ import annotations

import json
import logging
import sys
import time

from flask import Flask, Response, current_app, g, request
from pythonjsonlogger.json import JsonFormatter

from translator import Settings

REQUEST_LOGGER = "translator.requests"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(settings: Settings) -> None:
    """Install one stderr handler on the root logger in the configured format (idempotent)."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, "_translator", False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler._translator = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", timestamp=False))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)


def note_chars(count: int) -> None:
    """Record how many characters this request translated (for the request log line)."""
    g.translator_chars = getattr(g, "translator_chars", 0) + count


QUIET_SUFFIXES = ("/status", "/live")  # polled every second by open reader pages: logged at DEBUG
TEXT_FIELDS = ("q", "text")
TEXT_PREVIEW = 200


def init_app(app: Flask, settings: Settings) -> None:
    configure_logging(settings)
    app.config["LOG_ARTICLE_TEXT"] = settings.log_article_text
    app.before_request(_start_timer)
    app.after_request(_log_request)


def _start_timer() -> None:
    g.translator_started = time.perf_counter()


def _log_request(response: Response) -> Response:
    started = getattr(g, "translator_started", None)
    latency_ms = round((time.perf_counter() - started) * 1000, 2) if started is not None else None
    fields = {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "latency_ms": latency_ms,
        "chars": getattr(g, "translator_chars", 0),
    }
    if current_app.config.get("LOG_ARTICLE_TEXT"):
        fields["text"] = _request_text()[:TEXT_PREVIEW]
    message = "{method} {path} {status} {latency_ms}ms chars={chars}".format(**fields)
    quiet = request.method == "GET" and request.path.endswith(QUIET_SUFFIXES) and response.status_code < 400
    logging.getLogger(REQUEST_LOGGER).log(logging.DEBUG if quiet else logging.INFO, message, extra=fields)
    return response


def _request_text() -> str:
    """The article or query text of a request: only logged when TRANSLATOR_LOG_ARTICLE_TEXT is on."""
    payload = request.get_json(silent=True) if request.is_json else None
    source = payload if isinstance(payload, dict) else request.form
    value = next((source.get(name) for name in TEXT_FIELDS if source.get(name)), "")
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
