"""LibreTranslate's file endpoints: ``POST /translate_file`` and ``GET /download_file/<name>``.

``/translate_file`` takes multipart ``file``, ``source``, ``target`` (and
``api_key``), translates the file in its own format (``translator.files``) and
answers ``{"translatedFileUrl": ...}``; the URL works for
TRANSLATOR_FILE_KEEP_SECONDS and needs no key (its random name is the key), as in
LibreTranslate.
"""

from __future__ import annotations

from flask import request, send_file, url_for
from flask.typing import ResponseReturnValue

from translator import InputError, TranslatorError
from translator.errors import UnsupportedPairError
from translator.files import SUPPORTED_SUFFIXES, base_name, is_supported
from translator.files.store import download_name
from web.api.common import check_languages, fail, named_glossary
from web.metrics import count_characters
from web.services import services, translated_files


def translate_file_view() -> ResponseReturnValue:
    """Translate a file (gettext, XLIFF, subtitles, office documents, e-books) into the same format.

    Multipart fields: file, source (or 'auto'), target, glossary (a name, optional), api_key. The answer's
    translatedFileUrl downloads the result for a limited time.
    """
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        fail(400, "Invalid request: missing file parameter")
    name = base_name(upload.filename)
    if not is_supported(name):
        fail(400, f"Invalid request: unsupported file type; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    source_code, target_code = request.form.get("source", ""), request.form.get("target", "")
    if not source_code or not target_code:
        fail(400, f"Invalid request: missing {'source' if not source_code else 'target'} parameter")
    source, target = check_languages(source_code, target_code)
    glossary = named_glossary(request.form.get("glossary"), source, target)
    data = upload.read()
    svc = services()
    from translator.files.driver import translate_file  # lxml, polib: loaded once a file is sent

    try:
        result = translate_file(
            svc.translator, data, name, source, target, max_chars=svc.settings.file_max_chars, glossary=glossary
        )
    except (InputError, UnsupportedPairError) as error:
        fail(400, str(error))
    except TranslatorError as error:
        fail(500, f"Cannot translate file: {error}")
    count_characters("libretranslate", result.characters)
    stored = translated_files().save_translation(result.data, name, target, result.suffix)
    return {"translatedFileUrl": url_for("api_info.download_file", name=stored, _external=True)}


def download_file(name: str) -> ResponseReturnValue:
    """A translated file, while it is still kept."""
    path = translated_files().path(name)
    if path is None:
        fail(404, "File not found: it has expired or never existed.")
    return send_file(path, as_attachment=True, download_name=download_name(name), max_age=0)
