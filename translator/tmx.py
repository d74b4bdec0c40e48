"""TMX 1.4b, the translation memory exchange format: read units from a file, write the memory as one.

Parsed with defusedxml's SAX parser (expat, streamed: a large file costs little
memory; 3x as fast as its ElementTree, which builds every element in Python):
a file declaring entities (internal or external: the billion-laughs and
file-disclosure attacks) is refused, an external DTD named in DOCTYPE is never fetched. Written with ElementTree, in the
memory's key order and without clock times, so the same memory gives the same file.
translate-toolkit's TMX class would add lxml trees held whole in memory and a
large dependency for what is two elements deep.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import IO, Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_external_ges, feature_external_pes

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

from translator.errors import InputError
from translator.exports import xml_bytes
from translator.storage.memory import Entry

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
INLINE_TEXT = ("hi", "sub")  # inline elements whose text is sentence text; bpt/ept/ph/it hold native codes
Unit = tuple[str, str, str, str]  # source language, target language, source, translation
CHUNK_BYTES = 1 << 16


def language(code: str) -> str:
    """The memory's language code for a TMX one: 'de-DE' → 'de' (pairs are per language, as the models are)."""
    return code.strip().lower().replace("_", "-").split("-")[0]


class _Units(ContentHandler):
    """SAX handler collecting the units of a TMX file as they end (no tree: memory stays flat)."""

    def __init__(self) -> None:
        super().__init__()
        self.units: list[Unit] = []
        self.root = ""
        self.header_source = ""
        self.unit_source: str | None = None
        self.variants: list[tuple[str, str]] = []
        self.variant_language = ""
        self.segment: list[str] | None = None  # text of the <seg> being read
        self.codes = 0  # depth inside native codes (<bpt>, <ph>…) of the <seg>: their text is not sentence text
        self.segment_text = ""

    def startElement(self, name: str, attrs: Any) -> None:
        if not self.root:
            self.root = name
        if self.segment is not None:
            if self.codes or name not in INLINE_TEXT:
                self.codes += 1
        elif name == "tu":
            self.unit_source, self.variants = attrs.get("srclang"), []
        elif name == "tuv":
            self.variant_language, self.segment_text = attrs.get("xml:lang") or attrs.get("lang") or "", ""
        elif name == "seg":
            self.segment, self.codes = [], 0
        elif name == "header":
            self.header_source = attrs.get("srclang", "")

    def characters(self, content: str) -> None:
        if self.segment is not None and not self.codes:
            self.segment.append(content)

    def endElement(self, name: str) -> None:
        if self.segment is not None and name != "seg":
            if self.codes:
                self.codes -= 1
        elif name == "seg" and self.segment is not None:
            self.segment_text, self.segment = " ".join("".join(self.segment).split()), None
        elif name == "tuv":
            code = language(self.variant_language)
            if code and self.segment_text:
                self.variants.append((code, self.segment_text))
        elif name == "tu":
            self.units.extend(_unit(self.variants, self.unit_source or self.header_source))


def read_units(stream: IO[bytes]) -> Iterator[Unit]:
    """Every (source language, target language, source, translation) of a TMX file, one per target variant.

    Streamed in chunks. Raises InputError for a file that is not TMX, is not well-formed, or
    declares entities; an importer's transaction then keeps nothing it read.
    """
    handler = _Units()
    # Entity declarations refused; an external DTD (<!DOCTYPE tmx SYSTEM "tmx14.dtd">, common in TMX files)
    # is allowed but never read: the external-entity features are off.
    parser = DefusedExpatParser(forbid_dtd=False, forbid_entities=True, forbid_external=False)
    parser.setContentHandler(handler)
    parser.setFeature(feature_external_ges, False)
    parser.setFeature(feature_external_pes, False)
    try:
        while chunk := stream.read(CHUNK_BYTES):
            parser.feed(chunk)
            if handler.root and handler.root != "tmx":
                break
            yield from handler.units
            handler.units.clear()
        else:
            parser.close()
    except DefusedXmlException:
        raise InputError(
            "The TMX file declares entities (a DTD with <!ENTITY …>); such files are refused, "
            "because entities can read local files or expand without bound. Export it again without them."
        ) from None
    except SAXParseException as error:
        raise InputError(
            f"The TMX file is not well-formed XML ({error.getMessage()}, line {error.getLineNumber()})."
        ) from None
    if handler.root != "tmx":
        raise InputError(f"This is not a TMX file: its root element is <{handler.root or 'nothing'}>, not <tmx>.")
    yield from handler.units


def _unit(variants: list[tuple[str, str]], declared: str) -> list[Unit]:
    """One unit per target variant, from the source variant (the declared srclang, or the first)."""
    if len(variants) < 2:
        return []
    source_code = language(declared) if declared and declared != "*all*" else variants[0][0]
    sources = [text for code, text in variants if code == source_code]
    if not sources:
        return []
    return [(source_code, code, sources[0], text) for code, text in variants if code != source_code]


def read_tmx(data: bytes) -> Iterator[Unit]:
    return read_units(io.BytesIO(data))


def write_tmx(entries: Iterable[Entry]) -> bytes:
    """A TMX 1.4 document of memory entries (byte-stable: no dates, the memory's order)."""
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "article-translator",
            "creationtoolversion": "1",
            "segtype": "sentence",
            "o-tmf": "article-translator-memory",
            "adminlang": "en",
            "srclang": "*all*",
            "datatype": "plaintext",
        },
    )
    body = ET.SubElement(root, "body")
    for entry in entries:
        unit = ET.SubElement(body, "tu", {"srclang": entry.source_language})
        ET.SubElement(unit, "prop", {"type": "x-origin"}).text = entry.origin
        for code, text in ((entry.source_language, entry.source), (entry.target_language, entry.translation)):
            variant = ET.SubElement(unit, "tuv", {XML_LANG: code})
            ET.SubElement(variant, "seg").text = text
    ET.indent(root, space=" ")
    return xml_bytes(root)
