"""Bilingual exports of a Document: HTML, Markdown, TSV, JSON, XLIFF 1.2.

One renderer per format, shared by the web reader's downloads and the batch
CLI. Every export is byte-stable: renderers see only what describes the
translation (``Document.stable_dict``), never how one run went (timings, cache
hits). HTML goes through Jinja2 with autoescaping; XML through ElementTree;
nothing from the article or the model is ever inserted unescaped.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from translator.document import Document
from translator.errors import InputError
from translator.models import provenance_demo_notice

TEMPLATES = Path(__file__).parent / "templates"
XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"


@dataclass(frozen=True)
class Export:
    content: bytes
    mimetype: str
    extension: str


def render_html(document: Document) -> bytes:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    notice = provenance_demo_notice(document.provenance)
    return env.get_template("export.html").render(document=document, demo_notice=notice).encode("utf-8")


def _md_escape(text: str) -> str:
    """Markdown is often rendered to HTML: neutralise tags and entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_markdown(document: Document) -> bytes:
    lines: list[str] = []
    for block in document.blocks:
        source, translation = _md_escape(block.source), _md_escape(block.translation)
        if block.kind == "title":
            lines += [f"# {source}", "", f"# {translation}"]
        elif block.kind == "heading":
            level = "#" * max(int(block.data.get("level", "2")), 2)
            lines += [f"{level} {source}", "", f"{level} {translation}"]
        else:
            prefix = block.markup if block.markup.strip() in ("-", "*", "+", ">") else ""
            lines += [f"{prefix}{source}", "", f"> {translation}" if translation else ">"]
        lines.append("")
    return "\n".join(lines).encode("utf-8")


def _cell(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def render_tsv(document: Document) -> bytes:
    rows = ["\t".join(("block", "kind", document.source_language, document.target_language))]
    for number, block in enumerate(document.blocks, start=1):
        for sentence in block.sentences:
            rows.append("\t".join((str(number), block.kind, _cell(sentence.source), _cell(sentence.translation))))
    return ("\n".join(rows) + "\n").encode("utf-8")


def render_json(document: Document) -> bytes:
    """The stable document (no timings or cache flags), so the file depends only on article, model and options."""
    return json.dumps(document.stable_dict(), ensure_ascii=False, indent=2).encode("utf-8")


def render_xliff(document: Document) -> bytes:
    ET.register_namespace("", XLIFF_NS)
    root = ET.Element(f"{{{XLIFF_NS}}}xliff", version="1.2")
    file = ET.SubElement(
        root,
        f"{{{XLIFF_NS}}}file",
        {
            "original": document.title[:200] or "article",
            "source-language": document.source_language,
            "target-language": document.target_language,
            "datatype": "plaintext",
            "tool-id": "article-translator",
        },
    )
    body = ET.SubElement(file, f"{{{XLIFF_NS}}}body")
    for number, block in enumerate(document.blocks, start=1):
        group = ET.SubElement(body, f"{{{XLIFF_NS}}}group", {"id": f"b{number}", "restype": f"x-{block.kind}"})
        for index, sentence in enumerate(block.sentences, start=1):
            unit = ET.SubElement(group, f"{{{XLIFF_NS}}}trans-unit", {"id": f"b{number}-s{index}"})
            ET.SubElement(unit, f"{{{XLIFF_NS}}}source").text = _xml_safe(sentence.source)
            target = ET.SubElement(unit, f"{{{XLIFF_NS}}}target", {"state": "needs-review-translation"})
            target.text = _xml_safe(sentence.translation)
            for flag in sentence.flags:
                ET.SubElement(unit, f"{{{XLIFF_NS}}}note", {"from": "quality-check"}).text = flag
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _xml_safe(text: str) -> str:
    """XML 1.0 forbids most control characters even when escaped."""
    return "".join(c for c in text if c in "\t\n\r" or (ord(c) >= 0x20 and not 0xFFFE <= ord(c) <= 0xFFFF))


RENDERERS: dict[str, tuple[Callable[[Document], bytes], str, str]] = {
    "html": (render_html, "text/html; charset=utf-8", "html"),
    "md": (render_markdown, "text/markdown; charset=utf-8", "md"),
    "tsv": (render_tsv, "text/tab-separated-values; charset=utf-8", "tsv"),
    "json": (render_json, "application/json", "json"),
    "xliff": (render_xliff, "application/x-xliff+xml", "xlf"),
}
EXPORT_FORMATS = tuple(RENDERERS)


def render(document: Document, fmt: str) -> Export:
    """Render a document in one of EXPORT_FORMATS, from its stable fields only."""
    if fmt not in RENDERERS:
        raise InputError(f"Unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}.")
    renderer, mimetype, extension = RENDERERS[fmt]
    return Export(renderer(Document.from_dict(document.stable_dict())), mimetype, extension)
