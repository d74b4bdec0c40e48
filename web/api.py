"""HTTP APIs: LibreTranslate-compatible endpoints and the native document API (issue: HTTP API)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("api", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.extensions["csrf"].exempt(bp)
