"""Error pages for the browser side (their security headers: ``web.security``).

Error handlers are registered on the app (a 404 or 413 can happen before any
blueprint is chosen), so they answer HTML only for browser paths and JSON
``{"error": ...}`` for API and operational paths.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from web.security import secure
from web.services import services

API_PREFIXES = ("/api/", "/translate", "/download_file/", "/detect", "/languages", "/frontend/", "/metrics",
                "/health", "/ready", "/openapi", "/docs")  # fmt: skip
MESSAGES = {
    404: ("Not found", "There is no such page or document. It may have been deleted from the library."),
    405: ("Not allowed", "This address does not accept that kind of request."),
    413: ("Too large", "The upload is larger than this server accepts."),
    429: ("Too many requests", "This browser sent more requests than the server allows; wait a minute and try again."),
    500: ("Something went wrong", "The server could not finish this request. The error was logged."),
}


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIXES)


def error_page(code: int, message: str | None = None, heading: str | None = None) -> Response:
    """A friendly HTML error page with the given status."""
    default_heading, default_message = MESSAGES.get(code, ("Error", "The request could not be handled."))
    html = render_template(
        "error.html", code=code, heading=heading or default_heading, message=message or default_message
    )
    return secure(Response(html, status=code, mimetype="text/html"))


def _handle(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    message = MESSAGES.get(code, ("", error.description))[1]
    if code == 413:
        message = f"{message} {_limit_text()}"
    if is_api_path(request.path):
        return jsonify(error=message if code in (404, 413) else (error.description or message)), code
    return error_page(code, message)


def _limit_text() -> str:
    limit = services().settings.upload_max_bytes
    return f"The limit is {human_size(limit)}: split the article or save it without images."


def _csrf(error: CSRFError) -> ResponseReturnValue:
    if is_api_path(request.path):
        return jsonify(error=error.description), 400
    return error_page(
        400,
        "The form's security token was missing or had expired. Go back, reload the page and submit it again.",
        "Form expired",
    )


def _internal(error: InternalServerError) -> ResponseReturnValue:
    if is_api_path(request.path):
        return jsonify(error="Internal server error."), 500
    return error_page(500)


def human_size(size: int) -> str:
    """2097152 → '2 MB'."""
    if size >= 1024 * 1024:
        value = size / (1024 * 1024)
        return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def init_app(app: Flask) -> None:
    for code in (404, 405, 413, 429):
        app.register_error_handler(code, _handle)
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(InternalServerError, _internal)
