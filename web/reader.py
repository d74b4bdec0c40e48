"""The browser side: home page, reader, library, exports (issue: bilingual reader)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("reader", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
