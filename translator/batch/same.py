"""``--format same``: each input translated into its own format, beside the bilingual outputs.

Documents and localisation files (.docx, .po, .srt...) go through
``translator.files`` and give only the same-format output (they have no article
to export bilingually). Articles keep their bilingual outputs and gain the
translated article itself: an HTML page with its own markup (``translate_html``),
a text or Markdown file with its lines and whitespace kept (``translate_texts``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from translator.batch.inputs import Item
from translator.document import Document
from translator.files import is_document
from translator.pipeline import Translator
from translator.sources.sniff import decode_html, decode_text

SAME = "same"


@dataclass
class FileResult:
    name: str
    content: bytes
    source_language: str
    segments: int
    words: int
    notes: list[str]


def same_format_name(item: Item, target: str, suffix: str) -> str:
    """``sub/bericht.en.md``: the target language only, so it never meets a bilingual output (``.de-en.md``)."""
    return f"{item.base}.{target}{suffix}"


def is_file_format(item: Item) -> bool:
    """A document or localisation file rather than an article."""
    return is_document(item.key)


def translate_file_item(translator: Translator, item: Item, data: bytes, source: str, target: str,
                        formats: tuple[str, ...]) -> FileResult:  # fmt: skip
    """The file in its own format; bilingual formats asked for are skipped with a note."""
    from translator.errors import InputError
    from translator.files.driver import translate_file

    if SAME not in formats:
        raise InputError(f"{item.key} is a {PurePosixPath(item.key).suffix} file: add --format same to translate it.")
    result = translate_file(translator, data, item.key, source, target)
    skipped = [fmt for fmt in formats if fmt != SAME]
    notes = [f"{', '.join(skipped)}: not written for {result.suffix} files (only --format same)."] if skipped else []
    if result.flagged:
        notes.append(f"{result.flagged} segment(s) had placeholders or formatting put back; review them.")
    name = same_format_name(item, target, result.suffix)
    return FileResult(name, result.data, result.source_language, result.segments, result.characters // 6, notes)


def same_format_article(translator: Translator, item: Item, data: bytes, document: Document, target: str) -> FileResult:
    """An article translated in its own format, with the language the document was translated from."""
    suffix = PurePosixPath(item.key).suffix.lower()
    text = decode_html(data, item.key) if suffix in (".html", ".htm") else decode_text(data, item.key)
    source = document.source_language
    if suffix in (".html", ".htm"):
        from translator.html_translate import translate_html

        [translated] = translate_html(translator, [text], source, target)
    else:
        from translator.texts import translate_texts

        [translated] = translate_texts(translator, [text], source, target)
    name = same_format_name(item, target, suffix or ".txt")
    return FileResult(name, translated.encode("utf-8"), source, len(document.sentences), document.word_count, [])
