"""What the reader templates show, computed in Python so templates stay simple and never build markup.

A stored document becomes rows (one per block) of runs: each sentence is a run
with a pair id (``b3-s2``) shared by the original and the translation, and the
text between sentences is a run without one. Templates print runs through
Jinja autoescaping only.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from translator.detect import UNDETERMINED
from translator.document import Block, Detection, Document, source_lines
from translator.flags import FLAG_HELP
from translator.languages import language_name
from translator.models import provenance_demo_notice
from translator.status import JobStatus, is_active
from translator.storage.documents import StoredDocument

KIND_LABELS = {"title": "Title", "subtitle": "Kicker", "byline": "Byline", "heading": "Heading",
               "paragraph": "Paragraph", "footer": "Footer", "comment": "Reader comment"}  # fmt: skip


def percent(confidence: float) -> int:
    return round(confidence * 100)


def detection_text(detection: Detection) -> str:
    """One line a person understands: what was detected and how sure."""
    name = language_name(detection.language)
    if detection.language == UNDETERMINED:
        return "Language not recognised"
    if detection.inherited:
        return f"Too short to detect on its own: taken as {name}, like the article"
    if detection.low_confidence:
        return f"Probably {name} ({percent(detection.confidence)}% sure)"
    return f"{name}, {percent(detection.confidence)}% sure"


@dataclass
class Run:
    """A stretch of a block's text: a sentence (``pair`` set) or the space between two sentences."""

    text: str
    pair: str = ""
    flags: tuple[str, ...] = ()
    origin: str = ""  # translation runs: "human" or "memory" when a person's text, shown quietly


@dataclass
class Row:
    """One block of the article as the reader shows it: original and translation side by side."""

    number: int
    kind: str
    label: str
    heading_level: int
    markdown: str
    source: list[Run]
    translation: list[Run]
    ready: bool
    language: str
    detection: str
    detection_warning: bool
    flags: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)  # sentences a person translated (edited here, or memory)


def runs(text: str, spans: list[tuple[int, int, str, tuple[str, ...], str]]) -> list[Run]:
    """Cut ``text`` at sentence offsets; offsets that do not fit the text give one plain run (never lose text)."""
    out: list[Run] = []
    position = 0
    for start, end, pair, flags, origin in spans:
        if start < position or end < start or end > len(text):
            return [Run(text)]
        if start > position:
            out.append(Run(text[position:start]))
        out.append(Run(text[start:end], pair, flags, origin))
        position = end
    if position < len(text):
        out.append(Run(text[position:]))
    return out


def _row(number: int, block: Block, ready: bool, source_language: str) -> Row:
    prefix = f"b{number}"
    source = runs(block.source, [(s.start, s.end, f"{prefix}-s{i}", (), "") for i, s in enumerate(block.sentences, 1)])
    translation: list[Run] = []
    flags: list[str] = []
    people: list[str] = []
    if ready:
        spans = [
            (s.translation_start, s.translation_end, f"{prefix}-s{i}", tuple(s.flags), _quiet_origin(s.origin))
            for i, s in enumerate(block.sentences, 1)
        ]
        translation = runs(block.translation, spans)
        for index, sentence in enumerate(block.sentences, 1):
            for flag in sentence.flags:
                flags.append(f"Sentence {index}: {FLAG_HELP.get(flag, flag)}")
            if sentence.origin == "human":
                machine = f"; machine version: {sentence.machine}" if sentence.machine else ""
                people.append(f"Sentence {index}: corrected by a person{machine}")
            elif sentence.origin == "memory":
                people.append(f"Sentence {index}: from the translation memory (a person's approved translation)")
    detected = block.detected
    warning = bool(
        detected and not detected.inherited and (detected.language != source_language or detected.low_confidence)
    )
    return Row(
        number=number,
        kind=block.kind,
        label=KIND_LABELS.get(block.kind, block.kind.title()),
        heading_level=_heading_level(block),
        markdown=block.data.get("markdown", ""),
        source=source,
        translation=translation,
        ready=ready,
        language=detected.language if detected else "",
        detection=detection_text(detected) if detected else "",
        detection_warning=warning,
        flags=flags,
        people=people,
    )


def _quiet_origin(origin: str) -> str:
    return origin if origin in ("human", "memory") else ""


