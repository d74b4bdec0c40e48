"""The translation memory in the web library: its TMX download and the review list of suggestions.

The memory is shared by every key (a sentence's approved translation serves all),
so with keys required only an admin key may download it or decide on suggestions.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from translator.storage.documents import ANY_OWNER
from translator.storage.memory import TranslationMemory
from translator.tmx import write_tmx
from web import limits
from web.services import services


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/memory", "memory", memory_page, methods=["GET"])
    bp.add_url_rule("/memory.tmx", "memory_tmx", memory_tmx, methods=["GET"])
    bp.add_url_rule("/memory/suggestions/<int:number>/approve", "approve", approve, methods=["POST"])
    bp.add_url_rule("/memory/suggestions/<int:number>/reject", "reject", reject, methods=["POST"])


def _memory() -> TranslationMemory:
    """The memory, for a browser allowed to manage it (keys off, or an admin key); 404 when it is switched off."""
    if limits.owner_scope() is not ANY_OWNER:
        abort(403)
    memory = services().translator.memory
    if memory is None:
        abort(404)
    return memory


def memory_page() -> ResponseReturnValue:
    """How many approved translations there are, the TMX download, and the suggestions waiting for review."""
    memory = _memory()
    return render_template("memory.html", entries=len(memory), suggestions=memory.suggestions())


def memory_tmx() -> ResponseReturnValue:
    """The whole memory as TMX 1.4 (the file `python -m translator memory export` writes)."""
    response = Response(write_tmx(_memory().entries()), mimetype="application/x-tmx+xml")
    response.headers["Content-Disposition"] = 'attachment; filename="translation-memory.tmx"'
    return response


def approve(number: int) -> ResponseReturnValue:
    approved = _memory().approve(number)
    if approved is None:
        flash(f"Suggestion {number} was already decided on.", "info")
    else:
        flash(f"Approved suggestion {number}: the translation memory has it now.", "info")
    return redirect(url_for("reader.memory"), 303)


def reject(number: int) -> ResponseReturnValue:
    rejected = _memory().reject(number)
    flash(f"Rejected suggestion {number}." if rejected else f"Suggestion {number} was already decided on.", "info")
    return redirect(url_for("reader.memory"), 303)
