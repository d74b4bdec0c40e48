"""Translate HTML fragments in place: only text nodes change, every tag and attribute stays as it was.

Text nodes are collected from all fragments of a request and translated in one
call through ``translate_texts``. Nodes are left alone inside script, style,
code-like elements, under ``translate="no"`` (the nearest ``translate``
attribute decides, as in HTML) and under class ``notranslate``.
"""

from __future__ import annotations

from collections.abc import Sequence

from bs4 import BeautifulSoup, NavigableString, Tag

from translator.pipeline import Translator
from translator.texts import translate_texts

SKIP_TAGS = frozenset(
    {"script", "style", "code", "pre", "kbd", "samp", "var", "noscript", "template", "textarea", "svg", "math"}
)


def translate_html(translator: Translator, fragments: Sequence[str], source: str, target: str) -> list[str]:
    """Each HTML fragment (or page) with its translatable text nodes translated."""
    soups = [BeautifulSoup(fragment, "html.parser") for fragment in fragments]
    nodes = [node for soup in soups for node in translatable_nodes(soup)]
    translated = translate_texts(translator, [str(node) for node in nodes], source, target)
    for node, text in zip(nodes, translated, strict=True):
        if text != str(node):
            node.replace_with(NavigableString(text))
    return [str(soup) for soup in soups]


def translatable_nodes(soup: BeautifulSoup) -> list[NavigableString]:
    """Plain text nodes with a letter in them that the markup allows to translate."""
    found = []
    for node in soup.find_all(string=True):
        # Comments, doctypes, CDATA and script/style strings are NavigableString subclasses: skipped.
        if type(node) is NavigableString and any(c.isalpha() for c in node) and _may_translate(node):
            found.append(node)
    return found


def _may_translate(node: NavigableString) -> bool:
    decided: bool | None = None
    for parent in node.parents:
        if not isinstance(parent, Tag) or isinstance(parent, BeautifulSoup):
            continue
        if parent.name in SKIP_TAGS or "notranslate" in parent.get_attribute_list("class"):
            return False
        flag = parent.get("translate")
        if decided is None and isinstance(flag, str):
            decided = flag.strip().lower() != "no"
    return decided is not False
