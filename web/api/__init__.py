"""HTTP APIs: LibreTranslate-compatible endpoints, the native document API, OpenAPI and its docs page.

Everything is created per app (blueprints, SpecTree, limiter, key store), so
tests can build several apps in one process. Errors on these blueprints are
JSON ``{"error": ...}``; 404/405 for paths no route matches are answered by the
app-level handlers (``web.reader.errors``), which also use JSON on API paths.
"""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.exceptions import HTTPException, default_exceptions

from translator.errors import StoreUnavailable
from web import faults, limits
from web.api import docs as api_docs
from web.api import documents as api_documents
from web.api import libre as api_libre
from web.api.common import http_error, unexpected_error
from web.api.spec import create_spec
from web.services import Services

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, X-API-Key",
    "Access-Control-Allow-Methods": "GET, POST, DELETE",
    "Access-Control-Max-Age": "86400",
}


def init_app(app: Flask) -> None:
    services: Services = app.extensions["translator_services"]
    spec = create_spec(app)
    access = limits.init_app(app, services.settings)
    keyed, info = api_libre.blueprints(spec)
    documents = api_documents.blueprint(spec)
    for bp in (keyed, documents):
        limits.protect(access, bp)
    for bp in (keyed, info, documents, api_docs.blueprint()):
        # Per status code: Flask prefers a code-specific handler anywhere (the app's HTML pages) to a class one.
        for code in default_exceptions:
            bp.register_error_handler(code, http_error)
        bp.register_error_handler(HTTPException, http_error)
        bp.register_error_handler(StoreUnavailable, faults.store_unavailable)
        bp.register_error_handler(Exception, unexpected_error)
        bp.after_request(cors)
        app.register_blueprint(bp)
        app.extensions["csrf"].exempt(bp)


def cors(response: Response) -> Response:
    """Browser clients of LibreTranslate (extensions, web pages) call it cross-origin, as they may call us."""
    for name, value in CORS_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
