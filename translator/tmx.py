"""TMX 1.4b, the translation memory exchange format: read units from a file, write the memory as one.

Parsed with defusedxml's ElementTree (streamed, each unit dropped once read, so
a large file costs little memory): a file declaring entities (internal or
external: the billion-laughs and file-disclosure attacks) is refused, an
external DTD named in DOCTYPE is never fetched. Written with ElementTree, in the
memory's key order and without clock times, so the same memory gives the same file.
translate-toolkit's TMX class would add lxml trees held whole in memory and a
large dependency for what is two elements deep.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from translator.errors import InputError
from translator.exports import xml_bytes
from translator.storage.memory import Entry

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
INLINE_TEXT = ("hi", "sub")  # inline elements whose text is sentence text; bpt/ept/ph/it hold native codes
Unit = tuple[str, str, str, str]  # source language, target language, source, translation


def language(code: str) -> str:
    """The memory's language code for a TMX one: 'de-DE' → 'de' (pairs are per language, as the models are)."""
    return code.strip().lower().replace("_", "-").split("-")[0]


def segment_text(seg: ET.Element) -> str:
    """A <seg>'s sentence text: its own text, that of <hi>/<sub>, never the native codes of <bpt>, <ph>…"""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag in INLINE_TEXT:
            parts.append(segment_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def read_units(stream: IO[bytes]) -> Iterator[Unit]:
    """Every (source language, target language, source, translation) of a TMX file, one per target variant.

    Raises InputError for a file that is not TMX, is not well-formed, or declares entities.
    """
    header_source = ""
    root = ""
    try:
        for _, element in iterparse(stream):  # "end" events only: the root's comes last
            root = element.tag
            if root == "tu":
                yield from _unit(element, header_source)
                element.clear()
            elif root == "header":
                header_source = element.get("srclang", "")
    except DefusedXmlException:
        raise InputError(
            "The TMX file declares entities (a DTD with <!ENTITY …>); such files are refused, "
            "because entities can read local files or expand without bound. Export it again without them."
        ) from None
    except ET.ParseError as error:
        raise InputError(f"The TMX file is not well-formed XML ({error}).") from None
    if root != "tmx":  # found at the end: an importer's transaction then keeps nothing it read
        raise InputError(f"This is not a TMX file: its root element is <{root}>, not <tmx>.")


def _unit(tu: ET.Element, header_source: str) -> Iterator[Unit]:
    variants = [(tuv.get(XML_LANG) or tuv.get("lang") or "", tuv.find("seg")) for tuv in tu.findall("tuv")]
    texts = [(language(code), segment_text(seg)) for code, seg in variants if code and seg is not None]
    texts = [(code, text) for code, text in texts if code and text]
    if len(texts) < 2:
        return
    declared = tu.get("srclang") or header_source
    source_code = language(declared) if declared and declared != "*all*" else texts[0][0]
    sources = [text for code, text in texts if code == source_code]
    if not sources:
        return
    for code, text in texts:
        if code != source_code:
            yield source_code, code, sources[0], text


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
