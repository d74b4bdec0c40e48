"""The Glossaries page of the web library: list, add a term, import a file, show, export, remove.

Registered on the reader's blueprint (``register``), so sign-in, CSRF and the
security headers apply as on every other page. A bad term or file re-shows the
page with the reason (400); an import is all or nothing.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from translator.errors import InputError, StoreUnavailable
from translator.glossary.files import format_for, read_entries, write_entries
from translator.storage.glossary import GlossaryInfo, GlossaryStore
from web.services import services


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/glossaries", "glossaries", glossaries)
    bp.add_url_rule("/glossaries/add", "glossary_add", add_term, methods=["POST"])
    bp.add_url_rule("/glossaries/import", "glossary_import", import_file, methods=["POST"])
    bp.add_url_rule("/glossaries/<name>", "glossary", show)
    bp.add_url_rule("/glossaries/<name>/export.<fmt>", "glossary_export", export)
    bp.add_url_rule("/glossaries/<name>/remove", "glossary_remove", remove, methods=["POST"])


def choices() -> list[GlossaryInfo]:
    """The glossaries the home page offers; none while the glossary store is out of use (the page still works)."""
    try:
        return _store().all()
    except StoreUnavailable:
        return []


def chosen(name: str, source: str, target: str) -> str | None:
    """The glossary picked on the home form (its name, kept with the job); InputError when it cannot be used."""
    if not name:
        return None
    try:
        glossary = _store().require(name)
    except StoreUnavailable as error:
        raise InputError(str(error)) from None
    if source != "auto":
        glossary.check_pair(source, target)
    return glossary.name


def _store() -> GlossaryStore:
    return services().translator.glossaries


def _form() -> dict[str, str]:
    return {key: request.form.get(key, "") for key in ("name", "source", "target", "term", "translation")}


def glossaries(error: str = "", status: int = 200, form: dict[str, str] | None = None) -> ResponseReturnValue:
    values = {"source": "de", "target": "en", **{k: v for k, v in (form or {}).items() if v}}
    pairs = services().translator.engine.pairs()
    return render_template("glossaries.html", glossaries=_store().all(), error=error, form=values, pairs=pairs), status


def add_term() -> ResponseReturnValue:
    form = _form()
    try:
        _store().add(form["name"], form["term"], form["translation"] or None, form["source"], form["target"])
    except InputError as error:
        return glossaries(str(error), 400, form)
    flash(f"Added “{form['term'].strip()}” to {form['name']}.", "info")
    return redirect(url_for(".glossary", name=form["name"]), 303)


def import_file() -> ResponseReturnValue:
    form = _form()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return glossaries("Choose a CSV or TSV file to import.", 400, form)
    try:
        chosen = format_for(upload.filename, "csv") if "." in upload.filename else None
        entries = read_entries(upload.stream, chosen)
        _store().put(form["name"], entries, form["source"], form["target"], replace=bool(request.form.get("replace")))
    except InputError as error:
        return glossaries(f"{error} Nothing was imported.", 400, form)
    flash(f"Imported {len(entries)} entries into {form['name']}.", "info")
    return redirect(url_for(".glossary", name=form["name"]), 303)


def show(name: str) -> ResponseReturnValue:
    found = _store().get(name)
    if found is None:
        return glossaries(f"No glossary named “{name}”.", 404)
    return render_template("glossary.html", glossary=found)


def export(name: str, fmt: str) -> ResponseReturnValue:
    found = _store().get(name)
    if found is None or fmt not in ("csv", "tsv"):
        return glossaries(f"No glossary named “{name}”." if found is None else "Export as csv or tsv.", 404)
    data = write_entries(found.entries.items(), "tsv" if fmt == "tsv" else "csv")
    mimetype = "text/tab-separated-values" if fmt == "tsv" else "text/csv"
    headers = {"Content-Disposition": f'attachment; filename="{found.name}.{fmt}"'}
    return Response(data, mimetype=f"{mimetype}; charset=utf-8", headers=headers)


def remove(name: str) -> ResponseReturnValue:
    term = request.form.get("term")
    store = _store()
    if term:
        store.remove_term(name, term)
        flash(f"Removed “{term}” from {name}.", "info")
        return redirect(url_for(".glossary", name=name), 303)
    store.remove(name)
    flash(f"Deleted the glossary {name}.", "info")
    return redirect(url_for(".glossaries"), 303)
