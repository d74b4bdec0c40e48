"""HTTP APIs: LibreTranslate-compatible endpoints, the native document API, OpenAPI and its docs page.

Everything is created per app (blueprints, SpecTree, limiter, key store), so
tests can build several apps in one process. Errors on these blueprints are
JSON ``{"error": ...}``; 404/405 for paths no route matches are answered by the
app-level handlers (``web.reader.errors``), which also use JSON on API paths.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import HTTPException, default_exceptions

from translator.errors import BrokerUnavailable, StoreUnavailable
from web import faults, limits
from web.api import cors
from web.api import docs as api_docs
from web.api import documents as api_documents
from web.api import libre as api_libre
from web.api.common import http_error, unexpected_error
from web.api.spec import create_spec
from web.services import Services


def init_app(app: Flask) -> None:
    services: Services = app.extensions["translator_services"]
    spec = create_spec(app)
    access = limits.api_access(app)
    keyed, info = api_libre.blueprints(spec)
    documents = api_documents.blueprint(spec)
    docs = api_docs.blueprint()
    cors.restrict(documents, cors.allowed_origins(services.settings.cors_origins))  # before the key check
    for bp in (keyed, info, docs):
        cors.open_to_all(bp)
    for bp in (keyed, documents):
        limits.protect(access, bp)
    for bp in (keyed, info, documents, docs):
        # Per status code: Flask prefers a code-specific handler anywhere (the app's HTML pages) to a class one.
        for code in default_exceptions:
            bp.register_error_handler(code, http_error)
        bp.register_error_handler(HTTPException, http_error)
        bp.register_error_handler(StoreUnavailable, faults.store_unavailable)
        bp.register_error_handler(BrokerUnavailable, faults.store_unavailable)
        bp.register_error_handler(Exception, unexpected_error)
        app.register_blueprint(bp)
        app.extensions["csrf"].exempt(bp)
