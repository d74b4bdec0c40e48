"""One file of a batch: read, translate with the shared Translator, write every format atomically.

Batch outputs are a pure function of the input's content, the model and the
decoding options: the JSON export leaves out what describes one run rather than
the translation (``timings``, per-sentence ``cached`` flags, the cache's path),
so a resumed run produces byte-identical files to an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from translator.batch.inputs import Item
from translator.batch.manifest import Fingerprint, Manifest
from translator.batch.same import SAME, is_file_format, same_format_article, translate_file_item
from translator.errors import ModelError
from translator.exports import render
from translator.formats import load_article
from translator.pipeline import Translator
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


def read_input(item: Item) -> bytes:
    """The file's bytes, with OSError turned into a one-line reason."""
    try:
        return item.path.read_bytes()
    except IsADirectoryError:
        raise OSError("it is a directory, not a file") from None
    except OSError as error:
        raise OSError(f"cannot read it: {error.strerror or error}") from None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def engine_options(translator: Translator) -> dict[str, Any]:
    """Decoding options that change translations (the cache's path does not)."""
    return {k: v for k, v in translator.engine.describe().items() if k != "cache"}


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


def unchanged(translator: Translator, manifest: Manifest, item: Item, options: Options) -> bool:
    """True when the manifest says item is finished for its current content, model and options."""
    entry = manifest.entry(item.key)
    if entry is None or entry.get("status") != "done" or not isinstance(entry.get("source_language"), str):
        return False
    try:
        digest = sha256(read_input(item))
        current = fingerprint(translator, item, options, digest, entry["source_language"])
    except (OSError, ModelError):
        return False
    return manifest.is_finished(item.key, current)


def translate_item(translator: Translator, item: Item, options: Options, previous: dict[str, Any] | None) -> Outcome:
    """Translate one file and write its outputs; never raises, a failure is an Outcome with the reason."""
    started = time.perf_counter()
    notes: list[str] = []
    try:
        data = read_input(item)
        digest = sha256(data)
        outputs: list[str] = []
        if is_file_format(item):
            file = translate_file_item(translator, item, data, options.source, options.target, options.formats)
            source_language, sentences, words, notes = file.source_language, file.segments, file.words, file.notes
            write_atomic(options.out_dir / file.name, file.content)
            outputs.append(file.name)
        else:
            document = translator.translate_document(load_article(data, item.key), options.source, options.target)
            source_language, sentences, words = document.source_language, len(document.sentences), document.word_count
            notes = list(document.notes)
            for fmt in options.formats:
                if fmt == SAME:
                    same = same_format_article(translator, item, data, document, options.target)
                    name, content = same.name, same.content
                else:
                    export = render(document, fmt)
                    name = item.output_name(document.source_language, options.target, export.extension)
                    content = stable_content(export.content, fmt)
                write_atomic(options.out_dir / name, content)
                outputs.append(name)
        stamp = fingerprint(translator, item, options, digest, source_language)
        _remove_replaced(options.out_dir, previous, outputs)
    except Exception as error:  # the batch goes on: any failure is this file's, reported with its reason
        reason = str(error) if str(error) else type(error).__name__
        failure: dict[str, Any] = {"status": "failed", "input": str(item.path), "error": reason, "failed": _now()}
        if earlier := _earlier_outputs(previous):
            failure["earlier_outputs"] = earlier  # still on disk; the next success replaces or removes them
        return Outcome(item, False, failure, seconds=time.perf_counter() - started, error=reason)
    seconds = time.perf_counter() - started
    entry: dict[str, Any] = {
        **stamp.to_dict(),
        "status": "done",
        "input": str(item.path),
        "outputs": outputs,
        "sentences": sentences,
        "words": words,
        "seconds": round(seconds, 3),
        "finished": _now(),
    }
    return Outcome(item, True, entry, sentences, seconds, notes=notes)


def stable_content(content: bytes, fmt: str) -> bytes:
    """The export without per-run fields, so the same input, model and options give the same bytes."""
    if fmt != "json":
        return content
    data = json.loads(content)
    data.pop("timings", None)
    provenance = data.get("provenance")
    if isinstance(provenance, dict):
        provenance.pop("cache", None)
    for block in data.get("blocks", []):
        for sentence in block.get("sentences", []):
            sentence.pop("cached", None)
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


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
