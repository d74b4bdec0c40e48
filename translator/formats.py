"""Input formats: plain text and Markdown go straight to the segmenter; HTML is reduced to Markdown first.

HTML is parsed with BeautifulSoup (stdlib parser backend): scripts, styles and
navigation are dropped, block elements become Markdown blocks in document
order, so the same segmenter classifies every format.
"""

from __future__ import annotations

from pathlib import Path

from translator.errors import InputError
from translator.textio import decode_article

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
    """Leaf block elements in document order, as Markdown lines separated by blank lines."""
    from bs4 import BeautifulSoup, Tag  # imported on first use: a server that never sees HTML saves ~5 MB

    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    root = soup.find("article") or soup.body or soup
    blocks: list[str] = []
    for element in root.find_all(BLOCK_TAGS) if isinstance(root, Tag) else []:
        if element.find(BLOCK_TAGS):
            continue  # only leaves: a container's text comes from its children
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
