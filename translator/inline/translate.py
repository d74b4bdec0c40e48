"""Translate segments (text with markers) through the one engine call of a request."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from translator.inline.restore import (
    PLACEHOLDER,
    fix_order,
    mask,
    placeholder,
    restore_sentence,
    tidy_spaces,
    tokens_of,
    unmask,
)
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
                distinct.setdefault(local_numbers(masked[start:end])[0], len(distinct))
            plans.append((masked, markers, spans))
        outputs = translator.engine.translate_batch(list(distinct), source, target) if distinct else []
    results = []
    for masked, markers, spans in plans:
        tokens: list[int | str] = []
        flags: set[str] = set()
        position = 0
        for start, end in spans:
            tokens.extend(tokens_of(masked[position:start], len(markers)))
            sentence, numbers = local_numbers(masked[start:end])
            output = global_numbers(outputs[distinct[sentence]].text, numbers, len(markers))
            restored, raised = restore_sentence(masked[start:end], output, markers)
            tokens.extend(restored)
            flags |= raised
            position = end
        tokens.extend(tokens_of(masked[position:], len(markers)))
        tokens, raised = fix_order(tokens, markers)
        tokens = tidy_spaces(tokens, markers, tokens_of(masked, len(markers)))
        results.append(SegmentResult(unmask(tokens, markers), sorted(flags | raised)))
    return results


def local_numbers(sentence: str) -> tuple[str, list[int]]:
    """The sentence with its placeholders numbered from 0 in order, and the block's number of each.

    The same sentence then reaches the model (and the sentence cache) as the same text wherever
    it stands in a file: "Datei [X0X] öffnen" for the first entry and the hundredth alike.
    """
    numbers: list[int] = []

    def renumber(match: re.Match[str]) -> str:
        numbers.append(int(match.group(1)))
        return placeholder(len(numbers) - 1)

    return PLACEHOLDER.sub(renumber, sentence), numbers


def global_numbers(output: str, numbers: list[int], known: int) -> str:
    """The model's output with the block's numbers back; a number the sentence never had stays unknown."""

    def renumber(match: re.Match[str]) -> str:
        local = int(match.group(1))
        return placeholder(numbers[local] if local < len(numbers) else known + local)

    return PLACEHOLDER.sub(renumber, output)


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
