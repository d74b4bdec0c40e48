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
from translator.glossary import Glossary, mark_terms
from translator.inline import plain_text, readable_text, translate_segments
from translator.pipeline import Translator
from translator.sources import Article
from translator.storage.documents import StoredDocument

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


def open_file(data: bytes, name: str) -> Job:
    """The file parsed by its handler, after the checks every upload passes (type, emptiness, what it really is)."""
    handler = HANDLERS.get(PurePath(name).suffix.lower())
    if handler is None:
        raise InputError(f"{name}: unsupported file type; supported: {', '.join(SUPPORTED_SUFFIXES)}.")
    if not data:
        raise InputError(f"{name} is empty.")
    refuse_executables(data, name)
    return handler(data, name)


def check_size(text: str, name: str, limit: int) -> None:
    if len(text) > limit:
        raise InputError(f"{name} holds {len(text):,} characters of text; the limit is {limit:,}.")


def read_document_file(data: bytes, name: str, max_chars: int) -> Article:
    """A document file as an article for the reader: one paragraph per segment, a blank line between them.

    The text is the handler's own segments (what ``translate_file`` translates), so the reader's
    sentences are the file's sentences: words and protected spans (``%s``, URLs) as written, inline
    formatting left out, whitespace inside a segment (a cue's second line, a soft break) as one space.
    Segments with no text besides markers (a lone placeholder) are left out. Refused as
    ``translate_file`` refuses it, and when it has no text.
    """
    job = open_file(data, name)
    check_size("\n".join(map(plain_text, job.segments)), name, max_chars)  # as translate_file measures it
    paragraphs = (" ".join(readable_text(segment).split()) for segment in job.segments if plain_text(segment).strip())
    text = "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
    if not text:
        raise InputError(f"{name} contains no text to translate.")
    return Article(text, "text")


def translate_file(
    translator: Translator,
    data: bytes,
    name: str,
    source: str,
    target: str,
    max_chars: int | None = None,
    glossary: Glossary | None = None,
) -> TranslatedFile:
    """The file translated into ``target``, in its own format; ``source`` may be ``auto``; ``glossary`` terms kept.

    Text beyond ``max_chars`` characters (default: the article limit, TRANSLATOR_MAX_CHARS) is
    refused before anything is translated, so no file costs more than its size allows.
    """
    suffix = PurePath(name).suffix.lower()
    job = open_file(data, name)
    text = "\n".join(plain_text(segment) for segment in job.segments)
    check_size(text, name, max_chars or translator.settings.max_chars)
    if source == "auto":
        source = translator.detector.detect(text).language if text.strip() else target
        if source == UNDETERMINED:
            raise InputError(f"Could not recognise the language of {name}; choose the source language explicitly.")
    if glossary is not None:
        glossary.check_pair(source, target)
    results = translate_segments(
        translator, [mark_terms(segment, glossary) for segment in job.segments], source, target
    )
    return TranslatedFile(
        data=job.build(results, target),
        suffix=job.output_suffix or suffix,
        source_language=source,
        segments=len(results),
        characters=len(text),
        flagged=sum(1 for result in results if result.flags),
    )


def translate_stored(translator: Translator, stored: StoredDocument, original: bytes) -> TranslatedFile:
    """The translated file of a finished document read from a document file: its own format, same structure.

    The file is translated again from its original, with the document's detected language and glossary:
    its sentences come from the sentence cache the document's job filled (cheap), and a correction saved
    in the reader comes from the translation memory, which answers before the cache. Same original,
    model and memory: the same bytes.
    """
    source = stored.source_language or stored.requested_source
    glossary = translator.glossary_named(stored.glossary)
    name = stored.file_name or ""
    limit = translator.settings.file_max_chars  # as when the file was accepted
    return translate_file(translator, original, name, source, stored.target_language, limit, glossary)


__all__ = ["TranslatedFile", "open_file", "read_document_file", "translate_file", "translate_stored"]
