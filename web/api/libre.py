"""LibreTranslate-compatible endpoints, so existing LibreTranslate clients work with this server unchanged.

Same paths, fields, JSON or form bodies, response shapes and error statuses as
LibreTranslate. Every ``q`` of a request is translated in one call through the
core (``translate_texts`` / ``translate_html``): a single ``q`` is a list of one.
Alternatives are accepted but never produced (``[]``): the engine returns one
hypothesis per sentence.
"""

from __future__ import annotations

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from spectree import Response, SpecTree

from translator import InputError, TranslatorError
from translator.edits import clean_edit
from translator.errors import UnsupportedPairError
from translator.files import SUPPORTED_SUFFIXES
from translator.languages import installed_languages, language_name
from translator.texts import detect_languages, translate_texts
from web.api.common import check_languages, detect_source, fail, validated
from web.api.files import download_file, translate_file_view
from web.api.models import (
    DetectedLanguage,
    DetectRequest,
    ErrorResponse,
    FrontendSettings,
    LanguageInfo,
    SuggestRequest,
    SuggestResponse,
    TranslateFileResponse,
    TranslateRequest,
    TranslateResponse,
)
from web.limits import current_key, keys_in_use
from web.metrics import count_characters
from web.services import services

ERRORS = {f"HTTP_{code}": ErrorResponse for code in (400, 403, 413, 429, 500, 503)}
FRONTEND_TIMEOUT_MS = 500


def blueprints(spec: SpecTree) -> tuple[Blueprint, Blueprint]:
    """(translate and detect: key-checked and rate limited; languages and settings: open, as in LibreTranslate)."""
    keyed = Blueprint("api_libre", __name__)
    keyed.add_url_rule(
        "/translate",
        methods=["POST"],
        view_func=spec.validate(
            json=TranslateRequest, form=TranslateRequest, resp=Response(HTTP_200=TranslateResponse, **ERRORS),
            tags=["translate"],
        )(translate),
    )  # fmt: skip
    keyed.add_url_rule(
        "/detect",
        methods=["POST"],
        view_func=spec.validate(
            json=DetectRequest, form=DetectRequest, resp=Response(HTTP_200=list[DetectedLanguage], **ERRORS),
            tags=["translate"],
        )(detect),
    )  # fmt: skip
    keyed.add_url_rule(
        "/suggest",
        methods=["POST"],
        view_func=spec.validate(
            json=SuggestRequest, form=SuggestRequest, resp=Response(HTTP_200=SuggestResponse, **ERRORS),
            tags=["translate"],
        )(suggest),
    )  # fmt: skip
    info = Blueprint("api_info", __name__)
    keyed.add_url_rule(
        "/translate_file",
        methods=["POST"],
        view_func=spec.validate(resp=Response(HTTP_200=TranslateFileResponse, **ERRORS), tags=["translate"])(
            translate_file_view
        ),
    )
    info.add_url_rule("/download_file/<name>", view_func=download_file)  # a file, not JSON: no response model
    info.add_url_rule(
        "/languages", view_func=spec.validate(resp=Response(HTTP_200=list[LanguageInfo]), tags=["info"])(languages)
    )
    info.add_url_rule(
        "/frontend/settings",
        view_func=spec.validate(resp=Response(HTTP_200=FrontendSettings), tags=["info"])(frontend_settings),
    )
    return keyed, info


def translate() -> ResponseReturnValue:
    """Translate text (or a list of texts); source 'auto' detects the language.

    Limits: at most TRANSLATOR_API_MAX_BATCH items and TRANSLATOR_API_MAX_CHARS characters
    (all items together) per request, else 400 as in LibreTranslate. format 'html' translates
    each block with its inline tags as placeholders; markup, attributes, code and anything under
    translate="no" or class "notranslate" stay as they were. Placeholders (%s, {name}, Weblate's
    [X7X]...), URLs and e-mail addresses come back byte for byte.
    """
    body: TranslateRequest = validated("json")
    settings = services().settings
    batch = isinstance(body.q, list)
    texts = list(body.q) if isinstance(body.q, list) else [body.q]
    if not request.is_json:
        texts = [text.replace("\r\n", "\n") for text in texts]  # form bodies use CRLF (RFC 2046)
    if batch and len(texts) > settings.api_max_batch:
        fail(400, f"Invalid request: request ({len(texts)}) exceeds batch limit ({settings.api_max_batch})")
    chars = sum(len(text) for text in texts)
    if chars > settings.api_max_chars:
        fail(400, f"Invalid request: request ({chars}) exceeds text limit ({settings.api_max_chars})")
    source, target = check_languages(body.source, body.target)
    detected = None
    if source == "auto":
        source, confidence = detect_source(texts, target)
        detected = DetectedLanguage(confidence=confidence, language=source).model_dump()
    translator = services().translator
    try:
        if body.format == "html":
            from translator.html_translate import translate_html  # BeautifulSoup (~5 MB) only once HTML is asked for

            translated = translate_html(translator, texts, source, target)
        else:
            translated = translate_texts(translator, texts, source, target)
    except (InputError, UnsupportedPairError) as error:
        fail(400, str(error))
    except TranslatorError as error:
        fail(500, f"Cannot translate text: {error}")
    count_characters("libretranslate", chars)
    result: dict[str, object] = {"translatedText": translated if batch else translated[0]}
    if detected is not None:
        result["detectedLanguage"] = [detected] * len(texts) if batch else detected
    if body.alternatives > 0:
        result["alternatives"] = [[] for _ in texts] if batch else []
    return result


