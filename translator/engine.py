"""Translation engines: a small interface, the Argos/CTranslate2 engine, and the wrappers around it.

The pipeline's chain is memory → cache → request merging → model
(``Translator.engine``): each wrapper answers what it can and passes the rest on.

The Argos engine translates every sentence of a request in one batched
CTranslate2 call (length-sorted, int8 on CPU) through the package's own
tokenizer, instead of one ``argostranslate.translate.translate()`` call per
paragraph. Models load once per engine, under a lock.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from translator.config import Settings
from translator.errors import ModelError, StoreUnavailable, UnsupportedPairError
from translator.languages import check_pair
from translator.models import INSTALL_HINT, InstalledModel, find_model, list_models, load_argos_package
from translator.storage.cache import TranslationCache, cache_key
from translator.storage.memory import ApprovedTranslations, normalize_source

MAX_INPUT_TOKENS = 400
MAX_ALTERNATIVES = 5  # hypotheses beyond the best one a request may ask for (each widens the beam search)
log = logging.getLogger(__name__)


@dataclass
class Translation:
    text: str
    cached: bool = False
    origin: str = "model"  # "memory" when an approved human translation answered (``Sentence.origin``)


class Engine(Protocol):
    """What the pipeline needs from a translation engine."""

    def model_for(self, source: str, target: str) -> InstalledModel:
        """The model that translates source→target; raises ModelError when there is none."""
        ...

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        """Translate sentences, returning one Translation per input, in order."""
        ...

    def pairs(self) -> list[tuple[str, str]]:
        """Installed language pairs."""
        ...

    def alternatives(self, sentences: Sequence[str], source: str, target: str, count: int) -> list[list[str]]:
        """Up to ``count`` hypotheses per sentence, best first (never cached nor merged: rare and request-specific)."""
        ...

    def describe(self) -> dict[str, Any]:
        """Engine options that belong in provenance."""
        ...


@dataclass
class _Loaded:
    model: InstalledModel
    translator: Any
    tokenizer: Any


class ArgosEngine:
    """CTranslate2 over installed Argos packages."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._loaded: dict[tuple[str, str], _Loaded] = {}
        self._lock = threading.Lock()

    def pairs(self) -> list[tuple[str, str]]:
        models, _ = list_models(self.settings.resolved_model_dir)
        return sorted({(m.source_language, m.target_language) for m in models})

    def model_for(self, source: str, target: str) -> InstalledModel:
        model = find_model(self.settings.resolved_model_dir, source, target)
        if model is None:
            check_pair(self.pairs(), source, target)  # says why: nothing installed, or which pairs are
            raise UnsupportedPairError(f"No {source}→{target} model is installed. {INSTALL_HINT}")
        return model

    def describe(self) -> dict[str, Any]:
        import ctranslate2

        return {
            "engine": f"ctranslate2 {ctranslate2.__version__}",
            "beam_size": self.settings.beam_size,
            "compute_type": self.settings.compute_type,
        }

    def load(self, source: str, target: str) -> _Loaded:
        """Load (once) the CTranslate2 translator and tokenizer for a pair."""
        with self._lock:
            loaded = self._loaded.get((source, target))
            if loaded is None:
                loaded = self._load(self.model_for(source, target))
                self._loaded[(source, target)] = loaded
            return loaded

    def _load(self, model: InstalledModel) -> _Loaded:
        import ctranslate2

        replicas, threads = self.settings.thread_layout()
        try:
            translator = ctranslate2.Translator(
                str(model.path / "model"),
                device="cpu",
                compute_type=self.settings.compute_type,
                inter_threads=replicas,
                intra_threads=threads,
            )
            package = load_argos_package(model)
        except (RuntimeError, ValueError, OSError) as error:
            # The path and CTranslate2's reason (which names files) go to the operator's log, never to a client.
            log.error("The model %s at %s could not be loaded: %s", model.key, model.path, error)
            raise ModelError(f"The model {model.key} could not be loaded; the server log says why.") from None
        if getattr(package, "tokenizer", None) is None:
            raise ModelError(f"The model {model.key} has no tokenizer (sentencepiece.model or bpe.model).")
        return _Loaded(model, translator, package.tokenizer)

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        return [Translation(hypotheses[0]) for hypotheses in self._decode(sentences, source, target, 1)]

    def alternatives(self, sentences: Sequence[str], source: str, target: str, count: int) -> list[list[str]]:
        return self._decode(sentences, source, target, max(1, min(count, MAX_ALTERNATIVES + 1)))

    def _decode(self, sentences: Sequence[str], source: str, target: str, count: int) -> list[list[str]]:
        """``count`` hypotheses per sentence (CTranslate2's ``num_hypotheses``; the beam is widened to hold them).

        A sentence longer than MAX_INPUT_TOKENS is translated in pieces; its k-th hypothesis joins the
        pieces' k-th ones (a piece with fewer gives its last).
        """
        if not sentences:
            return []
        loaded = self.load(source, target)
        pieces: list[list[str]] = []
        owner: list[int] = []
        for index, sentence in enumerate(sentences):
            tokens = loaded.tokenizer.encode(sentence)
            for start in range(0, max(len(tokens), 1), MAX_INPUT_TOKENS):
                pieces.append(tokens[start : start + MAX_INPUT_TOKENS])
                owner.append(index)
        # Longest first: sub-batches go to the replicas in this order, so the slowest start first.
        order = sorted(range(len(pieces)), key=lambda i: len(pieces[i]), reverse=True)
        prefix = loaded.model.target_prefix
        results = loaded.translator.translate_batch(
            [pieces[i] for i in order],
            target_prefix=[[prefix]] * len(order) if prefix else None,
            beam_size=max(self.settings.beam_size, count),
            num_hypotheses=count,
            **batching_options(self.settings, [len(p) for p in pieces], loaded.translator.num_translators),
            max_decoding_length=self.settings.max_decoding_length,
            replace_unknowns=True,
        )
        outputs: list[list[str]] = [[] for _ in pieces]
        for position, result in zip(order, results, strict=True):
            for hypothesis in result.hypotheses:
                text = loaded.tokenizer.decode(hypothesis)
                if prefix and text.startswith(prefix):
                    text = text[len(prefix) :]
                outputs[position].append(text.strip())
        ranks = max((len(texts) for texts in outputs), default=1)
        joined: list[list[list[str]]] = [[[] for _ in range(ranks)] for _ in sentences]
        for index, texts in zip(owner, outputs, strict=True):
            for rank in range(ranks):
                text = texts[min(rank, len(texts) - 1)] if texts else ""
                if text:
                    joined[index][rank].append(text)
        return [[" ".join(parts) for parts in by_rank] for by_rank in joined]


