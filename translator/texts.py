"""Short independent texts (LibreTranslate-style requests, HTML text nodes) through the one core.

An article goes through ``Translator.translate_document`` (blocks, kinds,
alignment). A request that only wants strings back goes through here: every
text is cut into sentences with the core's splitter, the distinct sentences of
the whole request are sent to the engine in one batch (so the sentence cache
and CTranslate2's length-sorted batching apply), and each text is put back
together with its own whitespace and line breaks untouched.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from translator.document import Detection
from translator.pipeline import Translator
from translator.segment import SentenceSplitter

Span = tuple[int, int]


def translate_texts(translator: Translator, texts: Sequence[str], source: str, target: str) -> list[str]:
    """Translate each text from ``source`` to ``target`` (concrete codes, not ``auto``); one engine call.

    Pieces without a letter (numbers, punctuation, whitespace) are kept as they are:
    the model has nothing to translate there and would only invent text.
    """
    if source == target:
        return list(texts)
    with translator.preparing():
        splitter = SentenceSplitter(source)
        spans = [_sentence_spans(splitter, text) for text in texts]
        distinct: dict[str, int] = {}
        for text, text_spans in zip(texts, spans, strict=True):
            for start, end in text_spans:
                distinct.setdefault(text[start:end], len(distinct))
        results = translator.engine.translate_batch(list(distinct), source, target) if distinct else []
    translated = []
    for text, text_spans in zip(texts, spans, strict=True):
        parts: list[str] = []
        position = 0
        for start, end in text_spans:
            parts.append(text[position:start])
            parts.append(results[distinct[text[start:end]]].text)
            position = end
        parts.append(text[position:])
        translated.append("".join(parts))
    return translated


def _sentence_spans(splitter: SentenceSplitter, text: str) -> list[Span]:
    """Sentence offsets in ``text``; line by line, so a translation keeps the text's line breaks."""
    spans: list[Span] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if any(char.isalpha() for char in line):
            for sentence in splitter.split(line):
                if any(char.isalpha() for char in sentence.source):
                    spans.append((offset + sentence.start, offset + sentence.end))
        offset += len(line)
    return spans


def detect_languages(translator: Translator, texts: Sequence[str], allowed: Collection[str]) -> list[Detection]:
    """Likely languages of the texts taken together, most probable first, limited to ``allowed``."""
    candidates = translator.detector.candidates("\n".join(texts))
    return [candidate for candidate in candidates if candidate.language in allowed]
