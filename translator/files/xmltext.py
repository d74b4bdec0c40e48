"""XML elements with mixed content as segments, and segments written back into elements (lxml)."""

from __future__ import annotations

import copy
from collections.abc import Collection, Sequence

from lxml import etree

from translator.inline import Marker, Segment, is_text, protect_text, render


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def segment_of(element: etree._Element, paired: Collection[str]) -> Segment:
    """The element's text and children: ``paired`` children wrap text (open/close), others travel whole."""
    segment: Segment = list(protect_text(element.text or ""))
    for child in element:
        if local_name(child) in paired:
            pair = id(child)
            segment.append(Marker("open", f"<{local_name(child)}>", pair=pair, payload=child))
            segment.extend(segment_of(child, paired))
            segment.append(Marker("close", f"</{local_name(child)}>", pair=pair, payload=child))
        else:
            segment.append(Marker("empty", local_name(child), payload=child))
        segment.extend(protect_text(child.tail or ""))
    return segment


def fill(element: etree._Element, pieces: Sequence[str | Marker], move: bool = False) -> None:
    """Replace the element's content with ``pieces``: text, copies of the paired elements around their words,
    and the travelling elements (copied, or moved when ``move``: translating in place), their tails left out."""
    for child in list(element):
        element.remove(child)
    element.text = None
    stack = [element]
    for piece in pieces:
        current = stack[-1]
        if is_text(piece):
            _append_text(current, render([piece]))
            continue
        assert isinstance(piece, Marker)  # is_text let every string through
        if piece.kind == "open":
            shell = etree.SubElement(current, piece.payload.tag, attrib=dict(piece.payload.attrib))
            stack.append(shell)
        elif piece.kind == "close":
            stack.pop()
        else:
            whole = piece.payload if move else copy.deepcopy(piece.payload)
            whole.tail = None
            current.append(whole)


def _append_text(element: etree._Element, text: str) -> None:
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text
