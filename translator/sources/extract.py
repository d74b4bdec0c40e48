"""A web page reduced to its article: trafilatura finds the main text, we map it onto our block kinds.

trafilatura (the reference extractor: boilerplate removal trained on real
pages, with readability and jusText as fallbacks) returns its XML format:
``<doc title= author= date= sitename= url=>`` with ``<main>`` (``head``, ``p``,
``quote``, ``list/item``, ``table/row/cell``) and ``<comments>``. That XML is
parsed with entities and network access off and written out as *structured
Markdown*, one block per blank-line-separated line, which
``translator.segment.parse_blocks`` reads without guessing when the metadata
says it is structured (``metadata["extractor"]``):

- ``# `` the title, ``## `` ... ``###### `` headings, ``> `` quotes, ``- `` list items;
- the subtitle (kicker) and the byline are the lines equal to ``metadata["subtitle"]`` / ``["byline"]``;
- a backslash starts a paragraph that would otherwise look like Markdown ("1. FC Köln ...");
- a ``---`` line: readers' comments follow.

On the 39 German test pages this keeps 100 % of the text that must be kept and
drops 99 % of the boilerplate (the rest: an author's name, which we put in the
byline on purpose); bench/extraction.py, bench/RESULTS.md. Readers' comments
count as content there; without them 95 % is kept.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from translator.errors import InputError

STRUCTURED_KEY = "extractor"
COMMENTS_RULE = "---"
NEEDS_ESCAPE = re.compile(r"^(?:[#>*+_`\\-]|\d+[.)])")
METADATA_FIELDS = ("title", "author", "date", "sitename", "url", "description")
MAX_METADATA_CHARS = 500


class NoArticleText(InputError):
    """The page holds no text an article could be made of (only markup, scripts, navigation)."""


def extract_html(html: str, comments: bool = True, max_elements: int = 15_000) -> tuple[str, dict[str, str]]:
    """(structured Markdown of the article, page metadata) from an HTML page; InputError when it has no text.

    Extraction costs about 0.25 ms per element and 0.6 ms per paragraph (bench/RESULTS.md), so a page
    of more than ``max_elements`` elements is refused rather than tying up a worker for minutes.
    Parsing is linear and capped in depth, so counting costs little.
    """
    import trafilatura

    tree = parse_html(html)
    elements = sum(1 for _ in tree.iter())
    if elements > max_elements:
        raise InputError(
            f"The page has {elements:,} HTML elements; pages above {max_elements:,} are not reduced to an "
            "article (TRANSLATOR_EXTRACT_MAX_ELEMENTS). Save the article's text instead."
        )
    language = _language(tree)
    options: dict[str, Any] = {
        "output_format": "xml", "include_formatting": True, "include_tables": True, "include_comments": comments,
        "include_links": False, "include_images": False, "with_metadata": True, "deduplicate": False,
    }  # fmt: skip
    xml = trafilatura.extract(copy.deepcopy(tree), **options)
    if not xml:  # a short page or a pasted fragment: below trafilatura's minimum article size
        xml = trafilatura.extract(tree, config=_short_config(), **options)
    if not xml:
        raise NoArticleText("The page contains no article text.")
    root = _parse_xml(xml)
    metadata = {name: _clean(root.get(name, ""))[:MAX_METADATA_CHARS] for name in METADATA_FIELDS}
    metadata["language"] = language
    metadata[STRUCTURED_KEY] = f"trafilatura {trafilatura.__version__}"
    text = _markdown(root, metadata)
    return text, {key: value for key, value in metadata.items() if value}


def parse_html(html: str) -> Any:
    """The page as an lxml tree: linear time, no network, comments and processing instructions dropped.

    libxml2 stops at 256 levels of nesting, so a page of millions of nested tags costs no more than
    its size, and nothing deeper reaches the extractor.
    """
    from lxml import etree
    from lxml.html import HTMLParser, document_fromstring

    parser = HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False,
                        no_network=True, default_doctype=False)  # fmt: skip
    try:
        return document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        raise NoArticleText("The page contains no article text.") from None


@cache
def _short_config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    for option in ("MIN_EXTRACTED_SIZE", "MIN_OUTPUT_SIZE", "MIN_EXTRACTED_COMM_SIZE", "MIN_OUTPUT_COMM_SIZE"):
        config.set("DEFAULT", option, "1")
    return config


def _parse_xml(xml: str) -> Any:
    """trafilatura's output, parsed like any untrusted XML: no entity expansion, no DTD, no network."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(xml.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        raise NoArticleText("The page could not be read as an article.") from None


