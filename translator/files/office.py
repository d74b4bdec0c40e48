"""Office documents and e-books translated in place: .docx, .pptx, .odt, .odp, .epub.

The zip+XML route (as argos-translate-files takes), not python-docx/python-pptx/
odfpy/ebooklib: those load a document into objects and write every part again in
their own serialisation, and each covers one format. Here only the XML parts that
hold text are parsed and rewritten; every other member (images, fonts, styles,
settings) is copied byte for byte, in the same order and compression.

Each paragraph is one segment. In OOXML the runs of a paragraph carry the
formatting: the most common run format is the paragraph's base, every stretch in
another format (bold, italic, a hyperlink) becomes a pair of markers around its
words, and runs without text (images, tabs, breaks, fields, footnote marks) travel
as single markers. After translation the runs are rebuilt with those formats on
the words the markers enclose. ODF and XHTML are mixed content: spans and links
are the pairs.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch

from lxml import etree

from translator.errors import InputError
from translator.files.base import Job
from translator.files.safety import open_zip, parse_xml, read_member
from translator.files.xmltext import fill, local_name, segment_of
from translator.inline import Marker, Segment, SegmentResult, is_text, protect_text, render

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
XHTML = "http://www.w3.org/1999/xhtml"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
PARAGRAPH_PROPERTIES = ("pPr", "endParaRPr")  # first and last child of a paragraph, never moved


@dataclass(frozen=True)
class RunModel:
    """Element names of one OOXML vocabulary."""

    ns: str
    paragraph: str
    run: str
    properties: str
    text: str
    containers: tuple[str, ...]  # wrap runs and keep their own attributes (hyperlinks)
    dropped: tuple[str, ...]  # markup meaningless after translation (spelling marks)


WORD = RunModel(W, "p", "r", "rPr", "t", ("hyperlink", "smartTag"), ("proofErr", "lastRenderedPageBreak"))
DRAWING = RunModel(A, "p", "r", "rPr", "t", (), ())
XHTML_BLOCKS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "figcaption", "caption", "blockquote",
    "title",
}  # fmt: skip
XHTML_INLINE = {"a", "abbr", "b", "cite", "em", "i", "q", "s", "small", "span", "strong", "sub", "sup", "u", "mark"}


@dataclass(frozen=True)
class Format:
    kind: str
    parts: tuple[str, ...]  # glob patterns of the members holding text
    required: str
    paragraphs: Callable[[etree._Element], list[tuple[Segment, Callable[[SegmentResult], None]]]]


def load(data: bytes, name: str) -> Job:
    suffix = "." + name.lower().rsplit(".", 1)[-1]
    spec = FORMATS[suffix]
    archive = open_zip(data, name, spec.kind)
    names = archive.namelist()
    if spec.required not in names:
        raise InputError(f"{name} is not a valid {spec.kind} file ({spec.required} is missing).")
    _refuse_encrypted_odf(archive, name)
    trees: dict[str, etree._ElementTree] = {}
    writers: list[Callable[[SegmentResult], None]] = []
    segments: list[Segment] = []
    for member in names:
        if any(fnmatch(member, pattern) for pattern in spec.parts):
            tree = parse_xml(read_member(archive, member), f"{name}:{member}")
            trees[member] = tree
            for segment, writer in spec.paragraphs(tree.getroot()):
                segments.append(segment)
                writers.append(writer)

    def build(results: Sequence[SegmentResult], target: str) -> bytes:
        # Last first: a text box's paragraphs are written before the paragraph whose run holds the text box.
        for writer, result in reversed(list(zip(writers, results, strict=True))):
            writer(result)
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as rebuilt:
            for info in archive.infolist():
                if info.filename in trees:
                    xml = etree.tostring(trees[info.filename], xml_declaration=True, encoding="UTF-8", standalone=True)
                    rebuilt.writestr(info, xml)
                else:
                    rebuilt.writestr(info, read_member(archive, info.filename))
        return output.getvalue()

    return Job(segments, build)


def _refuse_encrypted_odf(archive: zipfile.ZipFile, name: str) -> None:
    if "META-INF/manifest.xml" in archive.namelist():
        manifest = read_member(archive, "META-INF/manifest.xml")
        if b"encryption-data" in manifest:
            raise InputError(f"{name} is password-protected; save it without a password and try again.")


# --- OOXML: runs ---------------------------------------------------------------------------------------------


def ooxml_paragraphs(
    model: RunModel,
) -> Callable[[etree._Element], list[tuple[Segment, Callable[[SegmentResult], None]]]]:
    def paragraphs(root: etree._Element) -> list[tuple[Segment, Callable[[SegmentResult], None]]]:
        found = []
        for paragraph in root.iter(f"{{{model.ns}}}{model.paragraph}"):
            runs = [r for r in paragraph.iter(f"{{{model.ns}}}{model.run}") if _owner(r, model) is paragraph]
            if not any((t.text or "").strip() for r in runs for t in r.iter(f"{{{model.ns}}}{model.text}")):
                continue
            segment = _run_segment(paragraph, model)
            found.append((segment, _run_writer(paragraph, model)))
        return found

    return paragraphs


def _owner(element: etree._Element, model: RunModel) -> etree._Element | None:
    """The nearest enclosing paragraph (text boxes hold paragraphs inside runs)."""
    for ancestor in element.iterancestors(f"{{{model.ns}}}{model.paragraph}"):
        return ancestor
    return None


def _properties_key(run: etree._Element, model: RunModel) -> bytes:
    props = run.find(f"{{{model.ns}}}{model.properties}")
    return etree.tostring(props, method="c14n") if props is not None else b""


def _base_format(paragraph: etree._Element, model: RunModel) -> tuple[bytes, etree._Element | None]:
    """The run format covering most of the paragraph's text (its key and properties): it needs no markers."""
    weights: dict[bytes, tuple[int, etree._Element | None]] = {}
    for run in paragraph.iter(f"{{{model.ns}}}{model.run}"):
        if _owner(run, model) is not paragraph:
            continue
        key = _properties_key(run, model)
        length = sum(len(t.text or "") for t in run.iter(f"{{{model.ns}}}{model.text}"))
        previous = weights.get(key, (0, None))
        weights[key] = (previous[0] + length, run.find(f"{{{model.ns}}}{model.properties}"))
    if not weights:
        return b"", None
    key = max(weights, key=lambda candidate: weights[candidate][0])
    return key, weights[key][1]