def batching_options(settings: Settings, lengths: Sequence[int], replicas: int) -> dict[str, Any]:
    """CTranslate2's sub-batch options for inputs of these token lengths: by tokens when a budget is set."""
    if settings.max_batch_tokens > 0:
        return {
            "max_batch_size": sub_batch_tokens(lengths, replicas, settings.max_batch_tokens),
            "batch_type": "tokens",
        }
    return {"max_batch_size": sub_batch_size(len(lengths), replicas, settings.max_batch_size)}


def sub_batch_tokens(lengths: Sequence[int], replicas: int, budget: int) -> int:
    """Source tokens per CTranslate2 sub-batch.

    Decoding memory grows with the tokens of the sentences in flight (times the beam),
    not with their number: 16 long sentences need several times what 16 short ones
    need. So ``budget`` tokens are in flight over all replicas together, split evenly;
    with several replicas a call is still cut into at least two sub-batches per replica
    (a single article keeps every replica busy). A sentence longer than its share is
    decoded alone (CTranslate2 never splits one), so no budget stops a call.
    """
    share = budget // max(replicas, 1)
    if replicas > 1:
        share = min(share, math.ceil(sum(lengths) / (2 * replicas)))
    return max(share, 1)


def sub_batch_size(sentences: int, replicas: int, largest: int) -> int:
    """Sentences per CTranslate2 sub-batch.

    At least two sub-batches per replica, so a single article keeps every replica
    busy; and ``largest`` sentences in flight over all replicas together, because
    each running sub-batch holds its own working memory (2 replicas × 32 sentences
    peaked at 683 MB on the bench model, 2 × 16 at 454 MB, 4-6 % slower).
    """
    if replicas <= 1:
        return largest
    return max(1, min(largest // replicas, math.ceil(sentences / (2 * replicas))))


class EngineWrapper:
    """An engine around another: everything it does not change passes through, written once here."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def pairs(self) -> list[tuple[str, str]]:
        return self.engine.pairs()

    def model_for(self, source: str, target: str) -> InstalledModel:
        return self.engine.model_for(source, target)

    def describe(self) -> dict[str, Any]:
        return self.engine.describe()

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        return self.engine.translate_batch(sentences, source, target)

    def alternatives(self, sentences: Sequence[str], source: str, target: str, count: int) -> list[list[str]]:
        return self.engine.alternatives(sentences, source, target, count)


class MemoryEngine(EngineWrapper):
    """Approved human translations first: only sentences the memory does not know go on to the cache and model.

    A memory that is out of use (damaged file) answers nothing; translation goes on without it.
    """

    def __init__(self, engine: Engine, memory: ApprovedTranslations) -> None:
        super().__init__(engine)
        self.memory = memory

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        keys = [normalize_source(sentence) for sentence in sentences]
        found = approved(self.memory, sentences, source, target)
        missing = [sentence for sentence, key in zip(sentences, keys, strict=True) if key not in found]
        fresh = iter(self.engine.translate_batch(missing, source, target) if missing else [])
        return [Translation(found[key], origin="memory") if key in found else next(fresh) for key in keys]


def approved(memory: ApprovedTranslations, sentences: Sequence[str], source: str, target: str) -> dict[str, str]:
    """The memory's approved translations of these engine inputs, by normalized source ({} when out of use)."""
    if not sentences:
        return {}
    try:
        return memory.lookup(source, target, [normalize_source(sentence) for sentence in sentences])
    except StoreUnavailable as error:
        log.warning("Translating without the translation memory: %s", error)
        return {}


class CachedEngine(EngineWrapper):
    """Wraps an engine with the persistent sentence cache; only misses reach the model, in one batch."""

    def __init__(self, engine: Engine, cache: TranslationCache) -> None:
        super().__init__(engine)
        self.cache = cache

    def describe(self) -> dict[str, Any]:
        return {**self.engine.describe(), "cache": self.cache.location}

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        model = self.engine.model_for(source, target)
        options = self.engine.describe()
        model_key = f"{model.key}|beam={options.get('beam_size')}|{options.get('compute_type')}"
        keys = [cache_key(model_key, source, target, s) for s in sentences]
        found = self.cache.get_many(keys)
        texts: dict[str, str] = {}
        for key, sentence in zip(keys, sentences, strict=True):
            if key not in found:
                texts.setdefault(key, sentence)
        missing = list(texts)
        if missing:
            fresh = self.engine.translate_batch([texts[k] for k in missing], source, target)
            self.cache.put_many(
                (key, model.key, source, target, texts[key], result.text)
                for key, result in zip(missing, fresh, strict=True)
            )
            new = {key: result.text for key, result in zip(missing, fresh, strict=True)}
        else:
            new = {}
        return [Translation(found[k], cached=True) if k in found else Translation(new[k]) for k in keys]
