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
from typing import TYPE_CHECKING

from translator.sources import Article, read_article

if TYPE_CHECKING:
    from translator.config import Settings

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
    stem = PurePath(base_name(original)).stem
    return f"{stem}.{target}{suffix or output_suffix(original)}"


def base_name(name: str) -> str:
    """A sent file's name without its folders, Windows ones too (a browser may send ``C:\\Users\\...\\brief.docx``)."""
    return PurePath(name.replace("\\", "/")).name


def read_sent_file(data: bytes, name: str, settings: Settings) -> tuple[Article, tuple[str, bytes] | None]:
    """An uploaded file as an article for the reader, with the original to keep when it is a document.

    A document (.docx, .po, .srt...) is read as its paragraphs and comes with its (name, bytes), from which
    its translated file is made; a .txt/.md/.html file is read as an article and keeps nothing.
    """
    if not is_document(name):
        return read_article(data, name, settings=settings), None
    from translator.files.driver import read_document_file  # lxml, polib: loaded once a document is sent

    return read_document_file(data, name, settings.file_max_chars), (name, data)
