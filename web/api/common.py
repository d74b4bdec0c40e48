"""What both APIs share: the validated body, JSON errors, and which language pairs a request may use."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, NoReturn

from flask import abort, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from translator.errors import InputError, ModelError, UnsupportedPairError
from translator.glossary import Glossary
from translator.languages import check_pair
from translator.texts import detect_languages
from web.api.spec import error_response
from web.services import services

log = logging.getLogger(__name__)


def validated(location: str) -> Any:
    """The request part spectree validated: 'json', 'form' (either body: whichever was sent) or 'query'."""
    context = getattr(request, "context", None)
    if location in ("json", "form"):
        return getattr(context, "json", None) or getattr(context, "form", None)
    return getattr(context, location, None)


def fail(status: int, message: str) -> NoReturn:
    abort(error_response(status, message))


def check_languages(source: str, target: str) -> tuple[str, str]:
    """Normalised codes; 400 unless an installed model covers them (source 'auto', or equal to target, is fine).

    503 when no model is installed at all: the server, not the request, is at fault.
    """
    source, target = source.strip().lower(), target.strip().lower()
    _check_pair(services().translator.engine.pairs(), source, target)
    return source, target


def _check_pair(pairs: Sequence[tuple[str, str]], source: str, target: str) -> None:
    try:
        check_pair(pairs, source, target)
    except UnsupportedPairError as error:
        fail(400, str(error))
    except ModelError as error:
        fail(503, str(error))


def named_glossary(name: str | None, source: str, target: str) -> Glossary | None:
    """The request's glossary; 400 when there is none of that name or it is for another pair (source 'auto':
    checked once the language is known). A damaged glossary store is a 503, like every store fault."""
    if not name:
        return None
    try:
        glossary = services().translator.glossaries.require(name)
        if source != "auto":
            glossary.check_pair(source, target)
    except InputError as error:
        fail(400, str(error))
    return glossary


def detect_source(texts: Sequence[str], target: str) -> tuple[str, float]:
    """The language to translate from, with confidence in percent (LibreTranslate's scale).

    Only languages a model covers are considered, as LibreTranslate does; when
    nothing is recognised (digits, emoji) the first source language with a model
    to ``target`` is used with confidence 0. A detected language without a
    model to ``target`` is a 400.
    """
    pairs = services().translator.engine.pairs()
    allowed = {code for pair in pairs for code in pair}
    found = detect_languages(services().translator, texts, allowed)
    if not found:
        fallback = next((s for s, t in pairs if t == target), target)
        return fallback, 0.0
    language = found[0].language
    _check_pair(pairs, language, target)
    return language, round(found[0].confidence * 100, 1)


def http_error(error: HTTPException) -> ResponseReturnValue:
    """Every HTTP error on the API blueprints as ``{"error": ...}``, in LibreTranslate's wording where it has one."""
    response = error.get_response()
    if error.code is None or response.is_json:
        return response  # already a JSON error (abort with a response)
    code = error.code
    message = error.description or response.status
    if code == 429:
        message = f"Slowdown: {error.description}"
    elif code == 413:
        limit = services().settings.upload_max_bytes
        message = f"Request body too large: the limit is {limit:,} bytes (TRANSLATOR_UPLOAD_MAX_BYTES)."
    headers = {k: v for k, v in response.headers.items() if k in ("Allow", "Retry-After")}
    return jsonify(error=message), code, headers


def unexpected_error(error: Exception) -> ResponseReturnValue:
    """A bug: logged with its trace; the client gets a JSON 500 without internals."""
    log.exception("API request failed: %s %s (%s)", request.method, request.path, type(error).__name__)
    return jsonify(error=f"Internal error ({type(error).__name__}); it was logged."), 500