def _language(tree: Any) -> str:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    if not lang:
        for meta in tree.iterfind(".//meta[@http-equiv]"):
            if str(meta.get("http-equiv", "")).lower() == "content-language":
                lang = meta.get("content", "")
                break
    lang = str(lang).strip().split(",")[0]
    return lang if re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", lang) else ""


def _clean(text: str) -> str:
    return " ".join(str(text).split())


NESTED = ("list", "table", "quote")


def _text(element: Any) -> str:
    """An element's own text (nested lists, tables and quotes are blocks of their own), line breaks as spaces."""
    parts: list[str] = []

    def visit(node: Any) -> None:
        parts.append(node.text or "")
        for child in node:
            if child.tag == "lb":
                parts.append(" ")
            elif child.tag not in NESTED:
                visit(child)
            parts.append(child.tail or "")

    visit(element)
    return _clean("".join(parts))


def _blocks(element: Any) -> Iterator[tuple[str, str]]:
    """(kind, text) for the blocks under element, in document order."""
    for child in element:
        yield from _block(child)


def _block(element: Any) -> Iterator[tuple[str, str]]:
    tag = element.tag
    if tag == "head":
        level = str(element.get("rend", "h2"))[1:]
        yield f"h{min(max(int(level) if level.isdigit() else 2, 1), 6)}", _text(element)
    elif tag == "list":
        for item in element.iterfind("item"):
            yield "item", _text(item)
            yield from _nested(item)
    elif tag == "quote":
        if any(child.tag in ("p", "list", "head") for child in element):
            yield from (("quote", text) for _, text in _blocks(element))
        else:
            yield "quote", _text(element)
    elif tag == "table":
        for row in element.iter("row"):
            yield "p", " | ".join(cell for cell in (_text(c) for c in row.iterfind("cell")) if cell)
    elif tag in ("graphic", "lb"):
        return
    elif tag in ("p", "code", "item", "cell", "hi", "ref", "del"):
        yield "p", _text(element)
        yield from _nested(element)
    else:  # an unknown container: its own text, then its children
        if element.text and element.text.strip():
            yield "p", _clean(element.text)
        yield from _blocks(element)


def _nested(element: Any) -> Iterator[tuple[str, str]]:
    for child in element:
        if child.tag in NESTED:
            yield from _block(child)


def _markdown(root: Any, metadata: dict[str, str]) -> str:
    body = [(kind, text) for kind, text in _blocks(root.find("main")) if text] if root.find("main") is not None else []
    title = _without_site(metadata.get("title", ""), metadata.get("sitename", ""))
    if body and body[0][0] in ("h1", "h2") and (not title or body[0][1] == title):
        title = body.pop(0)[1]
    lines: list[str] = []
    if title:
        metadata["title"] = title
        lines.append("# " + title)
    body_text = " ".join(text for _, text in body)
    description = metadata.get("description", "")
    if description and not description.endswith(("...", "…")) and description[:60] not in body_text and body:
        metadata["subtitle"] = description
        lines.append(_escaped(description))
    byline = " · ".join(part for part in (metadata.get("author", ""), metadata.get("date", "")) if part)
    if byline and body:
        metadata["byline"] = byline
        lines.append(_escaped(byline))
    for kind, text in body:
        lines.append(_line(kind, text))
    comments = root.find("comments")
    comment_lines = [_escaped(text) for _, text in _blocks(comments) if text] if comments is not None else []
    if comment_lines and body:
        lines += [COMMENTS_RULE, *comment_lines]
    if not body:
        raise NoArticleText("The page contains no article text.")
    return "\n\n".join(lines) + "\n"


def _without_site(title: str, sitename: str) -> str:
    """'Headline - CNET.de' -> 'Headline': the site's name is metadata, not part of the headline."""
    for separator in (" - ", " | ", " – ", " — ", " · "):
        if sitename and title.lower().endswith((separator + sitename).lower()):
            return title[: -len(separator + sitename)].strip()
    return title


def _line(kind: str, text: str) -> str:
    if kind.startswith("h"):
        return "#" * max(int(kind[1]), 2) + " " + text
    if kind == "item":
        return "- " + text
    if kind == "quote":
        return "> " + text
    return _escaped(text)


def _escaped(text: str) -> str:
    return "\\" + text if NEEDS_ESCAPE.match(text) else text