def _heading_level(block: Block) -> int:
    if block.kind == "title":
        return 1
    if block.kind == "heading":
        try:
            return min(max(int(block.data.get("level", "2")), 2), 6)
        except ValueError:
            return 2
    return 0


@dataclass(frozen=True)
class SourceLine:
    label: str
    value: str
    href: str  # empty unless value is an http(s) address (a page's canonical URL could be javascript:)


def _web_address(value: str) -> bool:
    return re.match(r"^https?://[^\s\"'<>]+$", value, re.IGNORECASE) is not None


@dataclass
class ReaderView:
    """Everything the reader page and its live fragment need, from one stored document."""

    stored: StoredDocument
    document: Document | None
    rows: list[Row]
    ready_blocks: int

    @property
    def active(self) -> bool:
        return is_active(self.stored.status)

    @property
    def source_language(self) -> str:
        if self.document is not None:
            return self.document.source_language
        return self.stored.source_language or self.stored.requested_source

    @property
    def target_language(self) -> str:
        return self.stored.target_language

    @property
    def title(self) -> str:
        return (self.document.title if self.document is not None else "") or self.stored.title or "Untitled"

    @property
    def detection(self) -> str:
        """How the source language was chosen, for the column heading."""
        if self.document is None:
            if self.stored.requested_source != "auto":
                return "chosen by you"
            return "detecting…" if self.active else "not detected"
        if self.stored.requested_source != "auto":
            return "chosen by you"
        detected = self.document.detected
        if detected.low_confidence:
            return f"detected, only {percent(detected.confidence)}% sure"
        return f"detected, {percent(detected.confidence)}% sure"

    @property
    def provenance(self) -> dict[str, Any]:
        return self.document.provenance if self.document is not None else {}

    @property
    def demo_notice(self) -> str:
        """Set when the random-weight demo model made this "translation": the reader says so above the text."""
        return provenance_demo_notice(self.provenance)

    @property
    def source(self) -> list[SourceLine]:
        """Where a web article came from (site, author, date, URLs); links only for http(s) addresses."""
        metadata = self.document.metadata if self.document is not None else self.stored.source_metadata
        lines = source_lines(metadata)
        return [SourceLine(label, value, value if _web_address(value) else "") for label, value in lines]

    @property
    def seconds(self) -> float | None:
        if self.document is None or self.stored.status != JobStatus.DONE:
            return None
        total_ms = self.document.timings.get("total_ms")
        return round(total_ms / 1000, 2) if total_ms is not None else None

    @property
    def editable(self) -> bool:
        """Sentences can be corrected once the translation is finished."""
        return self.stored.status == "done" and self.document is not None

    @property
    def human_sentences(self) -> int:
        return sum(1 for s in self.document.sentences if s.origin != "model") if self.document is not None else 0

    @property
    def cached_sentences(self) -> int:
        return sum(1 for s in self.document.sentences if s.cached) if self.document is not None else 0


def reader_view(stored: StoredDocument) -> ReaderView:
    """The finished document, or while a job runs the partial one with its finished blocks marked ready."""
    document = stored.document() if stored.status == JobStatus.DONE else None
    done_sentences = len(document.sentences) if document is not None else 0
    if document is None:
        partial = stored.partial_document()
        if partial is not None:
            document, done_sentences = partial
    rows: list[Row] = []
    if document is not None:
        seen = 0
        for number, block in enumerate(document.blocks, 1):
            seen += len(block.sentences)
            ready = stored.status == JobStatus.DONE or seen <= done_sentences
            rows.append(_row(number, block, ready, document.source_language))
    return ReaderView(stored, document, rows, sum(1 for row in rows if row.ready))


def slug(title: str, fallback: str = "article") -> str:
    """An ASCII file-name stem from a title ('Größe & Wachstum' → 'grosse-wachstum')."""
    text = title.replace("ß", "ss")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:60].rstrip("-") or fallback


def provisional_title(text: str, fallback: str) -> str:
    """The first line of the article (Markdown marks removed) until the job knows the real title."""
    for line in text.splitlines():
        cleaned = line.strip().lstrip("#>*-+ ").strip()
        if cleaned:
            return cleaned[:300]
    return fallback


def format_time(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))


def iso_time(timestamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(timestamp))
