"""Browser sign-in with an API key, for servers with ``TRANSLATOR_API_KEYS_REQUIRED`` on.

A person pastes a key once; the signed session cookie (Flask's, with the
installation's secret key) then carries the key's hash, HttpOnly, SameSite=Lax,
and Secure whenever the request came over https. Without keys required every
browser route stays open, as on a single-user server on 127.0.0.1.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, jsonify, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask.typing import ResponseReturnValue

from web import limits
from web.security import secure

bp = Blueprint("signin", __name__)
POLLED_ENDPOINTS = frozenset({"reader.status", "reader.live", "reader.detect_preview"})  # fetched by scripts


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, marked Secure on every https request (behind a proxy: TRANSLATOR_PROXY_HOPS)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def init_app(app: Flask) -> None:
    app.session_interface = HttpsAwareSessionInterface()
    app.register_blueprint(bp)
    limits.protect_browser(limits.api_access(app), bp)
    app.context_processor(_signed_in)


def _signed_in() -> dict[str, object]:
    """For the page header: who is signed in (only on servers that require keys)."""
    return {"signed_in": limits.session_key() if limits.keys_required() else None}


def require_key() -> ResponseReturnValue | None:
    """Before every browser route: with keys required, sign in first (scripts' requests get 403)."""
    if not limits.keys_required() or limits.current_key() is not None:
        return None
    if request.endpoint in POLLED_ENDPOINTS:
        return jsonify(error="Sign in with an API key first."), 403
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("signin.form", next=target), 303)


@bp.after_request
def _headers(response: Response) -> Response:
    return secure(response)


@bp.get("/signin")
def form() -> ResponseReturnValue:
    """The sign-in page (servers without required keys have none)."""
    if not limits.keys_required():
        return redirect(url_for("reader.home"), 303)
    return render_template("signin.html", next=_local(request.args.get("next")), error="")


@bp.post("/signin")
def sign_in() -> ResponseReturnValue:
    """Check the pasted key and keep its hash in the session; back to where the person was going."""
    target = _local(request.form.get("next"))
    if not limits.keys_required():
        return redirect(url_for("reader.home"), 303)
    key = limits.sign_in(request.form.get("key", ""))
    if key is None:
        error = "That is not a valid API key. Paste the whole key, as it was given to you."
        return render_template("signin.html", next=target, error=error), 403
    return redirect(target or url_for("reader.home"), 303)


@bp.post("/signout")
def sign_out() -> ResponseReturnValue:
    """Forget the key in this browser."""
    session.clear()
    return redirect(url_for("signin.form"), 303)


def _local(target: str | None) -> str:
    """``target`` if it is a path on this server, else '' (a sign-in link must not lead elsewhere)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return ""
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else ""
