"""The browser side: home page, bilingual reader, document library and exports.

Every translation goes through the core: a stored document plus a background
job (``translator.jobs``); the reader polls a JSON status endpoint and fills in
blocks from an HTML fragment rendered by the same templates as the full page.
With keys required, every route here needs a signed-in key (``signin``) and
shows only that key's documents (all of them for an admin key).
"""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import FileStorage

from translator.detect import UNDETERMINED
from translator.errors import BrokerUnavailable, InputError, ModelError, TranslatorError, UnsupportedPairError
from translator.exports import EXPORT_FORMATS, render
from translator.files import DOCUMENT_SUFFIXES, base_name, read_sent_file
from translator.languages import check_pair, language_name
from translator.models import INSTALL_COMMAND
from translator.sources import ARTICLE_SUFFIXES, FORMATS, Article, is_url, read_article, read_url
from translator.status import ACTIVE, JobStatus, is_active
from translator.storage.documents import StoredDocument
from web import limits
from web.reader import edits, glossaries, memory, signin
from web.reader import errors as reader_errors
from web.reader.errors import human_size
from web.reader.view import (
    format_time,
    iso_time,
    percent,
    provisional_title,
    reader_view,
    slug,
)
from web.security import secure
from web.services import services

bp = Blueprint("reader", __name__)
VIEWS = ("both", "original", "translation")
EXPORT_LABELS = {"html": "HTML", "md": "Markdown", "tsv": "TSV", "json": "JSON", "xliff": "XLIFF 1.2"}
DETECT_PREVIEW_CHARS = 20_000
edits.register(bp)
memory.register(bp)
glossaries.register(bp)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    limits.protect_browser(limits.api_access(app), bp)
    signin.init_app(app)
    reader_errors.init_app(app)
    app.jinja_env.filters["datetime"] = format_time
    app.jinja_env.filters["isotime"] = iso_time
    app.jinja_env.filters["language"] = language_name
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.tests["active"] = is_active
    app.jinja_env.globals["active_statuses"] = " ".join(ACTIVE)


@bp.before_request
def _require_key() -> ResponseReturnValue | None:
    return signin.require_key()


@bp.after_request
def _headers(response: Response) -> Response:
    return secure(response)


def _languages() -> tuple[list[tuple[str, str]], list[str], list[str]]:
    pairs = services().translator.engine.pairs()
    return pairs, sorted({s for s, _ in pairs}), sorted({t for _, t in pairs})


def _home(error: str = "", status: int = 200, form: dict[str, str] | None = None) -> ResponseReturnValue:
    pairs, sources, targets = _languages()
    form = form or {}
    default_target = "en" if "en" in targets else (targets[0] if targets else "")
    values = {
        "text": form.get("text", ""),
        "source": form.get("source", "auto"),
        "target": form.get("target", default_target),
        "format": form.get("format", "auto"),
        "url": form.get("url", ""),
        "glossary": form.get("glossary", ""),
    }
    html = render_template(
        "home.html",
        error=error,
        accept=",".join(ARTICLE_SUFFIXES),
        install_command=INSTALL_COMMAND,
        form=values,
        pairs=pairs,
        sources=sources,
        targets=targets,
        document_suffixes=",".join(DOCUMENT_SUFFIXES),
        max_upload=human_size(services().settings.upload_max_bytes),
        max_upload_bytes=services().settings.upload_max_bytes,
        recent=services().store.recent(5, with_content=False, owner=limits.owner_scope()),
        demo_notice=services().translator.demo_notice(),
        glossaries=glossaries.choices(),
    )
    return html, status


@bp.get("/")
def home() -> ResponseReturnValue:
    """Paste or upload an article, pick the languages."""
    return _home()


@bp.post("/documents")
def create() -> ResponseReturnValue:
    """Store the article (or document file), start its job and go to the reader (which shows progress)."""
    form = {key: request.form.get(key, "") for key in ("text", "source", "target", "format", "url", "glossary")}
    upload = request.files.get("file")
    source, target = form["source"] or "auto", form["target"]
    try:
        article, title, original = _article_from(form, upload)
        check_pair(_languages()[0], source, target)
        if source == "auto":
            _check_detected(article.text, target)
        glossary = glossaries.chosen(form["glossary"], source, target)
    except (InputError, ModelError) as error:  # a pair that is not installed, or no model at all
        return _home(str(error), 400, form)
    store, jobs = services().store, services().jobs
    doc_id = store.create(
        article.text, source, target, article.format, title, owner=limits.creator(), metadata=article.metadata,
        glossary=glossary, original=original,
    )  # fmt: skip
    try:
        jobs.submit(doc_id)
    except BrokerUnavailable as error:  # nothing accepted: the form stays filled in for another try
        store.delete(doc_id)
        return _home(f"{error} Your article was not submitted.", 503, form)
    return redirect(url_for("reader.document", doc_id=doc_id), 303)