def _run_segment(paragraph: etree._Element, model: RunModel) -> Segment:
    """Text of the paragraph's runs; stretches in a non-base format inside a pair of markers."""
    segment: Segment = []
    open_format: list[Marker | None] = [None]
    _walk(paragraph, model, _base_format(paragraph, model)[0], segment, open_format)
    _close_format(segment, open_format)
    return segment


def _walk(
    element: etree._Element, model: RunModel, base: bytes, segment: Segment, open_format: list[Marker | None]
) -> None:
    for child in element:
        name = local_name(child)
        if name in PARAGRAPH_PROPERTIES or name == model.properties:
            continue  # stays where the schema wants it (first / last), see _run_writer
        if not isinstance(child.tag, str) or etree.QName(child).namespace != model.ns:
            _close_format(segment, open_format)  # comments, other vocabularies: travel whole
            segment.append(Marker("empty", name, payload=child))
            continue
        if name in model.dropped:
            continue
        if name in model.containers:
            _close_format(segment, open_format)
            pair = id(child)
            segment.append(Marker("open", f"<{name}>", pair=pair, payload=("container", child)))
            _walk(child, model, base, segment, open_format)
            _close_format(segment, open_format)
            segment.append(Marker("close", f"</{name}>", pair=pair, payload=("container", child)))
        elif name == model.run:
            _run_pieces(child, model, base, segment, open_format)
        else:  # bookmarks, fields and anything else positional
            _close_format(segment, open_format)
            segment.append(Marker("empty", name, payload=child))


def _run_pieces(
    run: etree._Element, model: RunModel, base: bytes, segment: Segment, open_format: list[Marker | None]
) -> None:
    key = _properties_key(run, model)
    props = run.find(f"{{{model.ns}}}{model.properties}")
    for part in run:
        name = local_name(part)
        if name == model.properties:
            continue
        if name == model.text and part.text:
            current = open_format[0]
            if key != base and (current is None or current.payload[2] != key):
                _close_format(segment, open_format)
                opening = Marker("open", "<format>", pair=len(segment) + 1, payload=("format", props, key))
                segment.append(opening)
                open_format[0] = opening
            elif key == base:
                _close_format(segment, open_format)
            segment.extend(protect_text(part.text))
        elif name != model.text:
            _close_format(segment, open_format)
            segment.append(Marker("empty", name, payload=("part", run, part)))


def _close_format(segment: Segment, open_format: list[Marker | None]) -> None:
    opening = open_format[0]
    if opening is not None:
        segment.append(Marker("close", "</format>", pair=opening.pair, payload=opening.payload))
        open_format[0] = None


def _copy(element: etree._Element) -> etree._Element:
    duplicate = copy.deepcopy(element)
    duplicate.tail = None
    return duplicate


