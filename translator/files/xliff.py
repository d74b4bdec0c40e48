"""XLIFF 1.2 and 2.x: each untranslated source gets a target, its inline codes kept and placed.

The state says whether a person has to look: a target made only of approved
human translations from the translation memory (``SegmentResult.origin``
"memory", nothing repaired) is translated, anything the model wrote (or helped
write) is not. 1.2: ``<target state="needs-review-translation"
state-qualifier="mt-suggestion">`` or ``state="translated"
state-qualifier="leveraged-tm"``, as the bilingual export marks its sentences
(``exports.xliff_state``). 2.x, whose ``<segment>`` states are initial,
translated, reviewed and final: ``state="initial"`` (a draft target, not yet
translated by anyone) or ``state="translated"``. Paired codes
(``<g>``, ``<pc>``, ``<mrk>``) wrap the translated words; standalone codes
(``<x/>``, ``<ph/>``, ``<bx/>``...) travel with their sentence. A unit with
``translate="no"`` or a target already filled is left alone. Parsed without DTD
or entities (``safety.parse_xml``).
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from translator.errors import InputError
from translator.exports import xliff_state
from translator.files.base import Job
from translator.files.safety import parse_xml, refuse_executables
from translator.files.xmltext import fill, local_name, segment_of
from translator.inline import SegmentResult

NS_12 = "urn:oasis:names:tc:xliff:document:1.2"
NS_2 = "urn:oasis:names:tc:xliff:document:2.0"
PAIRED = {NS_12: {"g", "mrk"}, NS_2: {"pc", "mrk"}}
XLIFF2_STATES = {"memory": "translated", "model": "initial"}  # by SegmentResult.origin


def load(data: bytes, name: str) -> Job:
    refuse_executables(data, name)
    tree = parse_xml(data, name)
    root = tree.getroot()
    namespace = etree.QName(root).namespace
    if local_name(root) != "xliff" or namespace not in PAIRED:
        raise InputError(f"{name} is not XLIFF 1.2 or 2.x (root element {root.tag!r}).")
    pairs = _source_target_pairs(root, namespace)
    segments = [segment_of(source, PAIRED[namespace]) for source, _, _ in pairs]

    def build(results: Sequence[SegmentResult], target_language: str) -> bytes:
        _set_target_language(root, namespace, target_language)
        for (source, target, holder), result in zip(pairs, results, strict=True):
            if target is None:
                target = etree.Element(f"{{{namespace}}}target")
                # 1.2's order is source, seg-source, target: a segmenting tool's <seg-source> stays before it.
                before = holder.find(f"{{{NS_12}}}seg-source") if namespace == NS_12 else None
                anchor = source if before is None else before
                anchor.addnext(target)
                target.tail = anchor.tail
            fill(target, result.pieces)
            if namespace == NS_12:
                target.attrib.pop("state-qualifier", None)  # an empty target's old qualifier no longer applies
                target.attrib.update(xliff_state(result.origin))
            else:
                holder.attrib.pop("subState", None)  # 2.x: a writer changing state updates or deletes subState
                holder.set("state", XLIFF2_STATES[result.origin])
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")

    return Job(segments, build)


def _source_target_pairs(
    root: etree._Element, namespace: str
) -> list[tuple[etree._Element, etree._Element | None, etree._Element]]:
    """(source, existing empty target or None, element holding the state) of each unit still to translate."""
    found = []
    unit_name, holder_name = ("trans-unit", "trans-unit") if namespace == NS_12 else ("unit", "segment")
    for unit in root.iter(f"{{{namespace}}}{unit_name}"):
        if unit.get("translate", "yes") == "no":
            continue
        holders = [unit] if holder_name == unit_name else list(unit.iter(f"{{{namespace}}}{holder_name}"))
        for holder in holders:
            source = holder.find(f"{{{namespace}}}source")
            target = holder.find(f"{{{namespace}}}target")
            if source is None or (target is not None and (len(target) or (target.text or "").strip())):
                continue
            found.append((source, target, holder))
    return found


def _set_target_language(root: etree._Element, namespace: str, target: str) -> None:
    if namespace == NS_2:
        root.set("trgLang", root.get("trgLang") or target)
        return
    for file in root.iter(f"{{{NS_12}}}file"):
        file.set("target-language", file.get("target-language") or target)
