"""The driver: handler by suffix, safety checks, one engine call, the same format back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from translator.detect import UNDETERMINED
from translator.errors import InputError
from translator.files import SUPPORTED_SUFFIXES, gettext, office, subtitles, text, xliff
from translator.files.base import Job
from translator.files.safety import refuse_executables
from translator.inline import plain_text, translate_segments
from translator.pipeline import Translator

HANDLERS: dict[str, Callable[[bytes, str], Job]] = {
    ".po": gettext.load,
    ".pot": gettext.load,
    ".xlf": xliff.load,
    ".xliff": xliff.load,
    ".txt": text.load_text,
    ".md": text.load_text,
    ".html": text.load_html,
    ".htm": text.load_html,
    ".srt": subtitles.load,
    ".vtt": subtitles.load,
    **{suffix: office.load for suffix in office.FORMATS},
}


@dataclass
class TranslatedFile:
    data: bytes
    suffix: str  # of the output: the input's, except .pot → .po
    source_language: str
    segments: int
    characters: int
    flagged: int  # segments whose placeholders or formatting had to be repaired


def translate_file(
    translator: Translator, data: bytes, name: str, source: str, target: str, max_chars: int | None = None
) -> TranslatedFile:
    """The file translated into ``target``, in its own format; ``source`` may be ``auto``.

    Text beyond ``max_chars`` characters (default: the article limit, TRANSLATOR_MAX_CHARS) is
    refused before anything is translated, so no file costs more than its size allows.
    """
    suffix = PurePath(name).suffix.lower()
    handler = HANDLERS.get(suffix)
    if handler is None:
        raise InputError(f"{name}: unsupported file type; supported: {', '.join(SUPPORTED_SUFFIXES)}.")
    if not data:
        raise InputError(f"{name} is empty.")
    refuse_executables(data, name)
    job = handler(data, name)
    text = "\n".join(plain_text(segment) for segment in job.segments)
    limit = max_chars or translator.settings.max_chars
    if len(text) > limit:
        raise InputError(f"{name} holds {len(text):,} characters of text; the limit is {limit:,}.")
    if source == "auto":
        source = translator.detector.detect(text).language if text.strip() else target
        if source == UNDETERMINED:
            raise InputError(f"Could not recognise the language of {name}; choose the source language explicitly.")
    results = translate_segments(translator, job.segments, source, target)
    return TranslatedFile(
        data=job.build(results, target),
        suffix=job.output_suffix or suffix,
        source_language=source,
        segments=len(results),
        characters=len(text),
        flagged=sum(1 for result in results if result.flags),
    )


__all__ = ["TranslatedFile", "translate_file"]
