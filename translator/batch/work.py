"""One file of a batch: read, translate with the shared Translator, write every format atomically.

Batch outputs are a pure function of the input's content, the model and the
decoding options: exports leave out what describes one run rather than the
translation (``translator.document.RUN_FIELDS``: timings, cache hits, the
cache's path), so a resumed run, or a second copy of an article served from the
document cache, produces byte-identical files to an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from translator.batch.inputs import Item
from translator.batch.manifest import Fingerprint, Manifest
from translator.batch.same import SAME, is_file_format, same_format_article, translate_file_item
from translator.document import Document, stable_provenance
from translator.errors import InputError, ModelError
from translator.exports import render
from translator.jobs.base import DONE, JobBackend, TaskState, article_request, task_id_for
from translator.pipeline import Translator
from translator.sources import Article, read_article, read_url
from translator.textio import write_atomic


@dataclass(frozen=True)
class Options:
    """The parts of the command line that decide outputs."""

    source: str
    target: str
    formats: tuple[str, ...]
    out_dir: Path


@dataclass
class Outcome:
    """What happened to one item; ``entry`` is its new manifest entry."""

    item: Item
    ok: bool
    entry: dict[str, Any]
    sentences: int = 0
    seconds: float = 0.0
    error: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Loaded:
    """An item read: the article, and the digest the manifest compares (file bytes; a page's article)."""

    article: Article
    digest: str
    data: bytes | None = None  # a file's bytes (for --format same); None for a fetched page


def read_input(item: Item) -> bytes:
    """The file's bytes, with OSError turned into a one-line reason.

    Only a regular file is read. Discovery already left other kinds out; this
    guards the file being swapped afterwards: open without blocking (a FIFO
    would wait for a writer forever), then check what was opened before reading.
    """
    try:
        descriptor = os.open(item.path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise OSError(f"cannot read it: {error.strerror or error}") from None
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise OSError("it is a directory, not a file")
        if not stat.S_ISREG(mode):
            raise OSError("it is not a regular file (a FIFO, socket or device); only regular files are read")
        try:
            return handle.read()
        except OSError as error:
            raise OSError(f"cannot read it: {error.strerror or error}") from None


def load_item(translator: Translator, item: Item) -> Loaded:
    """Read a file, or fetch and extract a page, the same way the web form and the API do.

    A page's digest is that of its extracted article and metadata, not of its bytes: a page
    whose adverts or counters changed is not translated again, one whose article changed is.
    """
    if item.url:
        article = read_url(item.url, translator.settings)
        digest = sha256(json.dumps([article.text, article.metadata], ensure_ascii=False).encode("utf-8"))
        return Loaded(article, digest)
    data = read_input(item)
    return Loaded(read_article(data, item.key, settings=translator.settings), sha256(data), data)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def engine_options(translator: Translator) -> dict[str, Any]:
    """Decoding options that change translations (not the run fields such as the cache's path)."""
    return stable_provenance(translator.engine.describe())


def model_key(translator: Translator, source_language: str, target: str) -> str | None:
    """name@version of the model for the pair; None when nothing is translated (source equals target)."""
    return None if source_language == target else translator.engine.model_for(source_language, target).key


def fingerprint(translator: Translator, item: Item, options: Options, digest: str, source_language: str) -> Fingerprint:
    return Fingerprint(
        sha256=digest,
        source=options.source,
        source_language=source_language,
        target=options.target,
        model=model_key(translator, source_language, options.target),
        engine=engine_options(translator),
        formats=sorted([SAME] if is_file_format(item) else options.formats),  # a document gets only its own format
        base=item.base,
    )


def unchanged(
    translator: Translator, manifest: Manifest, item: Item, options: Options, loaded: dict[str, Loaded] | None = None
) -> bool:
    """True when the manifest says item is finished for its current content, model and options.

    A URL item is fetched to know; what was fetched is kept in ``loaded`` for the translation.
    """
    entry = manifest.entry(item.key)
    if entry is None or entry.get("status") != "done" or not isinstance(entry.get("source_language"), str):
        return False
    try:
        if item.url:
            result = load_item(translator, item)
            if loaded is not None:
                loaded[item.key] = result
            digest = result.digest
        else:
            digest = sha256(read_input(item))
        current = fingerprint(translator, item, options, digest, entry["source_language"])
    except (OSError, InputError, ModelError):
        return False
    return manifest.is_finished(item.key, current)


@dataclass
class Submitted:
    """An item whose article went to the job backend: what writing its outputs needs when the result comes."""

    item: Item
    task_id: str
    loaded: Loaded
    started: float


def submit_item(
    translator: Translator,
    backend: JobBackend,
    item: Item,
    options: Options,
    previous: dict[str, Any] | None = None,
    loaded: Loaded | None = None,
) -> Submitted | Outcome:
    """Read the file (or fetch the page) and queue its article with the approved translations it needs.

    The task id comes from content, languages, model, options and those translations (``article_request``).

    A document in its own format (``is_file_format``: .docx, .po...) is not an article a worker takes:
    it is translated here, and its Outcome comes back at once. ``previous`` is the item's manifest entry,
    ``loaded`` the page already fetched by ``unchanged``. A read or input failure is the item's Outcome;
    BrokerUnavailable is the run's and propagates.
    """
    started = time.perf_counter()
    if is_file_format(item):
        return _translate_file(translator, item, options, previous, started)
    try:
        loaded = loaded or load_item(translator, item)
        article = loaded.article
        request = article_request(translator, article.text, options.source, options.target, article.metadata)
        task_id = task_id_for(translator, request)
    except Exception as error:  # the batch goes on: an input that cannot be read or parsed is its own failure
        return _failed(item, previous, str(error) or type(error).__name__, started)
    backend.submit(task_id, request)
    return Submitted(item, task_id, loaded, started)


def collect_item(
    translator: Translator, submitted: Submitted, state: TaskState, options: Options, previous: dict[str, Any] | None
) -> Outcome:
    """Write a finished task's outputs for its item (the submitter writes each output once)."""
    if state.state != DONE or state.document is None:
        return _failed(submitted.item, previous, state.error or "not translated", submitted.started)
    document = Document.from_dict(state.document)
    return write_item(translator, submitted.item, options, previous, document, submitted.loaded, submitted.started)


def write_item(
    translator: Translator,
    item: Item,
    options: Options,
    previous: dict[str, Any] | None,
    document: Document,
    loaded: Loaded,
    started: float,
) -> Outcome:
    """Write every format of the translated article atomically; never raises, a failure is an Outcome."""
    try:
        notes = list(document.notes)
        outputs: list[str] = []
        for fmt in options.formats:
            if fmt == SAME:
                if loaded.data is None:  # a web page: its article is in the bilingual outputs
                    notes.append("same: not written for web pages (the article is in the other outputs).")
                    continue
                same = same_format_article(translator, item, loaded.data, document, options.target)
                name, content = same.name, same.content
            else:
                export = render(document, fmt)
                name = item.output_name(document.source_language, options.target, export.extension)
                content = export.content
            write_atomic(options.out_dir / name, content)
            outputs.append(name)
        stamp = fingerprint(translator, item, options, loaded.digest, document.source_language)
        _remove_replaced(options.out_dir, previous, outputs)
    except Exception as error:  # the batch goes on: any failure is this file's, reported with its reason
        return _failed(item, previous, str(error) or type(error).__name__, started)
    return _done(item, stamp, outputs, len(document.sentences), document.word_count, notes, started)


def _translate_file(
    translator: Translator, item: Item, options: Options, previous: dict[str, Any] | None, started: float
) -> Outcome:
    """A document or localisation file translated in its own format, here; never raises."""
    try:
        data = read_input(item)
        file = translate_file_item(translator, item, data, options.source, options.target, options.formats)
        write_atomic(options.out_dir / file.name, file.content)
        stamp = fingerprint(translator, item, options, sha256(data), file.source_language)
        _remove_replaced(options.out_dir, previous, [file.name])
    except Exception as error:  # the batch goes on: any failure is this file's, reported with its reason
        return _failed(item, previous, str(error) or type(error).__name__, started)
    return _done(item, stamp, [file.name], file.segments, file.words, file.notes, started)


def _done(
    item: Item, stamp: Fingerprint, outputs: list[str], sentences: int, words: int, notes: list[str], started: float
) -> Outcome:
    seconds = time.perf_counter() - started
    entry: dict[str, Any] = {
        **stamp.to_dict(),
        "status": "done",
        "input": item.source,
        "outputs": outputs,
        "sentences": sentences,
        "words": words,
        "seconds": round(seconds, 3),
        "finished": _now(),
    }
    return Outcome(item, True, entry, sentences, seconds, notes=list(notes))


def _failed(item: Item, previous: dict[str, Any] | None, reason: str, started: float) -> Outcome:
    failure: dict[str, Any] = {"status": "failed", "input": item.source, "error": reason, "failed": _now()}
    if earlier := _earlier_outputs(previous):
        failure["earlier_outputs"] = earlier  # still on disk; the next success replaces or removes them
    return Outcome(item, False, failure, seconds=time.perf_counter() - started, error=reason)


def _remove_replaced(out_dir: Path, previous: dict[str, Any] | None, outputs: list[str]) -> None:
    """Delete an earlier run's outputs this run no longer writes (a format dropped, a language re-detected)."""
    root = out_dir.resolve()
    for name in _earlier_outputs(previous):
        path = (out_dir / str(name)).resolve()
        if name not in outputs and path.is_relative_to(root) and path != root:
            path.unlink(missing_ok=True)


def _earlier_outputs(previous: dict[str, Any] | None) -> list[str]:
    if not previous:
        return []
    names = [*(previous.get("outputs") or []), *(previous.get("earlier_outputs") or [])]
    return [str(name) for name in names]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
