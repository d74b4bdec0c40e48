"""The HTML reader before article extraction (translator/formats.py at 44e8159), frozen as the baseline.

Leaf block elements of ``<article>`` or ``<body>`` as Markdown lines, after
dropping scripts, styles and navigation. Only bench/extraction.py uses it, to
score the old path next to the new one on the same pages.
"""

from __future__ import annotations

DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "nav", "form", "button", "head")
BLOCK_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "figcaption", "address",
              "td", "th", "dt", "dd", "div", "section", "header", "footer", "aside", "summary")  # fmt: skip


def load_article_old(data: bytes) -> str:
    """The old ``load_article`` for an .html file: strict UTF-8, then leaf blocks as Markdown."""
    return html_to_markdown(data.decode("utf-8-sig"))


def html_to_markdown(html: str) -> str:
    """Leaf block elements in document order, as Markdown lines separated by blank lines."""
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    root = soup.find("article") or soup.body or soup
    blocks: list[str] = []
    for element in root.find_all(BLOCK_TAGS) if isinstance(root, Tag) else []:
        if element.find(BLOCK_TAGS):
            continue
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
