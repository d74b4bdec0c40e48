"""Bilingual exports of a Document: HTML, Markdown, TSV, JSON, XLIFF 1.2.

One renderer per format, shared by the web reader's downloads and the batch
CLI. Every export is byte-stable: renderers see only what describes the
translation (``Document.stable_dict``), never how one run went (timings, cache
hits). HTML goes through Jinja2 with autoescaping; XML through ElementTree;
nothing from the article or the model is ever inserted unescaped.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from translator.document import Document, source_lines
from translator.errors import InputError
from translator.models import provenance_demo_notice

TEMPLATES = Path(__file__).parent / "templates"
XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_TOOL_ID = "article-translator"  # <file tool-id>: XLIFF 1.2 requires a <tool> of that id in the header


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str  # the full header value, charset included
    extension: str


def render_html(document: Document) -> bytes:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    notice = provenance_demo_notice(document.provenance)
    html = env.get_template("export.html").render(
        document=document, source=source_lines(document.metadata), demo_notice=notice
    )
    return html.encode("utf-8")


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
    if document.metadata:
        lines += ["---", ""] + [f"{label}: {_md_escape(value)}  " for label, value in source_lines(document.metadata)]
        lines.append("")
    return "\n".join(lines).encode("utf-8")


# OWASP "CSV injection": a spreadsheet runs a cell starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """One line of text that a spreadsheet shows as text: whitespace collapsed, formulas defused with a quote."""
    cell = " ".join(text.split())
    return "'" + cell if cell.startswith(FORMULA_TRIGGERS) else cell


def render_tsv(document: Document) -> bytes:
    """One row per sentence; cells neutralised and quoted (RFC 4180 style) where they hold a quote."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    rows = [("block", "kind", document.source_language, document.target_language)]
    # Where a web article came from: rows of the same four columns, block "source", the label as kind.
    rows += [("source", label, value, "") for label, value in source_lines(document.metadata)]
    for number, block in enumerate(document.blocks, start=1):
        for sentence in block.sentences:
            rows.append((str(number), block.kind, sentence.source, sentence.translation))
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


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
            "original": xml_safe(document.title)[:200].strip() or "article",
            "source-language": document.source_language,
            "target-language": document.target_language,
            "datatype": "plaintext",
            "tool-id": XLIFF_TOOL_ID,
        },
    )
    header = ET.SubElement(file, f"{{{XLIFF_NS}}}header")
    ET.SubElement(header, f"{{{XLIFF_NS}}}tool", {"tool-id": XLIFF_TOOL_ID, "tool-name": XLIFF_TOOL_ID})
    if document.metadata:
        for label, value in source_lines(document.metadata):
            ET.SubElement(
                header, f"{{{XLIFF_NS}}}note", {"from": "source"}
            ).text = f"{label}: {value}"  # cleaned with the rest in xml_bytes
    body = ET.SubElement(file, f"{{{XLIFF_NS}}}body")
    for number, block in enumerate(document.blocks, start=1):
        group = ET.SubElement(body, f"{{{XLIFF_NS}}}group", {"id": f"b{number}", "restype": f"x-{block.kind}"})
        for index, sentence in enumerate(block.sentences, start=1):
            unit = ET.SubElement(group, f"{{{XLIFF_NS}}}trans-unit", {"id": f"b{number}-s{index}"})
            ET.SubElement(unit, f"{{{XLIFF_NS}}}source").text = sentence.source
            target = ET.SubElement(unit, f"{{{XLIFF_NS}}}target", xliff_state(sentence.origin))
            target.text = sentence.translation
            if sentence.machine:  # the model's version a person replaced, for comparison
                alternative = ET.SubElement(unit, f"{{{XLIFF_NS}}}alt-trans", {"origin": "machine-translation"})
                ET.SubElement(alternative, f"{{{XLIFF_NS}}}target").text = sentence.machine
            for flag in sentence.flags:
                ET.SubElement(unit, f"{{{XLIFF_NS}}}note", {"from": "quality-check"}).text = flag
    return xml_bytes(root)


def xliff_state(origin: str) -> dict[str, str]:
    """XLIFF 1.2 ``<target>`` attributes for a translation of this origin (``document.ORIGINS``).

    Machine output needs review (``mt-suggestion``: XLIFF 1.2's own qualifier for it); a person's
    translation (edited here, or from the memory: ``leveraged-tm``) is translated. The one mapping for
    the bilingual export and for translated XLIFF files (``translator.files.xliff``).
    """
    if origin == "human":
        return {"state": "translated"}
    if origin == "memory":
        return {"state": "translated", "state-qualifier": "leveraged-tm"}
    return {"state": "needs-review-translation", "state-qualifier": "mt-suggestion"}


# Characters XML 1.0 does not allow in a document at all, not even escaped (its production [2] Char).
XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Text an XML 1.0 parser accepts: forbidden characters (controls, U+FFFE/U+FFFF, lone surrogates) dropped."""
    return XML_FORBIDDEN.sub("", text)


def xml_bytes(root: ET.Element) -> bytes:
    """Serialise a tree built from article and model text; every text, tail and attribute is cleaned first,
    so no field can be forgotten and the output always parses."""
    for element in root.iter():
        element.text = xml_safe(element.text) if element.text else element.text
        element.tail = xml_safe(element.tail) if element.tail else element.tail
        for name, value in element.attrib.items():
            element.set(name, xml_safe(value))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


RENDERERS: dict[str, tuple[Callable[[Document], bytes], str, str]] = {
    "html": (render_html, "text/html; charset=utf-8", "html"),
    "md": (render_markdown, "text/markdown; charset=utf-8", "md"),
    "tsv": (render_tsv, "text/tab-separated-values; charset=utf-8", "tsv"),
    "json": (render_json, "application/json", "json"),
    "xliff": (render_xliff, "application/x-xliff+xml; charset=utf-8", "xlf"),
}
EXPORT_FORMATS = tuple(RENDERERS)


def render(document: Document, fmt: str) -> Export:
    """Render a document in one of EXPORT_FORMATS, from its stable fields only."""
    if fmt not in RENDERERS:
        raise InputError(f"Unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}.")
    renderer, content_type, extension = RENDERERS[fmt]
    return Export(renderer(Document.from_dict(document.stable_dict())), content_type, extension)
