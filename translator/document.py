"""The bilingual document: blocks of an article, their sentences and translations.

Plain dataclasses so every layer (web, API, CLI, exports) reads the same shape;
``Document.to_dict`` is the JSON contract (the API's report of one run) and
``Document.stable_dict`` the translation alone, what byte-stable outputs are made of.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

# How a web article's metadata is shown (reader, exports, CLI), in this order.
SOURCE_LABELS = (("source_url", "Source"), ("url", "Canonical URL"), ("sitename", "Site"), ("title", "Page title"),
                 ("author", "Author"), ("date", "Published"), ("language", "Page language"),
                 ("extractor", "Extracted by"))  # fmt: skip


def source_lines(metadata: dict[str, str]) -> list[tuple[str, str]]:
    """(label, value) rows describing where an article came from; empty for pasted text and plain files."""
    return [(label, str(metadata[key])) for key, label in SOURCE_LABELS if metadata.get(key)]


# Where a sentence's text comes from. ``origin`` describes the translation and is kept in every output:
# the model, the translation memory (an approved human translation) or a person editing this document.
# Whether a model sentence was computed in this run or found in the cache is a run fact (``cached``);
# ``Sentence.provenance`` combines the two into the four answers people ask for.
ORIGINS = ("model", "memory", "human")


@dataclass
class Detection:
    language: str
    confidence: float
    low_confidence: bool = False
    inherited: bool = False


@dataclass
class Sentence:
    source: str
    start: int
    end: int
    translation: str = ""
    cached: bool = False
    flags: list[str] = field(default_factory=list)
    translation_start: int = 0
    translation_end: int = 0
    origin: str = "model"
    machine: str = ""  # the model's translation, kept for comparison after a human edit

    @property
    def provenance(self) -> str:
        """human, memory, cache or model: where this run's text came from."""
        if self.origin != "model":
            return self.origin
        return "cache" if self.cached else "model"


@dataclass
class Block:
    kind: str
    source: str
    line: int
    sentences: list[Sentence] = field(default_factory=list)
    translation: str = ""
    detected: Detection | None = None
    markup: str = ""
    data: dict[str, str] = field(default_factory=dict)

    def join_translations(self) -> None:
        """Build the block translation from its sentences and record each sentence's offsets in it."""
        parts: list[str] = []
        position = 0
        for sentence in self.sentences:
            text = sentence.translation.strip()
            if parts and text:
                position += 1
            sentence.translation_start = position
            position += len(text)
            sentence.translation_end = position
            if text:
                parts.append(text)
        self.translation = " ".join(parts)


@dataclass(frozen=True)
class RunFields:
    """The fields that describe how one run went rather than the translation.

    The only definition of it: byte-stable outputs (exports, batch files) leave
    these out and the document cache key ignores them, so the same article,
    model and options give the same bytes whatever the cache did.
    """

    document: frozenset[str] = frozenset({"timings"})  # how long this run took
    provenance: frozenset[str] = frozenset({"cache", "served_from"})  # where this run found the translation
    # which sentences this run took from the cache (and so whether a model sentence's provenance is "cache")
    sentence: frozenset[str] = frozenset({"cached", "provenance"})


RUN_FIELDS = RunFields()


def stable_provenance(provenance: dict[str, Any]) -> dict[str, Any]:
    """Provenance (or engine options) without what describes one run: model, version and decoding options."""
    return {key: value for key, value in provenance.items() if key not in RUN_FIELDS.provenance}


@dataclass
class Document:
    blocks: list[Block]
    detected: Detection
    source_language: str
    target_language: str
    provenance: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)  # the page's: title, author, date, sitename, url...

    @property
    def title(self) -> str:
        for block in self.blocks:
            if block.kind == "title":
                return block.source
        return self.blocks[0].source if self.blocks else ""

    @property
    def sentences(self) -> list[Sentence]:
        return [s for block in self.blocks for s in block.sentences]

    @property
    def word_count(self) -> int:
        return sum(len(block.source.split()) for block in self.blocks)

    def to_dict(self) -> dict[str, Any]:
        """Everything, run fields included (the API reports how the run went)."""
        data = asdict(self)
        for block, raw in zip(self.blocks, data["blocks"], strict=True):
            for sentence, raw_sentence in zip(block.sentences, raw["sentences"], strict=True):
                raw_sentence["provenance"] = sentence.provenance
        data["title"] = self.title
        data["word_count"] = self.word_count
        return data

    def stable_dict(self) -> dict[str, Any]:
        """The translation without RUN_FIELDS: equal for equal article, model and options, cold or warm."""
        data = {key: value for key, value in self.to_dict().items() if key not in RUN_FIELDS.document}
        data["provenance"] = stable_provenance(data["provenance"])
        for block in data["blocks"]:
            block["sentences"] = [
                {key: value for key, value in sentence.items() if key not in RUN_FIELDS.sentence}
                for sentence in block["sentences"]
            ]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        blocks = []
        for raw in data["blocks"]:
            sentences = [_sentence(s) for s in raw.get("sentences", [])]
            detected = Detection(**raw["detected"]) if raw.get("detected") else None
            fields_ = {k: v for k, v in raw.items() if k not in ("sentences", "detected")}
            blocks.append(Block(**fields_, sentences=sentences, detected=detected))
        return cls(
            blocks=blocks,
            detected=Detection(**data["detected"]),
            source_language=data["source_language"],
            target_language=data["target_language"],
            provenance=data.get("provenance", {}),
            timings=data.get("timings", {}),
            notes=data.get("notes", []),
            metadata=data.get("metadata", {}),
        )


SENTENCE_FIELDS = frozenset(f.name for f in fields(Sentence))


def _sentence(data: dict[str, Any]) -> Sentence:
    """A sentence from its dict; "provenance" there is computed (``to_dict``), not stored."""
    return Sentence(**{key: value for key, value in data.items() if key in SENTENCE_FIELDS})
