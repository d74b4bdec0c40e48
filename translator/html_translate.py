"""Translate HTML fragments in place, block by block, inline formatting kept on the right words.

Each run of text and inline elements inside a block element (``<p>Das ist
<b>sehr</b> gut.</p>``) is one segment: its inline tags become placeholder
markers (``translator.inline``), so the sentence is translated whole and the
``<b>`` comes back around the words it belongs to, instead of three fragments
translated alone. Every tag and attribute stays as it was. Nothing is
translated inside script, style, code-like elements, under ``translate="no"``
(the nearest ``translate`` attribute decides, as in HTML) or class
``notranslate``: such elements travel as opaque markers and come back untouched.
All segments of a request go to the engine in one call.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Sequence
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag

from translator.htmlguard import check_html
from translator.inline import Marker, Segment, SegmentResult, is_text, protect_text, render, translate_segments
from translator.inline.spans import plain_text
from translator.pipeline import Translator

SKIP_TAGS = frozenset(
    {"script", "style", "code", "pre", "kbd", "samp", "var", "noscript", "template", "textarea", "svg", "math"}
)
INLINE_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "big", "br", "cite", "data", "del", "dfn", "em", "font", "i", "img",
        "ins", "label", "mark", "q", "s", "small", "span", "strike", "strong", "sub", "sup", "time", "tt",
        "u", "wbr",
    }
)  # fmt: skip


@dataclass
class _Run:
    """Consecutive children of one element that read as one piece of text."""

    nodes: list[PageElement]
    segment: Segment


def translate_html(translator: Translator, fragments: Sequence[str], source: str, target: str) -> list[str]:
    """Each HTML fragment (or page) with its translatable text translated, markup unchanged.

    Each fragment is checked first (``check_html``): nesting past MAX_DEPTH or runaway markup is an InputError.
    """
    for fragment in fragments:
        check_html(fragment)
    pages = [HtmlPage(fragment) for fragment in fragments]
    segments = [segment for page in pages for segment in page.segments]
    results = iter(translate_segments(translator, segments, source, target))
    return [page.write([next(results) for _ in page.segments]) for page in pages]


class HtmlPage:
    """A parsed page: its segments to translate, and ``write`` to put translations in and serialise it."""

    def __init__(self, html: str) -> None:
        self._soup = BeautifulSoup(html, "html.parser")
        self._runs = _runs(self._soup, allowed=True)
        self.segments = [run.segment for run in self._runs]

    def write(self, results: Sequence[SegmentResult]) -> str:
        for run, result in zip(self._runs, results, strict=True):
            _replace(run, result)
        return str(self._soup)


def _runs(element: Tag, allowed: bool) -> list[_Run]:
    """The text runs under ``element`` to translate, in document order."""
    found: list[_Run] = []
    pending: list[PageElement] = []

    def flush() -> None:
        if pending and allowed:
            segment = _segment(pending)
            if any(char.isalpha() for char in plain_text(segment)):
                found.append(_Run(list(pending), segment))
        pending.clear()

    for child in list(element.children):
        if isinstance(child, Tag) and not _is_inline(child):
            flush()
            if child.name not in SKIP_TAGS and "notranslate" not in child.get_attribute_list("class"):
                found.extend(_runs(child, _translate_attribute(child, allowed)))
        else:
            pending.append(child)
    flush()
    return found


def _translate_attribute(tag: Tag, inherited: bool) -> bool:
    flag = tag.get("translate")
    return flag.strip().lower() != "no" if isinstance(flag, str) else inherited


def _is_inline(tag: Tag) -> bool:
    """Inline element whose content is inline too (an <a> wrapping a <div> is a block)."""
    return tag.name in INLINE_TAGS and all(
        not isinstance(child, Tag) or _is_inline(child) or child.name in SKIP_TAGS for child in tag.children
    )


def _segment(nodes: Sequence[PageElement]) -> Segment:
    segment: Segment = []
    for node in nodes:
        if type(node) is NavigableString:
            segment.extend(protect_text(str(node)))
        elif isinstance(node, Tag) and node.contents and _may_translate_inside(node):
            pair = id(node)
            segment.append(Marker("open", f"<{node.name}>", pair=pair, payload=node))
            segment.extend(_segment(list(node.children)))
            segment.append(Marker("close", f"</{node.name}>", pair=pair, payload=node))
        else:  # comments, images, line breaks, code, translate="no": carried whole
            segment.append(Marker("empty", str(node), payload=node))
    return segment


def _may_translate_inside(tag: Tag) -> bool:
    if tag.name in SKIP_TAGS or "notranslate" in tag.get_attribute_list("class"):
        return False
    flag = tag.get("translate")
    return not (isinstance(flag, str) and flag.strip().lower() == "no")


class _TranslatedRun(NavigableString):
    """A run's translation, already written as HTML (escaped text, the original inline tags around it)."""

    def output_ready(self, formatter: object = "minimal") -> str:
        return str(self)


def _replace(run: _Run, result: SegmentResult) -> None:
    """Put the translated run in place of the original nodes, rebuilding inline tags around their words.

    The run becomes one node holding its HTML, and the originals leave by known positions: inserting and
    extracting node by node costs a scan of the siblings each (4,000 side-by-side nodes: seconds).
    """
    parts: list[str] = []
    for piece in result.pieces:
        if is_text(piece):
            parts.append(html.escape(render([piece]), quote=False))
            continue
        assert isinstance(piece, Marker)  # is_text let every string through
        if piece.kind == "open":
            parts.append(_start_tag(piece.payload))
        elif piece.kind == "close":
            parts.append(f"</{piece.payload.name}>")
        else:
            parts.append(_outer_html(piece.payload))
    first = run.nodes[0]
    parent = first.parent
    assert parent is not None  # a run is made of children
    start = parent.index(first)
    parent.insert(start, _TranslatedRun("".join(parts)))
    for offset in range(len(run.nodes) - 1, -1, -1):  # from the end: earlier positions stay valid
        run.nodes[offset].extract(_self_index=start + 1 + offset)


def _start_tag(tag: Tag) -> str:
    """``<b class="x">``: the tag as the page wrote it, without its content and end tag."""
    empty = copy.copy(tag)
    empty.clear()
    written = empty.decode()
    return written[: written.rindex("</")] if written.endswith(f"</{tag.name}>") else written


def _outer_html(node: PageElement) -> str:
    """An element carried whole (an image, a line break, code, a comment) as the page wrote it."""
    if isinstance(node, Tag):
        return node.decode()
    if isinstance(node, NavigableString):
        return node.output_ready("minimal")
    return str(node)
