"""A cheap, linear check every HTML input passes before a parser builds a tree from it.

Two kinds of input made one request cost minutes (issue 12): elements nested
tens of thousands deep (per-element work that walks the nesting is quadratic
in it), and markup cut off by an unterminated comment, tag or declaration, on
which the standard library's HTMLParser (BeautifulSoup's "html.parser") rescans
the rest of the text once per "<" at the end of input (CPython gh-135462). The
scan tokenises with the same HTMLParser but only feeds it, never closes it, so
it stays linear; it counts nesting the way BeautifulSoup's tree builder does
(void elements and ``<x/>`` do not nest; an end tag closes up to the most
recent open element of its name and is ignored when none is open), and stops
at the first element past the limit.
"""

from __future__ import annotations

import functools
from collections import Counter
from html.parser import HTMLParser

from translator.errors import InputError

MAX_DEPTH = 1000  # real pages nest a few dozen deep; unclosed <p>/<li>/<td> nest once each in html.parser
MAX_TAIL_MARKUP = 20  # "<" after an unterminated construct: each one costs a rescan of the rest at end of input


@functools.cache
def void_elements() -> frozenset[str]:
    """Elements BeautifulSoup never nests anything in (``<br>``, ``<img>``...), by its own list."""
    from bs4.builder import HTMLTreeBuilder  # on first use, as everywhere: a server that never sees HTML saves ~5 MB

    return frozenset(HTMLTreeBuilder.DEFAULT_EMPTY_ELEMENT_TAGS or ())


class _TooDeep(Exception):
    pass


class _NestingScanner(HTMLParser):
    """Tracks the open elements as BeautifulSoup's html.parser builder would, without building anything."""

    def __init__(self, max_depth: int) -> None:
        super().__init__(convert_charrefs=False)  # as BeautifulSoup feeds it; text is never looked at
        self.max_depth = max_depth
        self.void = void_elements()
        self.stack: list[str] = []
        self.open_counts: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.void:
            return
        self.stack.append(tag)
        self.open_counts[tag] += 1
        if len(self.stack) > self.max_depth:
            raise _TooDeep

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """``<x/>`` opens and closes at once."""

    def handle_endtag(self, tag: str) -> None:
        if not self.open_counts[tag]:
            return  # nothing of that name is open: BeautifulSoup ignores it too
        while True:  # each element is pushed once and popped once: linear overall
            closed = self.stack.pop()
            self.open_counts[closed] -= 1
            if closed == tag:
                return


def check_html(text: str, max_depth: int = MAX_DEPTH) -> None:
    """Raise InputError when ``text`` nests elements deeper than ``max_depth`` or ends in runaway markup.

    Call it before parsing any HTML a user sent: its cost grows linearly with the
    text and it stops at the first element past the limit.
    """
    scanner = _NestingScanner(max_depth)
    try:
        scanner.feed(text)
    except _TooDeep:
        line, column = scanner.getpos()
        raise InputError(
            f"The HTML nests elements more than {max_depth:,} deep (line {line}, column {column + 1}); "
            "no article needs that. Close the open elements or send the page's article text."
        ) from None
    except AssertionError as error:  # _markupbase's way of refusing a malformed declaration such as "<![x"
        line, column = scanner.getpos()
        raise InputError(f"The HTML cannot be read at line {line}, column {column + 1}: {error}.") from None
    tail = scanner.rawdata  # what feed() left unparsed: an unterminated comment, tag or declaration onwards
    if tail.count("<") > MAX_TAIL_MARKUP:
        line, column = scanner.getpos()
        raise InputError(
            f"The HTML has an unterminated comment, tag or declaration at line {line}, column {column + 1} "
            f"({tail[:30]!r}…) with more markup after it; close it or remove it."
        )
