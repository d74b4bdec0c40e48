"""Translate segments (text with markers) through the one engine call of a request."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from translator.engine import Translation, approved
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
from translator.inline.spans import Marker, Segment, readable_text, render
from translator.segment import SentenceSplitter
from translator.storage.memory import normalize_source

if TYPE_CHECKING:  # the pipeline uses the glossary, which uses this package: no import cycle at run time
    from translator.pipeline import Translator

Span = tuple[int, int]


@dataclass
class SegmentResult:
    """A translated segment: its pieces (markers restored), the flags its repair raised, and where each
    sentence's text came from (``origins``: the engine's ``Translation.origin``, "model" or "memory")."""

    pieces: Segment
    flags: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return render(self.pieces)

    @property
    def origin(self) -> str:
        """The segment's origin: "memory" when every sentence is an approved human translation and nothing
        had to be repaired (a localisation file may call it translated, not machine output to review);
        else "model".

        A segment without a sentence (nothing to translate, or source = target) counts as "model".
        A sentence from the sentence cache is still the model's.
        """
        reviewed = bool(self.origins) and not self.flags and all(origin == "memory" for origin in self.origins)
        return "memory" if reviewed else "model"


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
        plans, distinct = _plan(segments, source)
        human = _approved(translator, plans, source, target)
        needed = {  # sentences the memory answered everywhere they stand never reach the model
            local_numbers(masked[start:end])[0]
            for index, (masked, _markers, spans) in enumerate(plans)
            for number, (start, end) in enumerate(spans)
            if (index, number) not in human
        }
        inputs = [sentence for sentence in distinct if sentence in needed]
        outputs = translator.engine.translate_batch(inputs, source, target) if inputs else []
    return _assemble(plans, dict(zip(inputs, outputs, strict=True)), human)


def segment_alternatives(
    translator: Translator, segments: Sequence[Segment], source: str, target: str, count: int
) -> list[list[SegmentResult]]:
    """For each segment, its translations from the model's 2nd to ``count``-th best hypothesis of each sentence.

    The k-th alternative joins every sentence's k-th hypothesis (its last when it has fewer), markers
    repaired as in ``translate_segments``. Not cached: asked for rarely, and worth a fresh beam search.
    """
    if source == target or count < 1:
        return [[] for _ in segments]
    plans, distinct = _plan(segments, source)
    hypotheses = translator.engine.alternatives(list(distinct), source, target, count + 1) if distinct else []
    by_sentence = dict(zip(distinct, hypotheses, strict=True))

    def ranked(rank: int) -> dict[str, Translation]:
        return {sentence: Translation(texts[min(rank, len(texts) - 1)]) for sentence, texts in by_sentence.items()}

    ranks = [_assemble(plans, ranked(rank), {}) for rank in range(1, count + 1)]
    return [[ranked[index] for ranked in ranks] for index in range(len(segments))]


Plan = tuple[str, list[Marker], list[Span]]


def _plan(segments: Sequence[Segment], source: str) -> tuple[list[Plan], dict[str, int]]:
    """Each segment masked and cut into sentences; the distinct sentences (placeholders numbered locally)."""
    splitter = SentenceSplitter(source)
    plans = []
    distinct: dict[str, int] = {}
    for segment in segments:
        masked, markers = mask(segment)
        spans = sentence_spans(splitter, masked)
        for start, end in spans:
            distinct.setdefault(local_numbers(masked[start:end])[0], len(distinct))
        plans.append((masked, markers, spans))
    return plans, distinct


def _approved(translator: Translator, plans: list[Plan], source: str, target: str) -> dict[tuple[int, int], str]:
    """Approved human translations of sentences with markers, by (segment, sentence), placeholders put in.

    The engine's memory sees the masked sentence ("Die Datei [X0X] wurde gelöscht."), so it only finds
    sentences without markers. The memory holds sentences as people read and correct them in the
    reader (``readable_text``: ``%s`` as written, formatting left out), so they are looked up that way
    too; a protected span in the human translation becomes its placeholder again, and formatting the
    translation cannot carry is put back by the usual repair (flagged). Glossary terms are left alone.
    """
    memory = translator.memory
    wanted: dict[tuple[int, int], str] = {}
    for index, (masked, markers, spans) in enumerate(plans):
        for number, (start, end) in enumerate(spans):
            used = [markers[int(found.group(1))] for found in PLACEHOLDER.finditer(masked[start:end])]
            if used and not any(marker.term for marker in used):
                wanted[(index, number)] = _readable(masked[start:end], markers)
    if memory is None or not wanted:
        return {}
    found = approved(memory, list(wanted.values()), source, target)  # {} when the memory is out of use
    keys = {place: normalize_source(readable) for place, readable in wanted.items()}
    return {
        (index, number): _remask(found[key], plans[index][0][slice(*plans[index][2][number])], plans[index][1])
        for (index, number), key in keys.items()
        if key in found
    }


def _readable(sentence: str, markers: list[Marker]) -> str:
    """A masked sentence as the reader shows it."""
    return PLACEHOLDER.sub(lambda found: readable_text([markers[int(found.group(1))]]), sentence)


def _remask(translation: str, sentence: str, markers: list[Marker]) -> str:
    """A human translation with the sentence's protected spans as their placeholders (each at most once)."""
    waiting: dict[str, list[int]] = {}
    for found in PLACEHOLDER.finditer(sentence):
        marker = markers[int(found.group(1))]
        if marker.kind == "protected" and marker.raw:
            waiting.setdefault(marker.raw, []).append(int(found.group(1)))
    if not waiting:
        return translation
    pattern = re.compile("|".join(re.escape(raw) for raw in sorted(waiting, key=len, reverse=True)))

    def replace(found: re.Match[str]) -> str:
        numbers = waiting[found.group()]
        return placeholder(numbers.pop(0)) if numbers else found.group()

    return pattern.sub(replace, translation)


def _assemble(
    plans: list[Plan], translations: Mapping[str, Translation], human: dict[tuple[int, int], str]
) -> list[SegmentResult]:
    """The segments put back together from the engine's translation of each distinct sentence (or its
    approved human translation), markers repaired, each sentence's origin kept."""
    results = []
    for index, (masked, markers, spans) in enumerate(plans):
        tokens: list[int | str] = []
        flags: set[str] = set()
        origins: list[str] = []
        position = 0
        for number, (start, end) in enumerate(spans):
            tokens.extend(tokens_of(masked[position:start], len(markers)))
            sentence, numbers = local_numbers(masked[start:end])
            if (index, number) in human:
                output, origin = human[(index, number)], "memory"
            else:
                found = translations[sentence]
                output, origin = global_numbers(found.text, numbers, len(markers)), found.origin
            origins.append(origin)
            restored, raised = restore_sentence(masked[start:end], output, markers)
            tokens.extend(restored)
            flags |= raised
            position = end
        tokens.extend(tokens_of(masked[position:], len(markers)))
        tokens, raised = fix_order(tokens, markers)
        tokens = tidy_spaces(tokens, markers, tokens_of(masked, len(markers)))
        results.append(SegmentResult(unmask(tokens, markers), sorted(flags | raised), origins))
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
