"""``batch --dry-run``: count files, sentences and words, and estimate the time, translating nothing.

The dry run goes through the real pipeline (segmentation, detection, the cache
lookup) with an engine that only counts what would reach the model, and a cache
view that remembers new sentences in memory and never writes. So the counts are
those of a real run: a sentence repeated across the archive is counted once,
and sentences already in the cache are not counted as work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Sized
from dataclasses import dataclass, field
from pathlib import Path

from translator.batch.inputs import Item
from translator.batch.manifest import Manifest
from translator.batch.same import is_file_format, translate_file_item
from translator.batch.work import Loaded, Options, load_item, read_input, unchanged
from translator.config import Settings
from translator.engine import ArgosEngine, CachedEngine, Engine, EngineWrapper, Translation
from translator.pipeline import Translator
from translator.storage.cache import CacheRow, TranslationCache, open_cache

# An assumed speed, not a measurement: roughly what an Argos base-size model (Transformer, int8,
# beam 2) manages on a 2-4 core laptop CPU. The dry run says so next to the estimate.
ASSUMED_WORDS_PER_SECOND = 150


class CountingEngine(EngineWrapper):
    """Looks models up like the real engine but never translates: it counts what would be translated."""

    def __init__(self, real: Engine) -> None:
        super().__init__(real)
        self.sentences = 0
        self.words = 0

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        self.sentences += len(sentences)
        self.words += sum(len(sentence.split()) for sentence in sentences)
        return [Translation("") for _ in sentences]

    def alternatives(self, sentences: Sequence[str], source: str, target: str, count: int) -> list[list[str]]:
        return [[""] for _ in sentences]


class MemoryOverlayCache(TranslationCache):
    """Reads the real cache (SQLite or Redis, if there is one) and keeps new entries in memory only."""

    def __init__(self, real: TranslationCache | None, location: str) -> None:
        super().__init__()
        self.real = real
        self._location = location
        self._memory: dict[str, str] = {}

    @property
    def location(self) -> str:
        return self._location

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        found = self.real.get_many(keys) if self.real is not None else {}
        found.update({key: self._memory[key] for key in keys if key in self._memory})
        return found

    def put_many(self, rows: Iterable[CacheRow]) -> None:
        for key, *_, translation in rows:
            self._memory[key] = translation

    def get_document(self, key: str) -> str | None:
        return None  # the dry run counts sentences: a whole-article hit would hide them

    def put_document(self, key: str, document: str) -> None:
        return None

    def problem(self) -> str | None:
        return self.real.problem() if self.real is not None else None

    def __len__(self) -> int:
        return len(self.real) if isinstance(self.real, Sized) else 0

    def close(self) -> None:
        if self.real is not None:
            self.real.close()


def existing_cache(settings: Settings) -> TranslationCache | None:
    """The cache a real run would read, without creating one: a missing SQLite file is no cache yet."""
    if not settings.cache or (not settings.cache_url and not settings.cache_path.exists()):
        return None
    return open_cache(settings)


@dataclass
class Plan:
    files: int = 0
    skipped: int = 0
    to_translate: int = 0
    words: int = 0
    sentences: int = 0
    uncached_sentences: int = 0
    uncached_words: int = 0
    cache_entries: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def cached_sentences(self) -> int:
        return self.sentences - self.uncached_sentences

    @property
    def estimated_seconds(self) -> float:
        return self.uncached_words / ASSUMED_WORDS_PER_SECOND


def plan(settings: Settings, items: list[Item], manifest: Manifest, options: Options) -> Plan:
    """Counts for a dry run; creates no cache or output file."""
    real_cache = existing_cache(settings)
    counter = CountingEngine(ArgosEngine(settings))
    overlay = MemoryOverlayCache(real_cache, real_cache.location if real_cache else str(settings.cache_path))
    engine: Engine = CachedEngine(counter, overlay) if settings.cache else counter  # as the real run would
    dry = Translator(settings.with_overrides(cache=False), engine=engine)
    result = Plan(files=len(items), cache_entries=len(overlay))
    loaded: dict[str, Loaded] = {}
    try:
        for item in items:
            if unchanged(dry, manifest, item, options, loaded):
                result.skipped += 1
                continue
            try:
                if is_file_format(item):
                    file = translate_file_item(dry, item, read_input(item), options.source, options.target,
                                               options.formats)  # fmt: skip
                    sentences, words = file.segments, file.words
                else:
                    article = (loaded.pop(item.key, None) or load_item(dry, item)).article
                    document = dry.translate_document(
                        article.text, options.source, options.target, metadata=article.metadata
                    )
                    sentences, words = len(document.sentences), document.word_count
            except Exception as error:  # reported like the real run would report it
                result.failures.append((item.key, str(error) or type(error).__name__))
                continue
            result.to_translate += 1
            result.words += words
            result.sentences += sentences
    finally:
        overlay.close()
    result.uncached_sentences, result.uncached_words = counter.sentences, counter.words
    return result


def describe_plan(result: Plan, out_dir: Path) -> list[str]:
    """The dry run's report, for a person."""
    lines = [
        f"Dry run: nothing was translated and nothing written to {out_dir}.",
        f"{result.files} files: {result.to_translate} to translate, {result.skipped} unchanged since the last run "
        f"(would be skipped), {len(result.failures)} that would fail.",
        f"To translate: {result.words} words in {result.sentences} sentences; "
        f"{result.cached_sentences} of those sentences are already in the sentence cache "
        f"({result.cache_entries} entries), {result.uncached_sentences} need the model "
        f"({result.uncached_words} words).",
        f"Estimated time: about {format_duration(result.estimated_seconds)}. This is an estimate: "
        f"{result.uncached_words} uncached words at an assumed {ASSUMED_WORDS_PER_SECOND} words/s "
        "(an Argos base model on a 2-4 core CPU), plus a few seconds to load the model; "
        "your machine may be faster or slower.",
    ]
    lines += [f"  would fail: {key}: {reason}" for key, reason in result.failures]
    return lines


def format_duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"
