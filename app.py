"""Flask application factory: ``gunicorn 'app:create_app()'``. Nothing happens at import time."""

from __future__ import annotations

from typing import Any

from flask import Flask

from translator import Settings, Translator


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` may carry ``TRANSLATOR_SETTINGS`` (a Settings) and Flask options (tests)."""
    app = Flask(__name__, template_folder="templates", static_folder="static")
    app.config.from_mapping(MAX_CONTENT_LENGTH=2 * 1024 * 1024)
    if config:
        app.config.update(config)
    settings = app.config.get("TRANSLATOR_SETTINGS") or Settings.from_env()
    app.extensions["translator"] = Translator(settings)

    from web.ops import bp as ops_bp

    app.register_blueprint(ops_bp)
    return app
