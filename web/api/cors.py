"""Which browser pages may call the APIs across origins (CORS): the whole policy, in one place.

LibreTranslate's endpoints (and the public OpenAPI document) answer every origin
with ``Access-Control-Allow-Origin: *``: browser extensions and other sites call
them, they change nothing stored, and no cookie is involved (keys travel in the
request). The document API stores, lists and deletes articles, so only origins
named in ``TRANSLATOR_CORS_ORIGINS`` get CORS headers there. A missing header only
stops a page from *reading* an answer; a form POST from another site is sent
without asking first. So a document API request whose ``Origin`` header (browsers
send it on every cross-origin call) names an origin that is neither this server's
nor listed is refused with 403 before it does anything.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from flask_cors import CORS

from translator import ConfigError
from web.api.spec import error_response

HEADERS = ["Authorization", "Content-Type", "X-API-Key"]
MAX_AGE = 86400


def allowed_origins(setting: str) -> list[str]:
    """The origins named in ``TRANSLATOR_CORS_ORIGINS`` (lower case); ConfigError for anything else."""
    origins = [entry.strip().rstrip("/").lower() for entry in setting.split(",") if entry.strip()]
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query or parts.fragment:
            raise ConfigError(
                f"TRANSLATOR_CORS_ORIGINS: {origin!r} is not an origin; write scheme://host[:port], "
                "e.g. https://newsroom.example,http://localhost:3000"
            )
    return origins


def open_to_all(bp: Blueprint) -> None:
    """Any page may call these routes and read the answers (LibreTranslate's behaviour)."""
    CORS(bp, origins="*", send_wildcard=True, methods=["GET", "POST"], allow_headers=HEADERS, max_age=MAX_AGE)


def restrict(bp: Blueprint, origins: list[str]) -> None:
    """Only ``origins`` (and this server's own pages) may call these routes from a browser."""
    patterns = [re.compile(re.escape(origin) + r"\Z", re.IGNORECASE) for origin in origins]
    CORS(
        bp,
        origins=patterns,
        always_send=False,  # no Origin header: not a browser's cross-origin call, no CORS headers
        methods=["GET", "POST", "DELETE"],
        allow_headers=HEADERS,
        max_age=MAX_AGE,
    )

    def refuse_foreign_origin() -> ResponseReturnValue | None:
        origin = request.headers.get("Origin")
        if origin is None:
            return None
        origin = origin.strip().rstrip("/").lower()
        if origin in origins or origin == request.host_url.rstrip("/").lower():
            return None
        return error_response(
            403,
            "Cross-origin requests to the document API are refused unless TRANSLATOR_CORS_ORIGINS lists the origin.",
        )

    bp.before_request(refuse_foreign_origin)
