"""Markers and the protected-span patterns: placeholders, code-like spans, URLs, e-mail, entities."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

MarkerKind = Literal["protected", "open", "close", "empty"]


@dataclass(frozen=True, eq=False)
class Marker:
    """One thing the model must not see as text.

    ``protected``: ``raw`` comes back byte for byte. ``open``/``close``: the two ends of an
    inline tag (same ``pair``); ``empty``: an inline element without text (an image, a line
    break, code). ``ordered`` markers keep their order relative to each other (``%s`` before
    ``%d``: swapping them swaps a program's arguments). ``payload`` is the format handler's own
    object (a bs4 tag, a run's properties) used to rebuild the markup. ``term``: a glossary or
    do-not-translate term (``translator.glossary``), ``raw`` being what must stand in the translation.
    """

    kind: MarkerKind
    raw: str = ""
    pair: int = -1
    ordered: bool = False
    term: bool = False
    payload: Any = field(default=None, compare=False)


Segment = list[str | Marker]

PRINTF = (
    r"%(?:(?P<position>\d+\$)|\((?P<named>[\w.-]+)\))?[-+#0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?"
    r"(?:hh|h|ll|l|L|q|j|z|t|I64|I32)?[diouxXeEfFgGaAcspn@](?![^\W\d_])|%%"
)
PATTERNS = [
    r"\[X\d+X\]",  # Weblate's own placeholders towards machine translation
    r"\{\{.*?\}\}",  # Jinja/Handlebars/Angular variables
    r"\$\{[^{}\n]*\}",  # shell / JavaScript template variables
    r"\{[\w.\[\]-]*(?:![rsa])?(?::[^{}\n]*)?\}",  # Python/.NET/ICU simple arguments: {name}, {0}, {}, {x:.2f}
    PRINTF,
    r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});",  # HTML entities
    r"\b(?:https?|ftp)://[^\s<>\"']+|\bwww\.[\w-]+\.[^\s<>\"']+",  # URLs
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail addresses
    r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>",  # markup inside plain strings (gettext, XLIFF text)
]
PROTECTED = re.compile("|".join(f"(?:{p})" for p in PATTERNS))
URL_START = re.compile(r"(?:https?|ftp)://|www\.")
URL_TRAILING = ".,;:!?)]}'\""
ICU_HEAD = re.compile(r"\{\s*[\w.]+\s*,\s*(?:plural|select|selectordinal|number|date|time|choice)\b")
MARKUP_NAME = re.compile(r"<(/?)([A-Za-z][\w:-]*)")
UNORDERED_PRINTF = re.compile(r"%[-+#0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?[a-zA-Z]+$")


def protect_text(text: str) -> Segment:
    """Split ``text`` into plain strings and protected markers."""
    segment: Segment = []
    position = 0
    for start, end in protected_spans(text):
        append_text(segment, text[position:start])
        raw = text[start:end]
        segment.append(Marker("protected", raw, ordered=bool(UNORDERED_PRINTF.match(raw)) or raw == "{}"))
        position = end
    append_text(segment, text[position:])
    return pair_markup(segment)


def pair_markup(segment: Segment) -> Segment:
    """Markup inside plain text (``<b>%s</b>``): matching open and close tags become a pair, so they nest."""
    stack: list[tuple[int, str]] = []
    pairs: dict[int, int] = {}
    for index, piece in enumerate(segment):
        if not isinstance(piece, Marker) or piece.kind != "protected" or not piece.raw.startswith("<"):
            continue
        tag = MARKUP_NAME.match(piece.raw)
        if tag is None or piece.raw.endswith("/>"):
            continue
        if tag.group(1):  # closing
            if stack and stack[-1][1] == tag.group(2).lower():
                pairs[stack.pop()[0]] = index
        else:
            stack.append((index, tag.group(2).lower()))
    result = list(segment)
    for opening, closing in pairs.items():
        result[opening] = Marker("open", render([segment[opening]]), pair=opening)
        result[closing] = Marker("close", render([segment[closing]]), pair=opening)
    return result


def protected_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each protected span, left to right, never overlapping; ICU messages whole."""
    position = 0
    while position < len(text):
        icu = ICU_HEAD.search(text, position)
        match = PROTECTED.search(text, position)
        if icu is not None and (match is None or icu.start() <= match.start()):
            end = _matching_brace(text, icu.start())
            if end is not None:
                yield icu.start(), end
                position = end
                continue
            icu = None
        if match is None:
            return
        end = match.end()
        if URL_START.match(match.group()):
            while end > match.start() + 1 and text[end - 1] in URL_TRAILING:
                end -= 1
        yield match.start(), end
        position = max(end, match.start() + 1)


def _matching_brace(text: str, start: int) -> int | None:
    """End (exclusive) of the brace group opening at ``start``; None when it never closes."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def append_text(segment: Segment, text: str) -> None:
    """Append text, merging with a string already at the end."""
    if not text:
        return
    if segment and isinstance(segment[-1], str):
        segment[-1] += text
    else:
        segment.append(text)


def is_text(piece: str | Marker) -> bool:
    """Text for a format writer: strings, and markers without a payload (protected spans, and markup that
    was only text in the source, ``&lt;b&gt;`` in HTML or ``<b>`` in a .docx run)."""
    return isinstance(piece, str) or piece.payload is None


def render(pieces: Sequence[str | Marker]) -> str:
    """Plain-text rendering: strings as they are, each marker as its raw text."""
    return "".join(piece if isinstance(piece, str) else piece.raw for piece in pieces)


def readable_text(pieces: Sequence[str | Marker]) -> str:
    """What a person reads: the words and protected spans as written; inline tags left out, an empty one a space."""
    parts = []
    for piece in pieces:
        if isinstance(piece, str) or piece.kind == "protected":
            parts.append(piece if isinstance(piece, str) else piece.raw)
        elif piece.kind == "empty":  # a line break or an image between words
            parts.append(" ")
    return "".join(parts)


def plain_text(pieces: Sequence[str | Marker]) -> str:
    """Only the translatable words (markers left out): what decides if there is anything to translate."""
    return "".join(piece for piece in pieces if isinstance(piece, str))
