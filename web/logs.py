"""Request logging: one line per request (method, path, status, latency, characters), never article text.

``TRANSLATOR_LOG_FORMAT=json`` gives one JSON object per line (python-json-logger)
for log shippers; the default is a readable line. Handlers may add the number of
characters they translated with ``note_chars``.
"""

from __future__ import annotations

import logging
import sys
import time

from flask import Flask, Response, g, request
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


def init_app(app: Flask, settings: Settings) -> None:
    configure_logging(settings)
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
    message = "{method} {path} {status} {latency_ms}ms chars={chars}".format(**fields)
    logging.getLogger(REQUEST_LOGGER).info(message, extra=fields)
    return response
