"""The one entry point: article text in, aligned bilingual Document out.

Web, API and CLI all call ``Translator.translate_document`` (or the module
function ``translate_document``); none of them segments, detects, caches or
translates on its own.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import cached_property
from itertools import accumulate
from typing import Any, NamedTuple

from translator.config import Settings
from translator.detect import UNDETERMINED, LanguageDetector
from translator.document import RUN_FIELDS, Block, Detection, Document, stable_provenance
from translator.engine import ArgosEngine, CachedEngine, Engine, MemoryEngine
from translator.errors import InputError, StoreUnavailable
from translator.flags import quality_flags
from translator.glossary import Glossary, translate_with_terms
from translator.merging import MergingEngine
from translator.models import InstalledModel, demo_notice
from translator.segment import parse_blocks, split_sentences
from translator.storage.cache import TranslationCache, open_cache
from translator.storage.glossary import GlossaryStore, glossary_store_path
from translator.storage.memory import ApprovedTranslations, TranslationMemory, memory_path

Progress = Callable[[int, int], None]
Partial = Callable[[Document, int, int], None]


class Segmented(NamedTuple):
    """An article segmented for translation (``Translator.segment``)."""

    blocks: list[Block]
    detected: Detection
    source_language: str


class Translator:
    """Holds the engine, cache and detector for one configuration; safe to share between threads."""

    def __init__(self, settings: Settings | None = None, engine: Engine | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self._engine = engine
        self.detector = LanguageDetector()

    @cached_property
    def cache(self) -> TranslationCache | None:
        """SQLite in the data directory, or Redis shared by many workers (``TRANSLATOR_CACHE_URL``), or none."""
        return open_cache(self.settings)

    @cached_property
    def glossaries(self) -> GlossaryStore:
        """The glossaries of this installation (<data dir>/glossaries.sqlite3), opened on first use."""
        return GlossaryStore(glossary_store_path(self.settings))

    def glossary_named(self, name: str | None) -> Glossary | None:
        """The glossary of that name for a request (None without a name); InputError when there is none."""
        return self.glossaries.require(name) if name else None

    @cached_property
    def memory(self) -> TranslationMemory | None:
        return TranslationMemory(memory_path(self.settings.data_dir)) if self.settings.memory else None

    @cached_property
    def merger(self) -> MergingEngine:
        return MergingEngine(self._engine or ArgosEngine(self.settings))

    @cached_property
    def machine(self) -> Engine:
        """The cache (hits cost nothing), then merging of concurrent requests, then the model."""
        return CachedEngine(self.merger, self.cache) if self.cache is not None else self.merger

    @cached_property
    def engine(self) -> Engine:
        """Memory first (approved human translations), then the machine chain (``machine``)."""
        return MemoryEngine(self.machine, self.memory) if self.memory is not None else self.machine

    def _engine_with(self, memory: ApprovedTranslations | None) -> Engine:
        """The engine chain with ``memory`` in front instead of this installation's (None: the usual chain)."""
        return self.engine if memory is None else MemoryEngine(self.machine, memory)

    def preparing(self) -> AbstractContextManager[None]:
        """Wrap the work before this thread's engine call, so concurrent requests can share that call."""
        return self.merger.preparing()

    def installed_models(self) -> list[InstalledModel]:
        """The model of every installed language pair."""
        return [self.engine.model_for(source, target) for source, target in self.engine.pairs()]

    def demo_notice(self) -> str:
        """A plain warning when an installed model is the random-weight demo one (``models.DEMO_KEY``), else ''."""
        return demo_notice(self.installed_models())

    def translate_document(
        self,
        text: str,
        source: str = "auto",
        target: str = "en",
        progress: Progress | None = None,
        progress_slice: int = 0,
        partial: Partial | None = None,
        metadata: dict[str, str] | None = None,
        glossary: Glossary | None = None,
        memory: ApprovedTranslations | None = None,
    ) -> Document:
        """Segment, detect, translate and flag an article.

        ``glossary`` (for the article's language pair, else an InputError): its terms come back as
        given, and a sentence whose output lost one is flagged ``glossary``. ``memory`` answers instead of
        this installation's translation memory (a job's ``MemorySnapshot`` from its submitter's memory).

        ``metadata`` is the page's (from ``translator.sources.read_article``): it is kept in
        the document, and for extracted web pages it says each block's kind.

        ``progress(done, total)`` is called as sentences finish; ``progress_slice``
        > 0 translates in slices of that many sentences so progress can be reported
        (0 means one batch for the whole article, the fastest). ``partial(document,
        done, total)`` lets a reader show the article while it fills in: it gets the
        segmented document before the first slice, then after each slice, with every
        block whose sentences are all translated already joined (blocks are in order,
        so the blocks holding the first ``done`` sentences are the finished ones).
        A repeated article (same text, languages, models and options) comes whole
        from the cache.
        """
        started = time.perf_counter()
        source, target = language_code(source, "source"), language_code(target, "target")
        metadata = dict(metadata or {})
        key = self._document_key(text, source, target, metadata, glossary, memory)
        cached = self.cache.get_document(key) if self.cache is not None and key else None
        if cached is not None:
            return self._from_cache(cached, started, progress)
        with self.preparing():
            document = self._translate_fresh(
                text, source, target, progress, progress_slice, partial, started, metadata, glossary, memory
            )
        if self.cache is not None and key:
            self.cache.put_document(key, json.dumps(document.stable_dict(), ensure_ascii=False))
        return document

    def job_key(
        self,
        text: str,
        source: str = "auto",
        target: str = "en",
        metadata: dict[str, str] | None = None,
        carried: list[Any] | None = None,
    ) -> str:
        """The request's identity, from which job task ids are derived: same article, languages, models, options.

        ``carried`` is what a job brings along from its submitter (the glossary entries and approved
        translations it applies, in a stable form): a correction saved on the submitter makes a new task.
        Nothing of the machine computing the key is in it (not its memory, not its glossaries), so a
        worker recognises the submitter's request.
        """
        source, target = language_code(source, "source"), language_code(target, "target")
        if not isinstance(text, str):
            return ""
        return _digest(self._request_parts(text, source, target) + ([metadata] if metadata else []) + (carried or []))

    def _document_key(
        self,
        text: str,
        source: str,
        target: str,
        metadata: dict[str, str],
        glossary: Glossary | None,
        memory: ApprovedTranslations | None = None,
    ) -> str:
        """Article + its metadata + languages + glossary + every installed model and option: any change misses.

        Run fields (the cache's own path, ...) are not part of it: moving the data directory keeps the hits.
        The memory's revision is: an article stored before a human edit is translated again after it.
        """
        if not isinstance(text, str):
            return ""
        memory = memory if memory is not None else self.memory
        try:
            revision = memory.revision() if memory is not None else None
        except StoreUnavailable:
            return ""  # cannot tell whether the memory changed: translate, do not trust the stored article
        parts = self._request_parts(text, source, target) + [revision] + ([metadata] if metadata else [])
        return _digest(parts + ([{"glossary": glossary.fingerprint}] if glossary is not None else []))

    def _request_parts(self, text: str, source: str, target: str) -> list[Any]:
        """What decides a machine translation: the article, the languages, every installed model and option."""
        models = [model.key for model in self.installed_models()]
        return [text, source, target, models, stable_provenance(self.engine.describe())]

    def _from_cache(self, cached: str, started: float, progress: Progress | None) -> Document:
        """The stored translation with this run's fields: every sentence cached, which cache served it."""
        document = Document.from_dict(json.loads(cached))
        for sentence in document.sentences:
            sentence.cached = True
        run = {k: v for k, v in self.engine.describe().items() if k in RUN_FIELDS.provenance}
        document.provenance = {**stable_provenance(document.provenance), **run, "served_from": "document cache"}
        document.timings = {"total_ms": _ms(time.perf_counter() - started)}
        if progress is not None:
            progress(len(document.sentences), len(document.sentences))
        return document

    def _translate_fresh(
        self,
        text: str,
        source: str,
        target: str,
        progress: Progress | None,
        progress_slice: int,
        partial: Partial | None,
        started: float,
        metadata: dict[str, str],
        glossary: Glossary | None = None,
        memory: ApprovedTranslations | None = None,
    ) -> Document:
        blocks, detected, source_language = self.segment(text, source, metadata)
        parsed = time.perf_counter()
        self.detector.detect_blocks(blocks, detected)
        document = Document(blocks, detected, source_language, target, metadata=metadata)
        if source == "auto" and detected.language == UNDETERMINED:
            raise InputError("Could not recognise the article's language; choose the source language explicitly.")
        if source != "auto" and source != detected.language and not detected.low_confidence:
            document.notes.append(f"The article looks like '{detected.language}' but was translated as '{source}'.")
        detected_at = time.perf_counter()
        if source_language == target:
            document.notes.append(f"The article is already in '{target}'; nothing was translated.")
            self._copy_through(blocks)
            document.provenance = {"model": None, "version": None, "skipped": "source language equals target"}
        else:
            if glossary is not None:
                glossary.check_pair(source_language, target)
            model = self.engine.model_for(source_language, target)
            document.provenance = {**model.describe(), **self.engine.describe()}
            if glossary is not None:
                document.provenance["glossary"] = glossary.name
            self._translate_blocks(document, progress, progress_slice, partial, glossary, self._engine_with(memory))
        finished = time.perf_counter()
        document.timings = {
            "segment_and_detect_ms": _ms(parsed - started),
            "block_detect_ms": _ms(detected_at - parsed),
            "translate_ms": _ms(finished - detected_at),
            "total_ms": _ms(finished - started),
        }
        return document

    def segment(self, text: str, source: str, metadata: dict[str, str] | None = None) -> Segmented:
        """The article's blocks split into sentences, its detected language, and the source language used.

        The one segmentation: the pipeline translates these sentences, and a job's submitter looks them up
        in its memory and glossary (``translator.jobs.base.article_request``).
        """
        blocks = parse_blocks(text, self.settings.max_chars, metadata)
        detected = self.detector.detect("\n".join(block.source for block in blocks))
        source = language_code(source, "source")
        source_language = detected.language if source == "auto" else source
        split_sentences(blocks, source_language)
        return Segmented(blocks, detected, source_language)

    def _translate_blocks(
        self,
        document: Document,
        progress: Progress | None,
        progress_slice: int,
        partial: Partial | None,
        glossary: Glossary | None,
        engine: Engine,
    ) -> None:
        blocks, source, target = document.blocks, document.source_language, document.target_language
        sentences = [s for block in blocks for s in block.sentences]
        total = len(sentences)
        step = progress_slice if progress_slice > 0 else max(total, 1)
        block_ends = list(accumulate(len(block.sentences) for block in blocks))
        joined = 0  # blocks[:joined] already have their translation
        if partial is not None:
            partial(document, 0, total)
        for start in range(0, total, step):
            chunk = sentences[start : start + step]
            results = translate_with_terms(engine, [s.source for s in chunk], source, target, glossary)
            for sentence, result in zip(chunk, results, strict=True):
                sentence.translation = result.text
                sentence.cached = result.cached
                sentence.origin = result.origin
                sentence.flags = quality_flags(sentence.source, result.text) + result.flags
            done = min(start + step, total)
            if partial is not None:
                while joined < len(blocks) and block_ends[joined] <= done:
                    blocks[joined].join_translations()
                    joined += 1
                partial(document, done, total)
            if progress is not None:
                progress(done, total)
        for block in blocks:
            block.join_translations()

    @staticmethod
    def _copy_through(blocks: list[Block]) -> None:
        for block in blocks:
            for sentence in block.sentences:
                sentence.translation = sentence.source
            block.join_translations()


LANGUAGE_CODE = re.compile(r"^(auto|[a-z]{2,3}(-[a-z0-9]{2,8})?)$")


def language_code(code: str, what: str) -> str:
    """A language code as the pipeline uses it (trimmed, lower case); InputError naming ``what`` otherwise."""
    normalised = code.strip().lower() if isinstance(code, str) else ""
    if not LANGUAGE_CODE.match(normalised):
        raise InputError(f"The {what} language must be a language code such as 'de' or 'auto', got {code!r}.")
    return normalised


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


_default: dict[Settings, Translator] = {}
_default_lock = threading.Lock()


def default_translator(settings: Settings | None = None) -> Translator:
    """One Translator per configuration and process, so the model loads once."""
    settings = settings or Settings.from_env()
    with _default_lock:
        if settings not in _default:
            _default[settings] = Translator(settings)
        return _default[settings]


def _digest(parts: list[Any]) -> str:
    raw = json.dumps(parts, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def translate_document(
    text: str, source: str = "auto", target: str = "en", settings: Settings | None = None
) -> Document:
    """Translate an article with the process-wide Translator for ``settings`` (from the environment)."""
    return default_translator(settings).translate_document(text, source, target)


__all__ = ["Translator", "default_translator", "translate_document"]
