"""API keys and rate limits for the API blueprints.

Rate limits come from flask-limiter with one budget per client shared by every
limited API route: a client is its API key when it sends a valid one (limit:
the key's own, else ``TRANSLATOR_RATE_LIMIT``), otherwise its address. With
``TRANSLATOR_API_KEYS_REQUIRED`` on, a request without a valid key gets 403.
Whenever keys are in use (required, or at least one exists) a key that is not
in the store is refused with 403, as LibreTranslate does with ``--api-keys``,
so a mistyped key never silently loses its own limit; on a server without any
key, ``api_key`` is ignored (clients such as deep-translator always send one).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, g, request
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter

from translator import Settings
from translator.storage.keys import ApiKey, KeyStore, key_store_path
from web.api.spec import error_response

EXTENSION = "api_access"
SHARED_SCOPE = "api"


@dataclass
class ApiAccess:
    settings: Settings
    keys: KeyStore
    limiter: Limiter


def init_app(app: Flask, settings: Settings) -> ApiAccess:
    """Create the key store and the limiter for this app (limits apply only to blueprints passed to protect).

    The rate limit's syntax was checked with the settings (``config.check_rate_limit``).
    """
    limiter = Limiter(
        key_func=client_key,
        app=app,
        storage_uri=settings.rate_limit_storage,
        strategy="moving-window",
        headers_enabled=True,
    )
    access = ApiAccess(settings, KeyStore(key_store_path(settings)), limiter)
    app.extensions[EXTENSION] = access
    return access


def protect(access: ApiAccess, bp: Blueprint) -> None:
    """Check keys and apply the shared rate limit on every route of ``bp``."""
    limited = ["GET", "POST", "DELETE"]  # not OPTIONS: a browser's preflight is not a request of its own
    access.limiter.shared_limit(current_limit, scope=SHARED_SCOPE, key_func=client_key, methods=limited)(bp)
    bp.before_request(check_key)


def _access() -> ApiAccess:
    found: ApiAccess = current_app.extensions[EXTENSION]
    return found


def request_key() -> str | None:
    """The API key sent with the request: JSON ``api_key``, form/query ``api_key``, or header X-API-Key."""
    key: object = None
    if request.is_json:
        body = request.get_json(silent=True)
        key = body.get("api_key") if isinstance(body, dict) else None
    elif request.method not in ("GET", "HEAD", "DELETE"):
        key = request.values.get("api_key")
    else:
        key = request.args.get("api_key")
    key = key or request.headers.get("X-API-Key")
    return key.strip() if isinstance(key, str) and key.strip() else None


def current_key() -> ApiKey | None:
    """The stored key the request authenticates with (looked up once per request)."""
    if "api_key_record" not in g:
        sent = request_key()
        g.api_key_record = _access().keys.lookup(sent) if sent else None
    found: ApiKey | None = g.api_key_record
    return found


def client_key() -> str:
    """Whom a rate limit counts: the key's name, or the client's address."""
    key = current_key()
    return f"key:{key.name}" if key is not None else f"ip:{request.remote_addr or 'unknown'}"


def current_limit() -> str:
    """The key's own limit if it has one, else the configured one ('' means no limit)."""
    key = current_key()
    if key is not None and key.rate_limit:
        return key.rate_limit
    return _access().settings.rate_limit.strip()


def check_key() -> ResponseReturnValue | None:
    """403 for a missing key when keys are required, and for an unknown key when keys are in use."""
    if request.method == "OPTIONS":
        return None
    access = _access()
    if request_key() is None:
        return error_response(403, "Invalid API key") if access.settings.api_keys_required else None
    if current_key() is None and keys_in_use():
        return error_response(403, "Invalid API key")
    return None


def keys_in_use() -> bool:
    """Keys are required, or at least one exists: an unknown key is then an error, not ignored."""
    access = _access()
    return access.settings.api_keys_required or access.keys.has_keys()
