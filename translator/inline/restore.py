"""Placeholders in, model output back: every marker exactly once, tags nested, lost ones put back.

The model sees ``[X<n>X]`` for marker ``n``. What comes back may have lost,
doubled, invented or reordered placeholders; ``restore_sentence`` and
``fix_order`` turn it into a token list (single characters and marker ids) with
each of the sentence's markers once. A lost marker goes to the word boundary at
the same relative position as in the source (argos and DeepL also fall back to
position when alignment fails); the sentence is flagged so a reviewer looks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from translator.flags import FORMATTING_GUESSED, PLACEHOLDER_RESTORED
from translator.inline.spans import Marker, Segment, append_text

PLACEHOLDER = re.compile(r"\[\s*[Xx]\s*(\d{1,6})\s*[Xx]\s*\]")
Token = str | int  # one character, or a marker id


def placeholder(index: int) -> str:
    return f"[X{index}X]"


def mask(segment: Sequence[str | Marker]) -> tuple[str, list[Marker]]:
    """The segment as model input (markers as placeholders) and the markers by id."""
    markers: list[Marker] = []
    parts = []
    for piece in segment:
        if isinstance(piece, str):
            parts.append(piece)
        else:
            parts.append(placeholder(len(markers)))
            markers.append(piece)
    return "".join(parts), markers


def tokens_of(text: str, known: int | None = None) -> list[Token]:
    """Characters and placeholder ids of ``text``; ids at or above ``known`` are kept as text."""
    tokens: list[Token] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        tokens.extend(text[position : match.start()])
        index = int(match.group(1))
        if known is None or index < known:
            tokens.append(index)
        else:
            tokens.extend(match.group())
        position = match.end()
    tokens.extend(text[position:])
    return tokens


def restore_sentence(source: str, output: str, markers: Sequence[Marker]) -> tuple[list[Token], set[str]]:
    """Tokens of ``output`` holding exactly the markers of ``source``, each once."""
    source_tokens = tokens_of(source, len(markers))
    expected = [t for t in source_tokens if isinstance(t, int)]
    wanted = set(expected)
    flags: set[str] = set()
    tokens: list[Token] = []
    seen: set[int] = set()
    dropped = False
    for token in tokens_of(output):
        if isinstance(token, int):
            if token not in wanted or token in seen:  # invented or doubled: dropped
                flags.add(_flag_for(markers[token] if token < len(markers) else None))
                dropped = True
                continue
            seen.add(token)
        elif dropped and tokens and _is_space(tokens[-1]) and (token.isspace() or token in ".,;:!?)"):
            tokens.pop()  # the space the dropped placeholder stood after
        dropped = False
        tokens.append(token)
    lost = [index for index in expected if index not in seen]
    for index in lost:
        _insert_lost(tokens, index, source_tokens)
        flags.add(_flag_for(markers[index]))
    for index in lost:
        if markers[index].kind in ("open", "close"):
            _widen_empty_pair(tokens, index, markers, source_tokens)
    return tokens, flags


def _flag_for(marker: Marker | None) -> str:
    return FORMATTING_GUESSED if marker is not None and marker.kind in ("open", "close") else PLACEHOLDER_RESTORED


def _is_space(token: Token | None) -> bool:
    return isinstance(token, str) and token.isspace()


def _insert_lost(tokens: list[Token], index: int, source_tokens: list[Token]) -> None:
    """Put marker ``index`` at the word boundary nearest its relative position in the source."""
    where = source_tokens.index(index)
    source_chars = sum(isinstance(t, str) for t in source_tokens)
    before = sum(isinstance(t, str) for t in source_tokens[:where])
    fraction = before / source_chars if source_chars else 1.0
    space_before = where > 0 and _is_space(source_tokens[where - 1])
    space_after = where + 1 < len(source_tokens) and _is_space(source_tokens[where + 1])
    chars = sum(isinstance(t, str) for t in tokens)
    goal = fraction * chars
    best, best_distance, seen_chars = len(tokens), abs(chars - goal), 0
    for position, token in enumerate(tokens):
        starts_word = (position == 0 or _is_space(tokens[position - 1])) and not _is_space(token)
        if starts_word and abs(seen_chars - goal) < best_distance:
            best, best_distance = position, abs(seen_chars - goal)
        seen_chars += isinstance(token, str)
    if best == len(tokens):
        insert: list[Token] = [" ", index] if space_before and tokens and not _is_space(tokens[-1]) else [index]
    elif best == 0:
        insert = [index, " "] if space_after else [index]
    elif space_after and not space_before:
        best -= 1  # a closing tag goes before the space: "very[/b] good", not "very [/b]good"
        insert = [index]
    else:
        insert = [index]
    tokens[best:best] = insert


def _widen_empty_pair(tokens: list[Token], lost: int, markers: Sequence[Marker], source: list[Token]) -> None:
    """A guessed tag pair that encloses nothing (or closes before it opens) gets the word after its opening."""
    pair = markers[lost].pair
    ends = [
        t for t in source if isinstance(t, int) and markers[t].pair == pair and markers[t].kind in ("open", "close")
    ]
    if len(ends) != 2 or markers[ends[0]].kind != "open":
        return
    opening, closing = ends
    inside = source[source.index(opening) : source.index(closing)]
    if not any(isinstance(t, str) and not t.isspace() for t in inside):
        return
    start, end = tokens.index(opening), tokens.index(closing)
    if start < end and any(isinstance(t, str) and not t.isspace() for t in tokens[start:end]):
        return
    del tokens[end]
    start = tokens.index(opening)
    position = start + 1
    while position < len(tokens) and _is_space(tokens[position]):
        position += 1
    while position < len(tokens) and isinstance(tokens[position], str) and not _is_space(tokens[position]):
        position += 1
    tokens.insert(position, closing)


def fix_order(tokens: list[Token], markers: Sequence[Marker]) -> tuple[list[Token], set[str]]:
    """Ordered placeholders back in source order; tags re-nested in source order if the model crossed them."""
    flags: set[str] = set()
    ordered = [i for i, t in enumerate(tokens) if isinstance(t, int) and markers[t].ordered]
    if _reassign_sorted(tokens, ordered):
        flags.add(PLACEHOLDER_RESTORED)
    tags = [i for i, t in enumerate(tokens) if isinstance(t, int) and markers[t].kind in ("open", "close")]
    if not _well_nested([t for t in tokens if isinstance(t, int)], markers):
        _reassign_sorted(tokens, tags)
        flags.add(FORMATTING_GUESSED)
    return tokens, flags


def _reassign_sorted(tokens: list[Token], positions: list[int]) -> bool:
    ids = [tokens[i] for i in positions]
    in_order = sorted(ids, key=int)
    for position, index in zip(positions, in_order, strict=True):
        tokens[position] = index
    return ids != in_order


def _well_nested(ids: list[int], markers: Sequence[Marker]) -> bool:
    stack: list[int] = []
    for index in ids:
        marker = markers[index]
        if marker.kind == "open":
            stack.append(marker.pair)
        elif marker.kind == "close" and (not stack or stack.pop() != marker.pair):
            return False
    return not stack


def tidy_spaces(tokens: list[Token], markers: Sequence[Marker], source: list[Token]) -> list[Token]:
    """'[b] very [/b]' becomes ' [b]very[/b] ' when the source had no space inside the tag."""
    inside_open = {t for i, t in enumerate(source[:-1]) if isinstance(t, int) and not _is_space(source[i + 1])}
    inside_close = {t for i, t in enumerate(source) if isinstance(t, int) and i > 0 and not _is_space(source[i - 1])}
    result = list(tokens)
    for position in range(len(result) - 1):
        token = result[position]
        opening = isinstance(token, int) and markers[token].kind == "open" and token in inside_open
        if opening and _is_space(result[position + 1]):
            result[position], result[position + 1] = result[position + 1], token
    for position in range(len(result) - 1, 0, -1):
        token = result[position]
        closing = isinstance(token, int) and markers[token].kind == "close" and token in inside_close
        if closing and _is_space(result[position - 1]):
            result[position], result[position - 1] = result[position - 1], token
    return result


def unmask(tokens: Sequence[Token], markers: Sequence[Marker]) -> Segment:
    """Tokens back to a segment: strings and the marker objects."""
    segment: Segment = []
    for token in tokens:
        if isinstance(token, int):
            segment.append(markers[token])
        else:
            append_text(segment, token)
    return segment
