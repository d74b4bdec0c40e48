"""Terms into a sentence as protected markers, and a batch of article sentences through the engine with them."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from translator.engine import Engine
from translator.glossary.entries import Glossary
from translator.inline.restore import fix_order, mask, restore_sentence, tidy_spaces, tokens_of, unmask
from translator.inline.spans import Marker, Segment, append_text, protect_text, render

_PATTERNS: dict[str, re.Pattern[str]] = {}  # by glossary fingerprint: compiled once per glossary version
_PATTERNS_KEPT = 16
_patterns_lock = threading.Lock()


def term_pattern(glossary: Glossary) -> re.Pattern[str] | None:
    """Every source term as a whole word, longest first (so "New York Times" wins over "New York")."""
    if not glossary.entries:
        return None
    key = glossary.fingerprint
    with _patterns_lock:
        found = _PATTERNS.get(key)
    if found is None:
        terms = sorted(glossary.entries, key=lambda term: (-len(term), term))
        found = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(term) for term in terms) + r")(?!\w)")
        with _patterns_lock:
            if len(_PATTERNS) >= _PATTERNS_KEPT:
                _PATTERNS.pop(next(iter(_PATTERNS)))
            _PATTERNS[key] = found
    return found


def mark_terms(segment: Segment, glossary: Glossary | None) -> Segment:
    """The segment with each glossary term in its text replaced by a marker carrying the term's translation.

    Case matters ("Bild" the newspaper is not "bild"); markers already there (URLs, tags) are left alone.
    """
    pattern = term_pattern(glossary) if glossary is not None else None
    if pattern is None or glossary is None:
        return segment
    marked: Segment = []
    for piece in segment:
        if not isinstance(piece, str):
            marked.append(piece)
            continue
        position = 0
        for match in pattern.finditer(piece):
            append_text(marked, piece[position : match.start()])
            marked.append(Marker("protected", glossary.entries[match.group()], term=True))
            position = match.end()
        append_text(marked, piece[position:])
    return marked


@dataclass
class TermResult:
    """One sentence's translation with the glossary applied, and the flags its repair raised."""

    text: str
    cached: bool
    flags: list[str] = field(default_factory=list)


def translate_with_terms(
    engine: Engine, sentences: Sequence[str], source: str, target: str, glossary: Glossary | None
) -> list[TermResult]:
    """Translate sentences in one engine call; each term reaches the model as a placeholder.

    A sentence without a term goes to the engine exactly as without a glossary (same cache entry,
    same output). The engine (and its cache) sees only the masked sentence, so the terms' translations
    are put in after the cache: editing a glossary entry needs no cache flush.
    """
    plans: list[tuple[str, list[Marker]] | None] = []
    inputs: list[str] = []
    pattern = term_pattern(glossary) if glossary is not None else None
    for sentence in sentences:
        segment = mark_terms(protect_text(sentence), glossary) if pattern and pattern.search(sentence) else []
        if any(isinstance(piece, Marker) and piece.term for piece in segment):
            masked, markers = mask(segment)
            plans.append((masked, markers))
            inputs.append(masked)
        else:
            plans.append(None)
            inputs.append(sentence)
    outputs = engine.translate_batch(inputs, source, target)
    results = []
    for plan, output in zip(plans, outputs, strict=True):
        if plan is None:
            results.append(TermResult(output.text, output.cached))
            continue
        pieces, flags = restore_segment(plan[0], output.text, plan[1])
        results.append(TermResult(render(pieces), output.cached, sorted(flags)))
    return results


def restore_segment(masked: str, output: str, markers: Sequence[Marker]) -> tuple[Segment, set[str]]:
    """One masked sentence's output with every marker back once, in order, spaced as in the source."""
    tokens, flags = restore_sentence(masked, output, markers)
    tokens, reordered = fix_order(tokens, markers)
    tokens = tidy_spaces(tokens, markers, tokens_of(masked, len(markers)))
    return unmask(tokens, markers), flags | reordered
