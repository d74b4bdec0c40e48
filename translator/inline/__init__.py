"""Protected spans and inline tags: what must come back byte for byte, and formatting inside a sentence.

A text to translate is a *segment*: plain strings interleaved with ``Marker``
objects. A marker is either a protected span (``%s``, ``{name}``, a URL, an
entity, Weblate's ``[X7X]``...) or an inline tag (the opening and closing of
``<b>`` in HTML, a bold run in a .docx). Markers go to the model as opaque
placeholders ``[X<n>X]`` (the form Weblate itself uses towards LibreTranslate),
so a sentence with formatting is translated as ONE sentence, as DeepL's tag
handling does, rather than as fragments. Argos' ``translate_tags`` instead
translates the whole text without tags and looks for each tagged child's own
translation inside it, falling back to fragments when it is not found; the
placeholder route keeps one sentence and repairs what the model lost.

What the model returns is repaired (``restore``): every marker appears exactly
once, lost ones are put back at the best-guess position, stray ones removed,
tags re-nested, and the sentence flagged when any of that was needed.
"""

from translator.inline.spans import Marker, Segment, is_text, plain_text, protect_text, readable_text, render
from translator.inline.translate import SegmentResult, translate_segments

__all__ = [
    "Marker",
    "Segment",
    "SegmentResult",
    "is_text",
    "plain_text",
    "protect_text",
    "readable_text",
    "render",
    "translate_segments",
]
