"""Flask application factory: ``gunicorn 'app:create_app()'``. Nothing happens at import time."""

from __future__ import annotations

import logging
import secrets
from contextlib import suppress
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

import web
from translator import Settings, Translator
from translator.errors import StoreUnavailable
from translator.jobs import job_runner
from translator.models import INSTALL_HINT, list_models
from translator.storage.documents import DocumentStore, document_store_path
from web import api, faults, limits, logs, ops, reader
from web.bodies import BoundedRequest
from web.services import Services


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` may carry ``TRANSLATOR_SETTINGS`` (a Settings) and Flask options (tests)."""
    config = config or {}
    settings: Settings = config.get("TRANSLATOR_SETTINGS") or Settings.from_env()
    app = Flask(__name__, root_path=str(_assets_root()), template_folder="templates", static_folder="static")
    app.request_class = BoundedRequest  # a chunked body over the limit is a 413, not a body cut short
    app.config.update(
        MAX_CONTENT_LENGTH=settings.upload_max_bytes,
        SECRET_KEY=_secret_key(settings.data_dir),
        RESUME_JOBS=True,
        JSON_SORT_KEYS=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",  # Secure is added on https (web.reader.signin), or always if set True here
    )
    app.config.update(config)
    if settings.proxy_hops:  # behind a proxy every request comes from it: trust its forwarded headers
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    logs.init_app(app, settings)
    translator = Translator(settings)
    store = DocumentStore(document_store_path(settings))  # a damaged store is reported, never fatal
    jobs = job_runner(settings, translator, store)  # in this process, or Celery workers with a broker
    app.extensions["translator_services"] = Services(settings, translator, store, jobs)
    app.extensions["csrf"] = CSRFProtect(app)
    limits.init_app(app, settings)
    ops.init_app(app)
    reader.init_app(app)
    faults.init_app(app)
    api.init_app(app)
    _warn_without_model(translator)
    if app.config["RESUME_JOBS"]:
        with suppress(StoreUnavailable):  # logged with the file's path; the document features answer 503
            jobs.resume_pending()
    return app


def _assets_root() -> Path:
    """Where templates/ and static/ are: inside the web package when installed (pyproject maps them there),
    beside this file in a checkout."""
    installed = Path(web.__file__).resolve().parent
    return installed if (installed / "templates").is_dir() else Path(__file__).resolve().parent


def _warn_without_model(translator: Translator) -> None:
    """Start anyway (health checks, the page explain it), but say clearly how to get a model."""
    _, problems = list_models(translator.settings.resolved_model_dir)
    for problem in problems:
        logging.getLogger(__name__).error("Unusable model package: %s", problem)
    if not translator.engine.pairs():
        logging.getLogger(__name__).warning(
            "No translation model installed in %s: /ready answers 503 until one is. %s",
            translator.settings.resolved_model_dir,
            INSTALL_HINT,
        )


def _secret_key(data_dir: Path) -> str:
    """A per-installation secret, created once and kept in the data directory (sessions, CSRF)."""
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
