"""Files in, the same format out: gettext, XLIFF, subtitles, office documents and e-books.

``translate_file`` picks the handler by the file's suffix, checks what the file
really is (``safety``), lets the handler cut it into segments (text with inline
markers, ``translator.inline``), translates all segments in one engine call and
lets the handler write the same format back. Formatting, untouched parts and
protected spans survive; a file that is unsafe or broken is refused with an
``InputError`` that says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from translator.detect import UNDETERMINED
from translator.errors import InputError
from translator.files import gettext, office, subtitles, xliff
from translator.files.base import Job
from translator.files.safety import refuse_executables
from translator.inline import plain_text, translate_segments
from translator.pipeline import Translator

HANDLERS: dict[str, Callable[[bytes, str], Job]] = {
    ".po": gettext.load,
    ".pot": gettext.load,
    ".xlf": xliff.load,
    ".xliff": xliff.load,
    ".srt": subtitles.load,
    ".vtt": subtitles.load,
    **{suffix: office.load for suffix in office.FORMATS},
}
SUPPORTED_SUFFIXES = tuple(sorted(HANDLERS))


@dataclass
class TranslatedFile:
    data: bytes
    suffix: str  # of the output: the input's, except .pot → .po
    source_language: str
    segments: int
    flagged: int  # segments whose placeholders or formatting had to be repaired


def is_supported(name: str) -> bool:
    return PurePath(name).suffix.lower() in HANDLERS


def translate_file(translator: Translator, data: bytes, name: str, source: str, target: str) -> TranslatedFile:
    """The file translated into ``target``, in its own format; ``source`` may be ``auto``."""
    suffix = PurePath(name).suffix.lower()
    handler = HANDLERS.get(suffix)
    if handler is None:
        raise InputError(f"{name}: unsupported file type; supported: {', '.join(SUPPORTED_SUFFIXES)}.")
    if not data:
        raise InputError(f"{name} is empty.")
    refuse_executables(data, name)
    job = handler(data, name)
    if source == "auto":
        text = "\n".join(plain_text(segment) for segment in job.segments)
        source = translator.detector.detect(text).language if text.strip() else target
        if source == UNDETERMINED:
            raise InputError(f"Could not recognise the language of {name}; choose the source language explicitly.")
    results = translate_segments(translator, job.segments, source, target)
    return TranslatedFile(
        data=job.build(results, target),
        suffix=job.output_suffix or suffix,
        source_language=source,
        segments=len(results),
        flagged=sum(1 for result in results if result.flags),
    )


__all__ = ["SUPPORTED_SUFFIXES", "TranslatedFile", "is_supported", "translate_file"]