def _article_from(form: dict[str, str], upload: FileStorage | None) -> tuple[Article, str, tuple[str, bytes] | None]:
    """(article, provisional title, original file) from the pasted text, the uploaded file or the URL: one of them.

    A document file (.docx, .po, .srt...) is read as its paragraphs, and kept as (name, bytes) so the reader
    can give it back translated in its own format; articles have no original file.
    """
    pasted, url = form["text"], form["url"].strip()
    filename = base_name(upload.filename or "") if upload is not None else ""
    if sum(bool(given) for given in (pasted.strip(), filename, url)) > 1:
        raise InputError("Paste an article, choose a file or give a web address: only one of them.")
    settings = services().settings
    fmt = form["format"] or "auto"
    if fmt != "auto" and fmt not in FORMATS:
        raise InputError(f"Unknown text format {fmt!r}; choose plain text, Markdown or HTML.")
    original = None
    if url:
        if not is_url(url):
            raise InputError("The web address must start with http:// or https://.")
        article, title = read_url(url, settings), url
    elif upload is not None and filename:
        (article, original), title = read_sent_file(upload.read(), filename, settings), filename
    else:
        if not pasted.strip():
            raise InputError("Paste an article, choose a file or give a web address to translate.")
        article, title = read_article(pasted, fmt=fmt, settings=settings, label="The pasted text"), "Pasted article"
    if len(article.text) > settings.max_chars:
        raise InputError(f"The article has {len(article.text):,} characters; the limit is {settings.max_chars:,}.")
    if original is not None:
        return article, filename, original  # a document file is named by its file in the library
    return article, article.title or provisional_title(article.text, title), None


def _check_detected(text: str, target: str) -> None:
    """Refuse now, not in a failed job, an article auto-detect would send to a model that is not installed."""
    detection = services().translator.detector.detect(text[:DETECT_PREVIEW_CHARS])
    if detection.language == UNDETERMINED:
        raise InputError("Could not recognise the article's language; choose the source language yourself.")
    try:
        check_pair(_languages()[0], detection.language, target)
    except UnsupportedPairError:
        raise InputError(
            f"The article looks like {language_name(detection.language)} ({percent(detection.confidence)}% sure), "
            f"and no installed model translates {language_name(detection.language)} into {language_name(target)}. "
            "If the guess is wrong, choose the source language yourself."
        ) from None


@bp.post("/preview/detection")
def detect_preview() -> ResponseReturnValue:
    """What auto-detect would choose for the text typed so far (the home page asks as you paste)."""
    text = request.form.get("text", "")[:DETECT_PREVIEW_CHARS]
    if text.strip():
        try:
            text = read_article(text, fmt=request.form.get("format") or "auto", settings=services().settings).text
        except InputError as error:  # e.g. nested too deep: the same message the form would give
            return jsonify(language=None, message=str(error))
    if len(text.strip()) < 20:
        return jsonify(language=None, message="Paste a few sentences to detect the language.")
    detection = services().translator.detector.detect(text)
    if detection.language == UNDETERMINED:
        return jsonify(language=None, message="Could not recognise the language; choose it yourself.")
    name = language_name(detection.language)
    sure = percent(detection.confidence)
    installed = detection.language in _languages()[1]
    message = f"Detected {name}, {sure}% sure" + ("" if installed else f" (no {name} model is installed)")
    return jsonify(
        language=detection.language,
        name=name,
        confidence=detection.confidence,
        low_confidence=detection.low_confidence,
        installed=installed,
        message=message,
    )


@bp.get("/documents")
def library() -> ResponseReturnValue:
    """Every stored article, newest first."""
    listing = services().store.recent(500, with_content=False, owner=limits.owner_scope())
    return render_template("library.html", documents=listing)


def _stored(doc_id: str) -> StoredDocument:
    """The document, if this browser may see it (404 as for a missing one otherwise)."""
    stored = services().store.get(doc_id, owner=limits.owner_scope())
    if stored is None:
        abort(404)
    return stored