def _run_writer(paragraph: etree._Element, model: RunModel) -> Callable[[SegmentResult], None]:
    base_run = next(paragraph.iter(f"{{{model.ns}}}{model.run}"), None)
    base_props = _base_format(paragraph, model)[1]
    run_attributes = dict(base_run.attrib) if base_run is not None else {}

    def write(result: SegmentResult) -> None:
        last = [child for child in paragraph if local_name(child) == "endParaRPr"]
        for child in list(paragraph):
            if local_name(child) != "pPr":
                paragraph.remove(child)
        containers = [paragraph]
        formats: list[etree._Element | None] = [base_props]
        pending: list[str] = []

        def flush() -> None:
            if not pending:
                return
            text = "".join(pending)
            pending.clear()
            run = etree.SubElement(containers[-1], f"{{{model.ns}}}{model.run}", attrib=run_attributes)
            if formats[-1] is not None:
                run.append(_copy(formats[-1]))
            node = etree.SubElement(run, f"{{{model.ns}}}{model.text}")
            node.text = text
            if model is WORD and text != text.strip():
                node.set(XML_SPACE, "preserve")

        for piece in result.pieces:
            if is_text(piece):
                pending.append(render([piece]))
                continue
            assert isinstance(piece, Marker)  # is_text let every string through
            flush()
            if piece.kind == "open" and piece.payload[0] == "container":
                original = piece.payload[1]
                containers.append(etree.SubElement(containers[-1], original.tag, attrib=dict(original.attrib)))
            elif piece.kind == "open":
                formats.append(piece.payload[1])
            elif piece.kind == "close" and piece.payload[0] == "container":
                containers.pop()
            elif piece.kind == "close":
                formats.pop()
            elif isinstance(piece.payload, tuple):  # a run's image, tab or break, alone in a run of its own
                _, original_run, part = piece.payload
                alone = etree.SubElement(containers[-1], original_run.tag, attrib=dict(original_run.attrib))
                props = original_run.find(f"{{{model.ns}}}{model.properties}")
                if props is not None:
                    alone.append(_copy(props))
                alone.append(_copy(part))
            else:
                containers[-1].append(_copy(piece.payload))
        flush()
        paragraph.extend(last)  # a:endParaRPr closes a DrawingML paragraph

    return write


# --- ODF and XHTML: mixed content ---------------------------------------------------------------------------


def mixed_paragraphs(
    ns: str, blocks: set[str], paired: set[str]
) -> Callable[[etree._Element], list[tuple[Segment, Callable[[SegmentResult], None]]]]:
    def paragraphs(root: etree._Element) -> list[tuple[Segment, Callable[[SegmentResult], None]]]:
        found = []
        for element in root.iter():
            if not isinstance(element.tag, str) or etree.QName(element).namespace != ns:
                continue
            if local_name(element) not in blocks or _has_block_inside(element, ns, blocks):
                continue
            if not "".join(element.itertext()).strip():
                continue
            found.append((segment_of(element, paired), _mixed_writer(element)))
        return found

    return paragraphs


def _has_block_inside(element: etree._Element, ns: str, blocks: set[str]) -> bool:
    return any(
        isinstance(child.tag, str) and etree.QName(child).namespace == ns and local_name(child) in blocks
        for child in element.iterdescendants()
    )


def _mixed_writer(element: etree._Element) -> Callable[[SegmentResult], None]:
    def write(result: SegmentResult) -> None:
        fill(element, result.pieces, move=True)

    return write


ODF_PARAGRAPHS = mixed_paragraphs(TEXT_NS, {"p", "h"}, {"span", "a"})
FORMATS = {
    ".docx": Format(
        ".docx",
        ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml", "word/comments.xml", "word/header*.xml",
         "word/footer*.xml"),
        "word/document.xml",
        ooxml_paragraphs(WORD),
    ),
    ".pptx": Format(
        ".pptx", ("ppt/slides/slide*.xml", "ppt/notesSlides/notesSlide*.xml"), "ppt/presentation.xml",
        ooxml_paragraphs(DRAWING),
    ),
    ".odt": Format(".odt", ("content.xml", "styles.xml"), "content.xml", ODF_PARAGRAPHS),
    ".odp": Format(".odp", ("content.xml",), "content.xml", ODF_PARAGRAPHS),
    ".epub": Format(
        ".epub", ("*.xhtml", "*.html", "*.htm"), "META-INF/container.xml",
        mixed_paragraphs(XHTML, XHTML_BLOCKS, XHTML_INLINE),
    ),
}  # fmt: skip
