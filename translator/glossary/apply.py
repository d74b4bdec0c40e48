"""Terms into a sentence as protected markers, and a batch of article sentences through the engine with them."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from translator.engine import Engine
from translator.glossary.entries import Glossary
from translator.inline.restore import fix_order, mask, restore_sentence, tidy_spaces, tokens_of, unmask
from translator.inline.spans import Marker, Segment, append_text, protect_text, render


class TermIndex:
    """Finds a glossary's terms in a text: whole words, case as written, leftmost first, longest there.

    Terms are indexed by their first word, so a look-up costs one dictionary probe per word of the
    text whatever the glossary's size (a regular expression of 100,000 alternatives took 7 s to compile).
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self._by_head: dict[str, list[str]] = {}
        for term in terms:
            self._by_head.setdefault(_head(term, 0), []).append(term)
        for candidates in self._by_head.values():
            candidates.sort(key=lambda term: (-len(term), term))

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, term) of each term in ``text``, left to right, never overlapping."""
        position, length = 0, len(text)
        while position < length:
            if position == 0 or not _is_word(text[position - 1]):
                for term in self._by_head.get(_head(text, position), ()):
                    end = position + len(term)
                    if text.startswith(term, position) and (end == length or not _is_word(text[end])):
                        yield position, end, term
                        position = end
                        break
                else:
                    position += 1
                continue
            position += 1


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _head(text: str, start: int) -> str:
    """The word starting at ``start`` (or its one character when that is not a word character)."""
    end = start
    while end < len(text) and _is_word(text[end]):
        end += 1
    return text[start:end] if end > start else text[start : start + 1]


_INDEXES: dict[str, TermIndex] = {}  # by glossary fingerprint: built once per glossary version
_INDEXES_KEPT = 16
_indexes_lock = threading.Lock()


def term_index(glossary: Glossary) -> TermIndex | None:
    if not glossary.entries:
        return None
    key = glossary.fingerprint
    with _indexes_lock:
        found = _INDEXES.get(key)
    if found is None:
        found = TermIndex(glossary.entries)
        with _indexes_lock:
            if len(_INDEXES) >= _INDEXES_KEPT:
                _INDEXES.pop(next(iter(_INDEXES)))
            _INDEXES[key] = found
    return found


def mark_terms(segment: Segment, glossary: Glossary | None) -> Segment:
    """The segment with each glossary term in its text replaced by a marker carrying the term's translation.

    Case matters ("Bild" the newspaper is not "bild"); markers already there (URLs, tags) are left alone.
    """
    index = term_index(glossary) if glossary is not None else None
    if index is None or glossary is None:
        return segment
    marked: Segment = []
    for piece in segment:
        if not isinstance(piece, str):
            marked.append(piece)
            continue
        position = 0
        for start, end, term in index.find(piece):
            append_text(marked, piece[position:start])
            marked.append(Marker("protected", glossary.entries[term], term=True))
            position = end
        append_text(marked, piece[position:])
    return marked


@dataclass
class TermResult:
    """One sentence's translation with the glossary applied, and the flags its repair raised."""

    text: str
    cached: bool
    flags: list[str] = field(default_factory=list)
    origin: str = "model"  # the engine's ``Translation.origin`` ("memory": an approved human translation)


Plan = tuple[str, list[Marker]] | None  # a sentence with terms: its masked text and markers; None: as it is


def plan_terms(sentences: Sequence[str], glossary: Glossary | None) -> list[tuple[str, Plan]]:
    """What the engine gets for each sentence (the sentence, or its masked form when a term is in it), and how
    to put the terms back. A job's submitter asks its memory for exactly these inputs (``MemoryEngine``'s keys).
    """
    planned: list[tuple[str, Plan]] = []
    index = term_index(glossary) if glossary is not None else None
    for sentence in sentences:
        found = index is not None and next(index.find(sentence), None) is not None
        segment = mark_terms(protect_text(sentence), glossary) if found else []
        if any(isinstance(piece, Marker) and piece.term for piece in segment):
            masked, markers = mask(segment)
            planned.append((masked, (masked, markers)))
        else:
            planned.append((sentence, None))
    return planned


def terms_in(sentences: Iterable[str], glossary: Glossary) -> dict[str, str]:
    """The glossary's entries that translating these sentences can use, and no others: what a job carries.

    The same scans as ``plan_terms`` (the whole sentence, then each text piece around URLs and tags), so a
    glossary of just these entries finds the same terms at the same places as the whole glossary: it lacks
    only terms that matched nowhere, and a scan never picks a term the whole glossary would not pick there.
    """
    index = term_index(glossary)
    used: dict[str, str] = {}
    if index is None:
        return used
    for sentence in sentences:
        pieces = [sentence, *(piece for piece in protect_text(sentence) if isinstance(piece, str))]
        for piece in pieces:
            for _start, _end, term in index.find(piece):
                used[term] = glossary.entries[term]
    return dict(sorted(used.items()))


def translate_with_terms(
    engine: Engine, sentences: Sequence[str], source: str, target: str, glossary: Glossary | None
) -> list[TermResult]:
    """Translate sentences in one engine call; each term reaches the model as a placeholder.

    A sentence without a term goes to the engine exactly as without a glossary (same cache entry,
    same output). The engine (and its cache) sees only the masked sentence, so the terms' translations
    are put in after the cache: editing a glossary entry needs no cache flush.
    """
    planned = plan_terms(sentences, glossary)
    outputs = engine.translate_batch([engine_input for engine_input, _plan in planned], source, target)
    results = []
    for (_input, plan), output in zip(planned, outputs, strict=True):
        if plan is None:
            results.append(TermResult(output.text, output.cached, origin=output.origin))
            continue
        pieces, flags = restore_segment(plan[0], output.text, plan[1])
        results.append(TermResult(render(pieces), output.cached, sorted(flags), output.origin))
    return results


def restore_segment(masked: str, output: str, markers: Sequence[Marker]) -> tuple[Segment, set[str]]:
    """One masked sentence's output with every marker back once, in order, spaced as in the source."""
    tokens, flags = restore_sentence(masked, output, markers)
    tokens, reordered = fix_order(tokens, markers)
    tokens = tidy_spaces(tokens, markers, tokens_of(masked, len(markers)))
    return unmask(tokens, markers), flags | reordered
