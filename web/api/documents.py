"""Native document API: an article in, the aligned bilingual document out (``Document.to_dict()``).

Every document is stored (it shows in the reader's library). A short article
is translated in the request (201 with the document); a long one, or any with
``"async": true``, becomes a background job (202): poll its status (progress,
ETA), then fetch the result, or cancel it. With keys required, a key sees only
the documents created with it (an admin key sees all); another key's document
answers 404, as a missing one does.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask import Blueprint, request, send_file, url_for
from flask.typing import ResponseReturnValue
from spectree import Response, SpecTree
from werkzeug.datastructures import FileStorage

from translator import InputError, TranslatorError
from translator.document import Document
from translator.edits import edit_sentence, parse_pair
from translator.errors import BrokerUnavailable, ConflictError, UnsupportedPairError
from translator.files import SUPPORTED_SUFFIXES, base_name, is_supported, read_sent_file
from translator.sources import Article, FetchError, read_article, read_url
from translator.status import JobStatus, is_active
from translator.storage.documents import StoredDocument
from web.api.common import check_languages, fail, named_glossary, validated
from web.api.models import Document as DocumentModel
from web.api.models import (
    DocumentForm,
    DocumentList,
    DocumentListQuery,
    DocumentRequest,
    DocumentStatus,
    EditedSentence,
    ErrorResponse,
    SentenceEdit,
)
from web.limits import creator, owner_scope
from web.metrics import count_characters
from web.services import services

SYNC_MAX_CHARS = 5_000  # automatic choice: longer articles become jobs (a few seconds of CPU at most inline)
ERRORS = {f"HTTP_{code}": ErrorResponse for code in (400, 403, 413, 415, 429, 500, 503)}
NOT_FOUND = {"HTTP_404": ErrorResponse}


def blueprint(spec: SpecTree) -> Blueprint:
    bp = Blueprint("api_documents", __name__, url_prefix="/api/v1")
    status = {"HTTP_200": DocumentStatus, **NOT_FOUND, **ERRORS}
    edited = {"HTTP_200": EditedSentence, "HTTP_409": ErrorResponse, **NOT_FOUND, **ERRORS}
    routes: list[tuple[str, Callable[..., ResponseReturnValue], str, dict[str, Any]]] = [
        ("/documents", list_documents, "GET",
         {"query": DocumentListQuery, "resp": Response(HTTP_200=DocumentList, **ERRORS)}),
        ("/documents", create_document, "POST",
         {"json": DocumentRequest, "form": DocumentForm,
          "resp": Response(HTTP_201=DocumentStatus, HTTP_202=DocumentStatus, **ERRORS)}),
        ("/documents/<doc_id>", document_status, "GET", {"resp": Response(**status)}),
        ("/documents/<doc_id>", delete_document, "DELETE", {"resp": Response("HTTP_204", **NOT_FOUND, **ERRORS)}),
        ("/documents/<doc_id>/result", document_result, "GET",
         {"resp": Response(HTTP_200=DocumentModel, HTTP_409=ErrorResponse, **NOT_FOUND, **ERRORS)}),
        ("/documents/<doc_id>/file", document_file, "GET",
         {"resp": Response("HTTP_200", HTTP_409=ErrorResponse, **NOT_FOUND, **ERRORS)}),
        ("/documents/<doc_id>/cancel", cancel_document, "POST", {"resp": Response(HTTP_409=ErrorResponse, **status)}),
        ("/documents/<doc_id>/sentences/<pair>", edit_document_sentence, "PUT",
         {"json": SentenceEdit, "resp": Response(**edited)}),
    ]  # fmt: skip
    for rule, view, method, validation in routes:
        bp.add_url_rule(rule, methods=[method], view_func=spec.validate(tags=["documents"], **validation)(view))
    return bp


def create_document() -> ResponseReturnValue:
    """Translate an article: 201 with the document when done in the request, 202 with a job to poll.

    Text, Markdown or HTML (reduced to its article text), or {"url": ...}: the page is fetched
    (timeouts, size cap, no private addresses) and reduced the same way. As multipart/form-data the
    same fields, or a file: a document (.docx, .po, .srt...) is read as its paragraphs and given back
    translated in its own format at links.file; a .txt/.md/.html file is read as an article. Without
    "async", articles over 5,000 characters become jobs; "async": false is refused (400) above
    TRANSLATOR_API_MAX_CHARS.
    """
    body: DocumentRequest = validated("json")
    svc = services()
    source, target = check_languages(body.source, body.target)
    upload = request.files.get("file") if isinstance(body, DocumentForm) else None
    article, original = _article(body, upload)
    text = article.text
    if len(text) > svc.settings.max_chars:
        fail(400, f"The article has {len(text):,} characters; the limit is {svc.settings.max_chars:,}.")
    run_async = body.run_async if body.run_async is not None else len(text) > SYNC_MAX_CHARS
    if not run_async and len(text) > svc.settings.api_max_chars:
        fail(400, f'The article has {len(text):,} characters; above {svc.settings.api_max_chars:,} send "async": true.')
    title = body.title.strip() or article.title or (original[0] if original else "")
    glossary = named_glossary(body.glossary, source, target)
    doc_id = svc.store.create(
        text, source, target, article.format, title, owner=creator(), metadata=article.metadata,
        glossary=body.glossary, original=original,
    )  # fmt: skip
    count_characters("documents", len(text))
    if run_async:
        try:
            svc.jobs.submit(doc_id)
        except BrokerUnavailable as error:  # nothing accepted: the client retries later
            svc.store.delete(doc_id)
            fail(503, str(error))
        return _status(doc_id), 202, {"Location": url_for(".document_status", doc_id=doc_id)}
    svc.store.mark_running(doc_id)
    try:
        document = svc.translator.translate_document(text, source, target, metadata=article.metadata, glossary=glossary)
    except (InputError, UnsupportedPairError) as error:  # e.g. detected a language no model covers
        svc.store.delete(doc_id)
        fail(400, str(error))
    except Exception as error:
        message = str(error) if isinstance(error, TranslatorError) else f"Internal error: {type(error).__name__}"
        svc.store.set_status(doc_id, JobStatus.FAILED, message)
        if not isinstance(error, TranslatorError):
            raise
        fail(500, f"Cannot translate text: {message}")
    svc.store.finish(doc_id, document)
    return (
        {**_status(doc_id), "document": document.to_dict()},
        201,
        {"Location": url_for(".document_status", doc_id=doc_id)},
    )


def _article(body: DocumentRequest, upload: FileStorage | None) -> tuple[Article, tuple[str, bytes] | None]:
    """The article from the request's text, URL or file (exactly one), read like every other input.

    A document file also gives its (name, bytes), kept with the document for the translated file.
    """
    given = [name for name, value in (("text", body.text), ("url", body.url), ("file", upload)) if value is not None]
    if not given:
        fail(400, "Send the article as text, a url or a file (one of them): missing text, url or file.")
    if len(given) > 1:
        fail(400, f"Send the article as text, a url or a file, only one of them; this one has {' and '.join(given)}.")
    fmt = None if body.format == "auto" else body.format
    settings = services().settings
    try:
        if body.url is not None:
            return read_url(body.url, settings, fmt), None
        if upload is not None:
            return _read_upload(upload)
        return read_article(body.text or "", fmt=fmt, settings=settings, label="The text"), None
    except FetchError as error:
        fail(error.status, str(error))
    except InputError as error:
        fail(400, str(error))


def _read_upload(upload: FileStorage) -> tuple[Article, tuple[str, bytes] | None]:
    """A document file as its paragraphs (kept as (name, bytes)), or an article file read as the web form reads it."""
    name = base_name(upload.filename or "")
    if not name:
        fail(400, "The file has no name; send it with its file name (brief.docx), which says its type.")
    if not is_supported(name):
        fail(415, f"{name}: unsupported file type; supported: {', '.join(SUPPORTED_SUFFIXES)}.")
    return read_sent_file(upload.read(), name, services().settings)


def list_documents() -> ResponseReturnValue:
    """The most recent documents and jobs, newest first (no text or result).

    With keys required, only those created with the request's key (an admin key lists all).
    """
    query: DocumentListQuery = validated("query")
    listing = services().store.recent(query.limit, with_content=False, owner=owner_scope())
    return {"documents": [_summary(stored) for stored in listing]}


def document_status(doc_id: str) -> ResponseReturnValue:
    """State of a document or job: status, progress in percent, ETA in seconds while running."""
    return _status(doc_id)


def document_result(doc_id: str) -> ResponseReturnValue:
    """The aligned bilingual document; 409 while the job is queued or running, or when it failed."""
    stored = _get(doc_id)
    document = _require_done(stored)
    return {**document.to_dict(), **({"file": _file(stored)} if stored.file_name else {})}


def _require_done(stored: StoredDocument) -> Document:
    """The finished translation; 409 while the job is queued or running, or when it failed."""
    document = stored.document()
    if stored.status != JobStatus.DONE or document is None:
        if is_active(stored.status):
            fail(409, f"The translation is {stored.status} ({stored.progress:g}% done); poll the status and try again.")
        fail(409, f"The translation is {stored.status}: {stored.error or 'no result'}")
    return document


def document_file(doc_id: str) -> ResponseReturnValue:
    """The translated file of a document read from a file, in the file's own format (``brief.en.docx``).

    409 while the job is queued or running, or when it failed; 404 for an article. Corrections of
    sentences are in it (they are in the translation memory). The same file each time it is asked for.
    """
    stored = _get(doc_id)
    original = services().store.original(doc_id) if stored.file_name else None
    if original is None:
        fail(404, f"Document {doc_id!r} was not read from a file; its translation is at links.result.")
    _require_done(stored)
    from translator.files.driver import translate_stored  # lxml, polib: loaded once a file is asked for

    try:
        result = translate_stored(services().translator, stored, original)
    except TranslatorError as error:  # e.g. its glossary was deleted since
        fail(409, f"The translated file cannot be made: {error}")
    response = send_file(
        io.BytesIO(result.data), as_attachment=True, download_name=stored.translated_file_name, max_age=0
    )
    response.direct_passthrough = False  # spectree reads the body it validates
    return response


def cancel_document(doc_id: str) -> ResponseReturnValue:
    """Stop a queued or running job (409 when it has already finished)."""
    stored = _get(doc_id)
    if not services().jobs.cancel(doc_id):
        fail(409, f"Only a queued or running job can be cancelled; this one is {stored.status}.")
    return _status(doc_id)


def delete_document(doc_id: str) -> ResponseReturnValue:
    """Remove a document from the library (a running job is cancelled first)."""
    _get(doc_id)
    services().jobs.cancel(doc_id)
    services().store.delete(doc_id)
    return "", 204


def edit_document_sentence(doc_id: str, pair: str) -> ResponseReturnValue:
    """Correct one sentence of a finished document (``b3-s2``: block 3, sentence 2, as in the reader).

    The block is joined again, the model's version kept (``machine``), and the sentence approved
    into the translation memory for every later translation. 409 while the document is being translated.
    """
    body: SentenceEdit = validated("json")
    try:
        edited = edit_sentence(
            services().store, services().translator.memory, doc_id, pair, body.translation, owner_scope()
        )
    except ConflictError as error:
        fail(409, str(error))
    except InputError as error:
        fail(400, str(error))
    if edited is None:
        fail(404, f"No document {doc_id!r}.")
    document, sentence = edited
    block = document.blocks[parse_pair(pair)[0] - 1]
    return {"id": pair, "source": sentence.source, "translation": sentence.translation, "origin": sentence.origin,
            "machine": sentence.machine, "block_translation": block.translation}  # fmt: skip


def _get(doc_id: str) -> StoredDocument:
    stored = services().store.get(doc_id, owner=owner_scope())
    if stored is None:
        fail(404, f"No document {doc_id!r}.")
    return stored


def _status(doc_id: str) -> dict[str, Any]:
    return _summary(_get(doc_id))


def _summary(stored: StoredDocument) -> dict[str, Any]:
    links = {
        "status": url_for(".document_status", doc_id=stored.id),
        "result": url_for(".document_result", doc_id=stored.id),
        "cancel": url_for(".cancel_document", doc_id=stored.id),
    }
    if not stored.file_name:
        return {**stored.summary(), "file": None, "links": links}
    return {
        **stored.summary(),
        "file": _file(stored),
        "links": {**links, "file": url_for(".document_file", doc_id=stored.id)},
    }


def _file(stored: StoredDocument) -> dict[str, Any]:
    """The file a document was read from, the name of its translation and where to get it."""
    url = url_for(".document_file", doc_id=stored.id)
    return {"name": stored.file_name, "translated_name": stored.translated_file_name, "url": url}
