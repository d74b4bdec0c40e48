"""Translate segments (text with markers) through the one engine call of a request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from translator.inline.restore import PLACEHOLDER, fix_order, mask, restore_sentence, tidy_spaces, tokens_of, unmask
from translator.inline.spans import Segment, render
from translator.pipeline import Translator
from translator.segment import SentenceSplitter

Span = tuple[int, int]


@dataclass
class SegmentResult:
    """A translated segment: its pieces (markers restored) and the flags its repair raised."""

    pieces: Segment
    flags: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return render(self.pieces)


def translate_segments(
    translator: Translator, segments: Sequence[Segment], source: str, target: str
) -> list[SegmentResult]:
    """Translate each segment sentence by sentence, all sentences of the request in one engine call.

    ``source`` and ``target`` are concrete codes. Pieces without a letter outside markers
    (numbers, punctuation, a lone placeholder) are kept as they are: the model would only
    invent text there. Line breaks and the whitespace between sentences are kept.
    """
    if source == target:
        return [SegmentResult(list(segment)) for segment in segments]
    with translator.preparing():
        splitter = SentenceSplitter(source)
        plans = []
        distinct: dict[str, int] = {}
        for segment in segments:
            masked, markers = mask(segment)
            spans = sentence_spans(splitter, masked)
            for start, end in spans:
                distinct.setdefault(masked[start:end], len(distinct))
            plans.append((masked, markers, spans))
        outputs = translator.engine.translate_batch(list(distinct), source, target) if distinct else []
    results = []
    for masked, markers, spans in plans:
        tokens: list[int | str] = []
        flags: set[str] = set()
        position = 0
        for start, end in spans:
            tokens.extend(tokens_of(masked[position:start], len(markers)))
            restored, raised = restore_sentence(masked[start:end], outputs[distinct[masked[start:end]]].text, markers)
            tokens.extend(restored)
            flags |= raised
            position = end
        tokens.extend(tokens_of(masked[position:], len(markers)))
        tokens, raised = fix_order(tokens, markers)
        tokens = tidy_spaces(tokens, markers, tokens_of(masked, len(markers)))
        results.append(SegmentResult(unmask(tokens, markers), sorted(flags | raised)))
    return results


def has_words(masked: str) -> bool:
    """A letter outside the placeholders: something for the model to translate."""
    return any(char.isalpha() for char in PLACEHOLDER.sub("", masked))


def sentence_spans(splitter: SentenceSplitter, text: str) -> list[Span]:
    """Sentence offsets in ``text``; line by line, so a translation keeps the text's line breaks."""
    spans: list[Span] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if has_words(line):
            for sentence in splitter.split(line):
                if has_words(sentence.source):
                    spans.append((offset + sentence.start, offset + sentence.end))
        offset += len(line)
    return spans
