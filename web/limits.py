"""API keys, browser sign-in, document ownership and rate limits, for the API and the browser.

Rate limits come from flask-limiter with one budget per client shared by every
limited API route and by the browser's submissions and detection previews: a
client is its API key when it sends a valid one (limit: the key's own, else
``TRANSLATOR_RATE_LIMIT``), otherwise its address. The browser's page views,
reader polls and exports have a budget of their own (``TRANSLATOR_WEB_RATE_LIMIT``).
With ``TRANSLATOR_API_KEYS_REQUIRED`` on, an API request without a valid key gets
403 and the browser must sign in with a key (its hash is kept in the signed
session cookie); each document then belongs to the key that created it and only
that key, or an admin key, can see it. Whenever keys are in use (required, or at
least one exists) a key that is not in the store is refused with 403, as
LibreTranslate does with ``--api-keys``, so a mistyped key never silently loses
its own limit; on a server without any key, ``api_key`` is ignored (clients such
as deep-translator always send one).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, abort, current_app, g, request, session
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter

from translator import Settings
from translator.storage.documents import ANY_OWNER
from translator.storage.keys import ApiKey, KeyStore, hash_key, key_store_path
from web.api.spec import error_response

EXTENSION = "api_access"
SHARED_SCOPE = "api"
WEB_SCOPE = "web"
SESSION_KEY = "api_key_hash"
BROWSER_BLUEPRINTS = frozenset({"reader", "signin"})  # authenticated by the session cookie, never by a sent key


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


def protect_browser(access: ApiAccess, bp: Blueprint) -> None:
    """Browser routes: what costs work (POST) shares the client's API budget, pages and polls have their own."""
    access.limiter.shared_limit(current_limit, scope=SHARED_SCOPE, key_func=client_key, methods=["POST"])(bp)
    access.limiter.shared_limit(web_limit, scope=WEB_SCOPE, key_func=client_key, methods=["GET"])(bp)


def api_access(app: Flask) -> ApiAccess:
    """The key store and limiter init_app created for ``app``."""
    found: ApiAccess = app.extensions[EXTENSION]
    return found


def _access() -> ApiAccess:
    return api_access(current_app)


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
    """The stored key the request authenticates with: the session's in the browser, else the one sent."""
    if "api_key_record" not in g:
        if request.blueprint in BROWSER_BLUEPRINTS:
            g.api_key_record = session_key()
        else:
            sent = request_key()
            g.api_key_record = _access().keys.lookup(sent) if sent else None
    found: ApiKey | None = g.api_key_record
    return found


def session_key() -> ApiKey | None:
    """The key this browser signed in with, while it still exists (removing a key signs its browsers out)."""
    key_hash = session.get(SESSION_KEY)
    return _access().keys.lookup_hash(key_hash) if isinstance(key_hash, str) else None


def sign_in(key: str) -> ApiKey | None:
    """Remember a valid key in the session (its hash: the cookie never carries the key); None if invalid."""
    found = _access().keys.lookup(key.strip()) if key.strip() else None
    if found is not None:
        session.clear()
        session[SESSION_KEY] = hash_key(key.strip())
        g.api_key_record = found
    return found


def keys_required() -> bool:
    return _access().settings.api_keys_required


def owner_scope() -> str | None:
    """Whose documents this request may see: ANY_OWNER with keys off or for an admin key, else its key's own."""
    if not keys_required():
        return ANY_OWNER  # single-user server: everything, as before keys existed
    key = current_key()
    if key is None:
        abort(403)  # the key check refuses such requests first; never fall back to everything
    return ANY_OWNER if key.admin else key.name


def creator() -> str | None:
    """The owner a new document gets: the key's name, or none without a key."""
    key = current_key()
    return key.name if key is not None else None


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


def web_limit() -> str:
    return _access().settings.web_rate_limit.strip()


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
