"""Input formats: plain text and Markdown go straight to the segmenter; HTML is reduced to Markdown first.

HTML is parsed with BeautifulSoup (stdlib parser backend): scripts, styles and
navigation are dropped, block elements become Markdown blocks in document
order, so the same segmenter classifies every format.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from translator.errors import InputError
from translator.htmlguard import check_html
from translator.textio import decode_article

if TYPE_CHECKING:
    from bs4 import Tag

FORMATS = ("text", "markdown", "html")
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "nav", "form", "button", "head")
BLOCK_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "figcaption", "address",
              "td", "th", "dt", "dd", "div", "section", "header", "footer", "aside", "summary")  # fmt: skip
SUFFIX_FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                  ".html": "html", ".htm": "html"}  # fmt: skip
ARTICLE_SUFFIXES = tuple(SUFFIX_FORMATS)  # every suffix an upload, a named file or a folder walk accepts


def format_for(name: str) -> str:
    """The input format implied by a file name; unknown suffixes are refused."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIX_FORMATS:
        raise InputError(f"{name}: unsupported file type {suffix or '(none)'}; use {', '.join(ARTICLE_SUFFIXES)}.")
    return SUFFIX_FORMATS[suffix]


def to_article_text(text: str, fmt: str = "text") -> str:
    """Text the segmenter understands (plain text or Markdown) from text, Markdown or HTML."""
    if fmt not in FORMATS:
        raise InputError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    return html_to_markdown(text) if fmt == "html" else text


def load_article(data: bytes, name: str) -> str:
    """Decode an uploaded or read file and convert it to article text by its suffix."""
    fmt = format_for(name)
    text = to_article_text(decode_article(data, name), fmt)
    if not text.strip():
        raise InputError(f"{name} contains no article text.")
    return text


def html_to_markdown(html: str) -> str:
    """Leaf block elements in document order, as Markdown lines separated by blank lines.

    Checked by check_html first, and walked once: the work grows with the page, not with its nesting.
    """
    from bs4 import BeautifulSoup, Tag  # imported on first use: a server that never sees HTML saves ~5 MB

    check_html(html)
    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in _outermost(soup, DROP_TAGS):
        tag.decompose()
    root = soup.find("article") or soup.body or soup
    blocks: list[str] = []
    for element in _leaf_blocks(root) if isinstance(root, Tag) else []:
        text = " ".join(element.get_text("").split())
        if not text:
            continue
        name = element.name
        if name[0] == "h" and name[1:].isdigit():
            blocks.append("#" * int(name[1]) + " " + text)
        elif name == "li":
            blocks.append("- " + text)
        elif name == "blockquote":
            blocks.append("> " + text)
        else:
            blocks.append(text)
    if not blocks and isinstance(root, Tag):
        text = root.get_text("\n", strip=True)
        blocks = [line for line in text.splitlines() if line.strip()]
    if title and not any(b.startswith("# ") for b in blocks):
        blocks.insert(0, "# " + title)
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def _outermost(root: Tag, names: tuple[str, ...]) -> list[Tag]:
    """Elements named ``names`` that are not inside another one, in document order (their subtrees are skipped)."""
    found: list[Tag] = []
    stack = _child_tags(root)
    while stack:
        tag = stack.pop()
        if tag.name in names:
            found.append(tag)
        else:
            stack.extend(_child_tags(tag))
    return found


def _leaf_blocks(root: Tag) -> list[Tag]:
    """Block elements under ``root`` with no block element inside, in document order.

    A container's text comes from its children. One walk that remembers each
    block's nearest block ancestor: a find() per element walked every subtree again.
    """
    blocks: list[Tag] = []
    containers: set[int] = set()
    stack: list[tuple[Tag, Tag | None]] = [(child, None) for child in _child_tags(root)]
    while stack:
        tag, enclosing = stack.pop()
        if tag.name in BLOCK_TAGS:
            blocks.append(tag)
            if enclosing is not None:
                containers.add(id(enclosing))
            enclosing = tag
        stack.extend((child, enclosing) for child in _child_tags(tag))
    return [block for block in blocks if id(block) not in containers]


def _child_tags(tag: Tag) -> list[Tag]:
    """Child elements last to first, so that popping them from a stack visits them in document order."""
    return [cast("Tag", child) for child in reversed(tag.contents) if getattr(child, "name", None)]  # strings: None
