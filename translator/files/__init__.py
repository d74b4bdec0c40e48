"""Files in, the same format out: gettext, XLIFF, subtitles, office documents and e-books.

``translate_file`` picks the handler by the file's suffix, checks what the file
really is (``safety``), lets the handler cut it into segments (text with inline
markers, ``translator.inline``), translates all segments in one engine call and
lets the handler write the same format back. Formatting, untouched parts and
protected spans survive; a file that is unsafe or broken is refused with an
``InputError`` that says why.
"""

from __future__ import annotations

from pathlib import PurePath

# The suffixes the handlers in ``driver`` cover; kept here so listing them (/frontend/settings) imports no parser.
# Documents: files that are not articles (the reader and the batch tool's bilingual outputs take articles).
DOCUMENT_SUFFIXES = (
    ".docx", ".epub", ".odp", ".odt", ".po", ".pot", ".pptx", ".srt", ".vtt", ".xlf", ".xliff",
)  # fmt: skip
SUPPORTED_SUFFIXES = tuple(sorted((*DOCUMENT_SUFFIXES, ".htm", ".html", ".md", ".txt")))
OUTPUT_SUFFIXES = {".pot": ".po"}  # a template comes back as a catalogue; every other file as what it was


def is_supported(name: str) -> bool:
    """A file ``/translate_file`` can give back in its own format."""
    return PurePath(name).suffix.lower() in SUPPORTED_SUFFIXES


def is_document(name: str) -> bool:
    """A supported file that is not an article (.docx, .po, .srt...)."""
    return PurePath(name).suffix.lower() in DOCUMENT_SUFFIXES


def output_suffix(name: str) -> str:
    """The suffix of the translated file: the input's, except .pot → .po."""
    suffix = PurePath(name).suffix.lower()
    return OUTPUT_SUFFIXES.get(suffix, suffix)


def translated_name(original: str, target: str, suffix: str | None = None) -> str:
    """The name a translated file is given back as: ``brief.docx`` → ``brief.en.docx``."""
    stem = PurePath(original.replace("\\", "/")).stem
    return f"{stem}.{target}{suffix or output_suffix(original)}"
