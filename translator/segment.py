"""Turn a plain-text or Markdown article into ordered, typed blocks of sentences.

Every non-empty line is its own block unless it is a soft-wrapped continuation
of the previous line; blank lines always separate blocks. Sentences come from
pysbd (rule-based, knows German abbreviations and ordinals), with offsets into
the block text so source and translation can be aligned.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pysbd

from translator.document import Block, Sentence
from translator.errors import InputError
from translator.sources.extract import COMMENTS_RULE, STRUCTURED_KEY

SENTENCE_END = tuple(".!?:;…\"“”»«')")
FOOTER_PATTERNS = re.compile(
    r"^(verwandte themen|mehr zum thema|weitere artikel|lesen sie auch|das könnte sie auch interessieren"
    r"|related (topics|articles|stories)|read more|more on this|tags?:|schlagworte|themen:"
    r"|copyright|©|\(c\)|alle rechte vorbehalten|all rights reserved|quelle:|source:|teilen|share)",
    re.IGNORECASE,
)
DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{2,4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")
BYLINE_START = re.compile(r"^(von|by|autor(in)?:?|author:?|text:?)\s", re.IGNORECASE)
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
MD_LIST = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(.*)$")
MD_QUOTE = re.compile(r"^(>\s?)(.*)$")
MD_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
WRAP_MIN_LENGTH = 40  # hard-wrapped prose lines are between these widths; longer lines are paragraphs
WRAP_MAX_LENGTH = 160
MAX_SENTENCE_CHARS = 800
CHUNK_CHARS = 3000
CHUNK_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ\"„“])")
SBD_LANGUAGES = {
    "en", "hi", "mr", "zh", "es", "am", "ar", "hy", "bg", "ur", "ru", "pl", "fa", "nl", "da", "fr",
    "my", "el", "it", "ja", "de", "kk", "sk",
}  # fmt: skip


@dataclass
class _Line:
    text: str
    number: int
    markup: str = ""
    md_kind: str = ""


def clean_text(text: str) -> str:
    """Normalise newlines and Unicode (NFC) and drop control characters that break rendering."""
    if not isinstance(text, str):
        raise InputError("The article must be text.")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = unicodedata.normalize("NFC", text)
    return CONTROL.sub("", text)


def parse_article(
    text: str, max_chars: int = 500_000, language: str = "de", metadata: dict[str, str] | None = None
) -> list[Block]:
    """Split an article into typed blocks with sentences; raises InputError on unusable input."""
    blocks = parse_blocks(text, max_chars, metadata)
    split_sentences(blocks, language)
    return blocks


def split_sentences(blocks: list[Block], language: str) -> None:
    splitter = SentenceSplitter(language)
    for block in blocks:
        block.sentences = splitter.split(block.source)


def parse_blocks(text: str, max_chars: int = 500_000, metadata: dict[str, str] | None = None) -> list[Block]:
    """Typed blocks without sentences (the sentence splitter wants the detected language first).

    Text from the article extractor (``metadata["extractor"]`` set) says each block's kind
    exactly (see translator.sources.extract); other text is classified by its look.
    """
    if not isinstance(text, str):
        raise InputError("The article must be text.")
    if len(text) > max_chars:
        raise InputError(f"The article has {len(text):,} characters; the limit is {max_chars:,}.")
    text = clean_text(text)
    if not text.strip():
        raise InputError("The article is empty: there is no text to translate.")
    structured = metadata is not None and bool(metadata.get(STRUCTURED_KEY))
    blocks = _structured(text, metadata or {}) if structured else [_to_block(g) for g in _group_lines(text)]
    if not blocks:  # only Markdown rules or code fences
        raise InputError("The article is empty: there is no text to translate, only markup.")
    if not structured:
        _classify(blocks)
    return blocks


def _structured(text: str, metadata: dict[str, str]) -> list[Block]:
    """One block per line, kinds as the extractor wrote them: no joining, no guessing."""
    blocks: list[Block] = []
    comments = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line == COMMENTS_RULE:
            comments = comments or line == COMMENTS_RULE
            continue
        escaped = line.startswith("\\")
        block = Block("paragraph", line[1:], number) if escaped else _to_block([_parse_markdown(line, number)])
        if comments:
            block.kind = "comment"
        elif not blocks and block.kind == "heading" and block.data.get("level") == "1":
            block.kind = "title"
        elif block.data.get("markdown"):
            pass
        elif len(blocks) <= 2 and block.source == metadata.get("subtitle"):
            block.kind = "subtitle"
        elif len(blocks) <= 3 and block.source == metadata.get("byline"):
            block.kind = "byline"
            block.data.update({key: metadata[key] for key in ("author", "date") if metadata.get(key)})
        blocks.append(block)
    return blocks


def _group_lines(text: str) -> list[list[_Line]]:
    """Group lines into blocks: blank lines separate; soft-wrapped prose lines are joined."""
    groups: list[list[_Line]] = []
    current: list[_Line] = []
    in_fence = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if not line or (MD_RULE.match(line) and not in_fence):
            if current:
                groups.append(current)
            current = []
            continue
        parsed = _parse_markdown(line, number)
        if current and (parsed.md_kind or current[-1].md_kind in ("heading",) or not _continues(current[-1], parsed)):
            groups.append(current)
            current = []
        current.append(parsed)
    if current:
        groups.append(current)
    return groups


def _parse_markdown(line: str, number: int) -> _Line:
    parsed = _markdown_line(line, number)
    return parsed if parsed.text.strip() else _Line(line, number)  # a bare marker ('>', '#') is text


def _markdown_line(line: str, number: int) -> _Line:
    if match := MD_HEADING.match(line):
        return _Line(match.group(2) or line, number, match.group(1) + " ", "heading")
    if match := MD_LIST.match(line):
        return _Line(match.group(2), number, match.group(1).strip() + " ", "list")
    if match := MD_QUOTE.match(line):
        return _Line(match.group(2), number, "> ", "quote")
    return _Line(line, number)


def _continues(previous: _Line, line: _Line) -> bool:
    """A line continues the previous one when that one looks cut mid-sentence."""
    if previous.text.endswith(SENTENCE_END):
        return False
    if line.text[:1].islower():
        return True
    wrapped_width = WRAP_MIN_LENGTH <= len(previous.text) <= WRAP_MAX_LENGTH
    return wrapped_width and not DATE.search(previous.text[-12:])


def _to_block(group: list[_Line]) -> Block:
    text = " ".join(line.text for line in group)
    block = Block(kind="paragraph", source=text, line=group[0].number, markup=group[0].markup)
    if group[0].md_kind == "heading":
        block.kind = "heading"
        block.data["level"] = str(len(group[0].markup.strip()))
    elif group[0].md_kind:
        block.data["markdown"] = group[0].md_kind
    return block


def _looks_like_prose(text: str) -> bool:
    return len(text) > 160 or (text.endswith((".", "!", "?", "…", '"', "“")) and len(text.split()) >= 4)


def _classify(blocks: list[Block]) -> None:
    """Assign title, subtitle, byline, heading and footer kinds; everything else stays a paragraph."""
    first_prose = next((i for i, b in enumerate(blocks) if _looks_like_prose(b.source)), len(blocks))
    last_prose = max((i for i, b in enumerate(blocks) if _looks_like_prose(b.source)), default=-1)
    md_headings = [b for b in blocks if b.kind == "heading"]
    if md_headings and blocks[0].kind == "heading" and blocks[0].data.get("level") == "1":
        blocks[0].kind = "title"
    for index, block in enumerate(blocks):
        text = block.source
        if block.kind in ("title", "heading") or block.data.get("markdown") in ("list", "quote"):
            continue
        if index == 0 and not _looks_like_prose(text):
            block.kind = "title"
        elif _is_byline(text):
            block.kind = "byline"
            _byline_data(block)
        elif index < first_prose and index <= 2 and not text.endswith((".", ",", ";")):
            block.kind = "subtitle"
        elif index > last_prose and (FOOTER_PATTERNS.match(text) or _short_trailer(text, last_prose)):
            block.kind = "footer"
        elif not _looks_like_prose(text) and len(text) <= 120 and not text.endswith((".", ",", ";")):
            block.kind = "heading"


def _is_byline(text: str) -> bool:
    if len(text) > 120:
        return False
    return bool(BYLINE_START.match(text)) or (bool(DATE.search(text)) and len(text.split()) <= 8)


def _byline_data(block: Block) -> None:
    match = DATE.search(block.source)
    if match:
        if match.group(1):
            day, month, year = (int(g) for g in match.group(1, 2, 3))
            year += 2000 if year < 100 else 0
        else:
            year, month, day = (int(g) for g in match.group(4, 5, 6))
        if 1 <= month <= 12 and 1 <= day <= 31:
            block.data["date"] = f"{year:04d}-{month:02d}-{day:02d}"
        block.data["date_text"] = match.group(0)
    author = BYLINE_START.sub("", block.source)
    author = DATE.sub("", author).strip(" -–—|,·")
    if author:
        block.data["author"] = author


class SentenceSplitter:
    """pysbd with offsets, plus a hard cap on sentence length so the model never sees a megabyte."""

    def __init__(self, language: str = "de") -> None:
        self._segmenter = pysbd.Segmenter(
            language=language if language in SBD_LANGUAGES else "en", clean=False, char_span=True
        )

    def split(self, text: str) -> list[Sentence]:
        sentences: list[Sentence] = []
        spans = [
            (offset + span.start, offset + span.end)
            for offset, chunk in _chunks(text)
            for span in self._segmenter.segment(chunk)
        ]
        for span_start, span_end in spans:
            for start, end in _cap_length(text, span_start, span_end):
                while start < end and text[start].isspace():
                    start += 1
                while end > start and text[end - 1].isspace():
                    end -= 1
                if start >= end:
                    continue
                if sentences and not any(char.isalnum() for char in text[start:end]):
                    last = sentences[-1]  # a stray closing quote or bracket belongs to the sentence before
                    sentences[-1] = Sentence(source=text[last.start : end], start=last.start, end=end)
                else:
                    sentences.append(Sentence(source=text[start:end], start=start, end=end))
        if not sentences and text.strip():
            stripped = text.strip()
            start = text.index(stripped)
            sentences.append(Sentence(source=stripped, start=start, end=start + len(stripped)))
        return sentences


def _chunks(text: str) -> list[tuple[int, str]]:
    """Feed pysbd pieces of at most CHUNK_CHARS: its run time grows much faster than linearly."""
    chunks = []
    start = 0
    while len(text) - start > CHUNK_CHARS:
        window = text[start : start + CHUNK_CHARS]
        boundaries = [m.end() for m in CHUNK_BOUNDARY.finditer(window)]
        cut = boundaries[-1] if boundaries else window.rfind(" ") + 1
        if cut <= 0:
            cut = CHUNK_CHARS
        chunks.append((start, text[start : start + cut]))
        start += cut
    chunks.append((start, text[start:]))
    return chunks


def _cap_length(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a span longer than MAX_SENTENCE_CHARS at whitespace (or hard, for a giant word)."""
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _short_trailer(text: str, last_prose: int) -> bool:
    """Short, unpunctuated lines after the last paragraph are boilerplate (tags, 'related' links)."""
    return last_prose >= 0 and len(text) < 60 and not text.endswith((".", "!", "?", "…"))
