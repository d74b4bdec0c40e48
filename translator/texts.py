"""Short independent texts (LibreTranslate-style requests, HTML text nodes) through the one core.

An article goes through ``Translator.translate_document`` (blocks, kinds,
alignment). A request that only wants strings back goes through here: every
text is cut into sentences with the core's splitter, the distinct sentences of
the whole request are sent to the engine in one batch (so the sentence cache
and CTranslate2's length-sorted batching apply), and each text is put back
together with its own whitespace and line breaks untouched (``translator.inline``
does the work, with protected spans).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from translator.document import Detection
from translator.inline import protect_text, translate_segments
from translator.pipeline import Translator


def translate_texts(translator: Translator, texts: Sequence[str], source: str, target: str) -> list[str]:
    """Translate each text from ``source`` to ``target`` (concrete codes, not ``auto``); one engine call.

    Placeholders, URLs, e-mail addresses, entities and Weblate's ``[X7X]`` markers are
    protected (``translator.inline``): they come back byte for byte. Pieces without a
    letter (numbers, punctuation, whitespace) are kept as they are: the model has nothing
    to translate there and would only invent text.
    """
    results = translate_segments(translator, [protect_text(text) for text in texts], source, target)
    return [result.text for result in results]


def detect_languages(translator: Translator, texts: Sequence[str], allowed: Collection[str]) -> list[Detection]:
    """Likely languages of the texts taken together, most probable first, limited to ``allowed``."""
    candidates = translator.detector.candidates("\n".join(texts))
    return [candidate for candidate in candidates if candidate.language in allowed]
