"""Correcting the translation in the reader: one sentence at a time, in place (reader.js) or by a plain form.

Both ways post to the same route; the script asks for the re-rendered block
(``X-Requested-With: fetch``) and swaps it in, the form gets a redirect back to
the block. A saved correction is kept in the document (the model's version
stays for comparison) and approved into the translation memory.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from translator.edits import edit_sentence, parse_pair
from translator.errors import ConflictError, InputError
from translator.storage.documents import StoredDocument
from web import limits
from web.reader import errors as reader_errors
from web.reader.view import reader_view
from web.services import services

NOT_EDITABLE = "This document is still being translated: correct it when the translation is done."


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/documents/<doc_id>/blocks/<int:block>/edit", "edit_block", edit_block, methods=["GET"])
    bp.add_url_rule("/documents/<doc_id>/sentences/<pair>", "save_sentence", save_sentence, methods=["POST"])


def _stored(doc_id: str) -> StoredDocument:
    stored = services().store.get(doc_id, owner=limits.owner_scope())
    if stored is None:
        abort(404)
    return stored


def _from_script() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def edit_block(doc_id: str, block: int) -> ResponseReturnValue:
    """The plain form (no script needed): every sentence of one block with its translation to correct."""
    return _edit_page(_stored(doc_id), block)


def _edit_page(stored: StoredDocument, block: int, error: str = "", pair: str = "", status: int = 200) -> Response:
    view = reader_view(stored)
    if not view.editable:
        return reader_errors.error_page(409, NOT_EDITABLE, "Not ready")
    if not 1 <= block <= len(view.rows):
        abort(404)
    assert view.document is not None  # editable
    html = render_template(
        "edit.html",
        view=view,
        row=view.rows[block - 1],
        sentences=view.document.blocks[block - 1].sentences,
        error=error,
        error_pair=pair,
        typed=request.form.get("translation", "") if error else "",
    )
    return Response(html, status=status, mimetype="text/html")


def save_sentence(doc_id: str, pair: str) -> ResponseReturnValue:
    """Save one corrected sentence: the block again (script) or back to the reader (form)."""
    store, memory = services().store, services().translator.memory
    try:
        edited = edit_sentence(store, memory, doc_id, pair, request.form.get("translation", ""), limits.owner_scope())
    except ConflictError:
        if _from_script():
            return jsonify(error=NOT_EDITABLE), 409
        return reader_errors.error_page(409, NOT_EDITABLE, "Not ready")
    except InputError as error:
        if _from_script():
            return jsonify(error=str(error)), 400
        stored = _stored(doc_id)
        try:
            block = parse_pair(pair)[0]
        except InputError:
            abort(404)
        return _edit_page(stored, block, str(error), pair, 400)
    if edited is None:
        abort(404)
    block, sentence = parse_pair(pair)
    if _from_script():
        view = reader_view(_stored(doc_id))
        return Response(render_template("_pair.html", row=view.rows[block - 1], view=view), mimetype="text/html")
    flash(f"Saved your translation of sentence {sentence}; the translation memory has it now.", "info")
    return redirect(url_for("reader.document", doc_id=doc_id, _anchor=f"b{block}"), 303)