def suggest() -> ResponseReturnValue:
    """Suggest a better translation of q: kept for review (``memory approve``, the library's review list).

    With an admin key it goes into the translation memory at once ("approved": true), and every later
    translation of the sentence uses it.
    """
    body: SuggestRequest = validated("json")
    memory = services().translator.memory
    if memory is None:
        fail(403, "Suggestions are off: the translation memory is disabled (TRANSLATOR_MEMORY).")
    limit = services().settings.api_max_chars
    if len(body.q) + len(body.s) > limit:
        fail(400, f"Invalid request: request ({len(body.q) + len(body.s)}) exceeds text limit ({limit})")
    if body.source == "auto":
        fail(400, "Invalid request: name the source language of a suggestion (not 'auto').")
    source, target = check_languages(body.source, body.target)
    try:
        translation = clean_edit(body.s)
    except InputError as error:
        fail(400, f"Invalid request: {error}")
    key = current_key()
    if key is not None and key.admin:
        memory.put(source, target, body.q, translation, "suggestion")
        return {"success": True, "approved": True}
    memory.suggest(source, target, body.q, translation, key.name if key is not None else None)
    return {"success": True, "approved": False}


def detect() -> ResponseReturnValue:
    """Detect the language of a text: installed languages only, most likely first, confidence in percent."""
    body: DetectRequest = validated("json")
    texts = list(body.q) if isinstance(body.q, list) else [body.q]
    chars = sum(len(text) for text in texts)
    limit = services().settings.api_max_chars
    if chars > limit:
        fail(400, f"Invalid request: request ({chars}) exceeds text limit ({limit})")
    pairs = services().translator.engine.pairs()
    allowed = {code for pair in pairs for code in pair}
    found = detect_languages(services().translator, texts, allowed)
    if not found:
        return [{"confidence": 0.0, "language": pairs[0][0] if pairs else "en"}]
    return [{"confidence": round(d.confidence * 100, 1), "language": d.language} for d in found]


def languages() -> ResponseReturnValue:
    """Languages of the installed models, each with the targets it can be translated into.

    A source language translated by the random-weight demo model is named "German (demo model)": the name is
    what LibreTranslate clients show their users, and the only place such a client would see the warning.
    """
    translator = services().translator
    demo_sources = {model.source_language for model in translator.installed_models() if model.demo}
    named = [(lang, f"{lang.name} (demo model)" if lang.code in demo_sources else lang.name)
             for lang in installed_languages(translator.engine)]  # fmt: skip
    return [{"code": lang.code, "name": name, "targets": list(lang.targets)} for lang, name in named]


def frontend_settings() -> ResponseReturnValue:
    """Settings LibreTranslate's web page reads (character limit, whether keys are needed, default languages)."""
    settings = services().settings
    targets = sorted({t for _, t in services().translator.engine.pairs()})
    target = "en" if "en" in targets or not targets else targets[0]
    notice = services().translator.demo_notice()
    return {
        "demoModel": bool(notice),  # not in LibreTranslate: the installed model is the random-weight demo one
        "demoNotice": notice,
        "charLimit": settings.api_max_chars,
        "frontendTimeout": FRONTEND_TIMEOUT_MS,
        "apiKeys": keys_in_use(),
        "keyRequired": settings.api_keys_required,
        "suggestions": services().translator.memory is not None,  # /suggest feeds the translation memory
        "filesTranslation": True,
        "supportedFilesFormat": list(SUPPORTED_SUFFIXES),
        "language": {
            "source": {"code": "auto", "name": "Auto Detect"},
            "target": {"code": target, "name": language_name(target)},
        },
    }
