"""Native document API: an article in, the aligned bilingual document out (``Document.to_dict()``).

Every document is stored (it shows in the reader's library). A short article
is translated in the request (201 with the document); a long one, or any with
``"async": true``, becomes a background job (202): poll its status (progress,
ETA), then fetch the result, or cancel it. With keys required, a key sees only
the documents created with it (an admin key sees all); another key's document
answers 404, as a missing one does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, url_for
from flask.typing import ResponseReturnValue
from spectree import Response, SpecTree

from translator import InputError, TranslatorError
from translator.edits import edit_sentence, parse_pair
from translator.errors import BrokerUnavailable, ConflictError, UnsupportedPairError
from translator.sources import Article, FetchError, read_article, read_url
from translator.status import JobStatus, is_active
from translator.storage.documents import StoredDocument
from web.api.common import check_languages, fail, validated
from web.api.models import Document as DocumentModel
from web.api.models import (
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
         {"json": DocumentRequest, "resp": Response(HTTP_201=DocumentStatus, HTTP_202=DocumentStatus, **ERRORS)}),
        ("/documents/<doc_id>", document_status, "GET", {"resp": Response(**status)}),
        ("/documents/<doc_id>", delete_document, "DELETE", {"resp": Response("HTTP_204", **NOT_FOUND, **ERRORS)}),
        ("/documents/<doc_id>/result", document_result, "GET",
         {"resp": Response(HTTP_200=DocumentModel, HTTP_409=ErrorResponse, **NOT_FOUND, **ERRORS)}),
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
    (timeouts, size cap, no private addresses) and reduced the same way. Without "async", articles
    over 5,000 characters become jobs; "async": false is refused (400) above TRANSLATOR_API_MAX_CHARS.
    """
    body: DocumentRequest = validated("json")
    svc = services()
    source, target = check_languages(body.source, body.target)
    article = _article(body)
    text = article.text
    if len(text) > svc.settings.max_chars:
        fail(400, f"The article has {len(text):,} characters; the limit is {svc.settings.max_chars:,}.")
    run_async = body.run_async if body.run_async is not None else len(text) > SYNC_MAX_CHARS
    if not run_async and len(text) > svc.settings.api_max_chars:
        fail(400, f'The article has {len(text):,} characters; above {svc.settings.api_max_chars:,} send "async": true.')
    title = body.title.strip() or article.title
    doc_id = svc.store.create(text, source, target, article.format, title, owner=creator(), metadata=article.metadata)
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
        document = svc.translator.translate_document(text, source, target, metadata=article.metadata)
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


def _article(body: DocumentRequest) -> Article:
    """The article from the request's text or URL (exactly one), read like every other input."""
    if (body.text is None) == (body.url is None):
        fail(400, "Send the article as text or a url (one of them): missing text or url." if body.text is None
             else "Send either text or a url, not both.")  # fmt: skip
    fmt = None if body.format == "auto" else body.format
    settings = services().settings
    try:
        if body.url is not None:
            return read_url(body.url, settings, fmt)
        return read_article(body.text or "", fmt=fmt, settings=settings, label="The text")
    except FetchError as error:
        fail(error.status, str(error))
    except InputError as error:
        fail(400, str(error))


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
    document = stored.document()
    if stored.status != JobStatus.DONE or document is None:
        if is_active(stored.status):
            fail(409, f"The translation is {stored.status} ({stored.progress:g}% done); poll the status and try again.")
        fail(409, f"The translation is {stored.status}: {stored.error or 'no result'}")
    return document.to_dict()


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
    return {**stored.summary(), "links": links}