@bp.get("/documents/<doc_id>")
def document(doc_id: str) -> ResponseReturnValue:
    """The side-by-side reader; while the job runs it shows progress and the blocks finished so far."""
    view = request.args.get("view", "both")
    return render_template(
        "reader.html",
        view=reader_view(_stored(doc_id)),
        mode=view if view in VIEWS else "both",
        export_formats=EXPORT_FORMATS,
        export_labels=EXPORT_LABELS,
    )


@bp.get("/documents/<doc_id>/live")
def live(doc_id: str) -> ResponseReturnValue:
    """The part of the reader that changes while a job runs (progress, blocks, footer), for the poller."""
    response = Response(render_template("_live.html", view=reader_view(_stored(doc_id))), mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/documents/<doc_id>/status")
def status(doc_id: str) -> ResponseReturnValue:
    """Job status as JSON: status, percentage of sentences done, ETA, error."""
    stored = services().store.get(doc_id, owner=limits.owner_scope())
    if stored is None:
        return jsonify(error=f"No document {doc_id}."), 404
    response = jsonify(stored.summary())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/documents/<doc_id>/export/<fmt>")
def export(doc_id: str, fmt: str) -> ResponseReturnValue:
    """Download the finished document as HTML, Markdown, TSV, JSON or XLIFF."""
    stored = _stored(doc_id)
    if fmt not in EXPORT_FORMATS:
        abort(404)
    document = stored.document()
    if stored.status != JobStatus.DONE or document is None:
        return reader_errors.error_page(
            409, "The translation is not finished yet; exports are ready when it is.", "Not ready"
        )
    exported = render(document, fmt)
    name = f"{slug(document.title)}.{document.source_language}-{document.target_language}.{exported.extension}"
    response = Response(exported.content, content_type=exported.content_type)  # charset included: not twice
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/documents/<doc_id>/file")
def translated_file(doc_id: str) -> ResponseReturnValue:
    """The document file the article was read from, translated in its own format (``brief.docx`` → ``brief.en.docx``).

    Corrections saved in the reader are in it (they are in the translation memory).
    """
    stored = _stored(doc_id)
    original = services().store.original(doc_id) if stored.file_name else None
    if original is None:
        abort(404)
    if stored.status != JobStatus.DONE:
        return reader_errors.error_page(
            409, "The translation is not finished yet; the translated file is ready when it is.", "Not ready"
        )
    from translator.files.driver import translate_stored  # lxml, polib: loaded once a file is asked for

    try:
        result = translate_stored(services().translator, stored, original)
    except TranslatorError as error:  # e.g. its glossary was deleted since
        return reader_errors.error_page(409, f"The translated file cannot be made: {error}", "Not available")
    return send_file(io.BytesIO(result.data), as_attachment=True, download_name=stored.translated_file_name, max_age=0)


def _back(stored: StoredDocument) -> ResponseReturnValue:
    if request.form.get("next") == "reader":
        return redirect(url_for("reader.document", doc_id=stored.id), 303)
    return redirect(url_for("reader.library"), 303)


@bp.post("/documents/<doc_id>/retranslate")
def retranslate(doc_id: str) -> ResponseReturnValue:
    """Run the job again (after a model update, or a failure); the sentence cache makes repeats quick."""
    stored = _stored(doc_id)
    if is_active(stored.status):
        flash(f"“{stored.title}” is already being translated.", "info")
        return _back(stored)
    services().store.requeue(doc_id)
    try:
        services().jobs.submit(doc_id)
    except BrokerUnavailable:  # queued: submitted as soon as the broker answers
        flash(f"“{stored.title}” will be translated again once the job queue is back.", "info")
        return _back(stored)
    flash(f"Translating “{stored.title}” again.", "info")
    return _back(stored)


@bp.post("/documents/<doc_id>/cancel")
def cancel(doc_id: str) -> ResponseReturnValue:
    """Stop a queued or running job; what is stored so far stays."""
    stored = _stored(doc_id)
    if services().jobs.cancel(doc_id):
        flash(f"Stopped translating “{stored.title}”.", "info")
    return _back(stored)


@bp.post("/documents/<doc_id>/delete")
def delete(doc_id: str) -> ResponseReturnValue:
    """Remove the article and its translation from the library (a running job is cancelled first)."""
    stored = _stored(doc_id)
    services().jobs.cancel(doc_id)
    services().store.delete(doc_id)
    flash(f"Deleted “{stored.title}”.", "info")
    return redirect(url_for("reader.library"), 303)
