"""Hostile and large HTML: seconds per input, before (issue 12) and now, on growing sizes.

Before = the code as it was: no check, a ``find()`` per block element (each walks to the deepest
descendant), a walk over the parents per text node, and ``replace_with`` per translated node (a scan
of the siblings each). Now = ``sources.read_article`` (trafilatura) / ``translate_html`` as shipped: ``check_html``
first (refuses nesting past MAX_DEPTH and runaway unterminated markup), then one walk. Translation
itself is replaced by upper-casing (the model is not what is measured). Paths take turns.
Usage: python bench/html_depth.py [--repeat N] [--quick]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SEED, median, report, timed_rounds


def before_html_to_markdown(html: str) -> str:
    """The leaf-block extraction as it was (output formatting left out: it is the same now)."""
    from bs4 import BeautifulSoup, Tag

    from bench.baseline_html import BLOCK_TAGS, DROP_TAGS

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    root = soup.find("article") or soup.body or soup
    texts = []
    for element in root.find_all(BLOCK_TAGS) if isinstance(root, Tag) else []:
        if element.find(BLOCK_TAGS):
            continue
        texts.append(" ".join(element.get_text("").split()))
    return "\n\n".join(texts)


def before_translate_html(fragments: Sequence[str]) -> list[str]:
    """The in-place translation as it was: parents walked per node, each node replaced in the tree."""
    from bs4 import BeautifulSoup, NavigableString, Tag

    from translator.html_translate import SKIP_TAGS

    def may_translate(node: Any) -> bool:
        decided = None
        for parent in node.parents:
            if not isinstance(parent, Tag) or isinstance(parent, BeautifulSoup):
                continue
            if parent.name in SKIP_TAGS or "notranslate" in parent.get_attribute_list("class"):
                return False
            flag = parent.get("translate")
            if decided is None and isinstance(flag, str):
                decided = flag.strip().lower() != "no"
        return decided is not False

    soups = [BeautifulSoup(fragment, "html.parser") for fragment in fragments]
    nodes = [
        node
        for soup in soups
        for node in soup.find_all(string=True)
        if type(node) is NavigableString and any(c.isalpha() for c in node) and may_translate(node)
    ]
    for node in nodes:
        node.replace_with(NavigableString(node.upper()))
    return [str(soup) for soup in soups]


def now_translate_html(fragments: Sequence[str]) -> list[str]:
    """Parsed, cut into segments and written back; source and target alike, so no model is involved."""
    import translator.html_translate as module

    return module.translate_html(None, fragments, "de", "de")  # type: ignore[arg-type]


def refused_or_done(work: Callable[[], object]) -> Callable[[], object]:
    """Now, hostile input ends in an InputError: that is the outcome timed."""
    from translator.errors import InputError

    def run() -> object:
        try:
            return work()
        except InputError as error:
            return error

    return run


def article_page(size: int) -> str:
    """A realistic, shallow article page of about ``size`` characters (the seed's paragraphs, repeated)."""
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    parts = ["<html><head><title>Alibaba</title></head><body><nav><a href=/>Start</a></nav><article>"]
    while sum(map(len, parts)) < size:
        parts.extend(f'<div class="block"><p>{p}</p></div>' for p in paragraphs)
    return "".join(parts) + "</article></body></html>"


Case = tuple[str, str, int, Callable[[], object], Callable[[], object]]


def cases(quick: bool) -> list[Case]:
    """(path, input, characters, before, now) for every input size."""
    from translator.sources import read_article

    def document(label: str, html: str) -> Case:
        now = refused_or_done(lambda: read_article(html, fmt="html"))
        return ("document", label, len(html), lambda: before_html_to_markdown(html), now)

    def translate(label: str, html: str) -> Case:
        before, now = (lambda: before_translate_html([html])), (lambda: now_translate_html([html]))
        return ("/translate", label, len(html), before, now)

    nested = (1_000, 2_000, 4_000) if quick else (1_000, 2_000, 4_000, 8_000, 16_000)
    unterminated = (2_000, 4_000) if quick else (2_000, 4_000, 8_000, 16_000)
    siblings = (1_000, 2_000) if quick else (1_000, 2_000, 4_000)
    pages = (100_000, 200_000) if quick else (100_000, 200_000, 400_000, 800_000)
    return [
        *(document(f"<div> nested {n:,} deep", "<div>" * n + "<p>Hallo Welt.</p>") for n in nested),
        *(document(f"{n:,} unterminated <!--", "<p>Hallo Welt.</p>" + "<!--" * n) for n in unterminated),
        *(translate(f"{n:,} text nodes side by side", "<p>" + "Wort<br>" * n + "</p>") for n in siblings),
        *(document("article page (shallow)", article_page(size)) for size in pages),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each path per input (medians)")
    parser.add_argument("--quick", action="store_true", help="the smaller sizes only")
    options = parser.parse_args(argv)
    rows = []
    print(f"{'path':<11} {'input':<32} {'chars':>9} {'before s':>9} {'now s':>8} {'before/now':>10}")
    for path, label, chars, before, now in cases(options.quick):
        runs = timed_rounds({"before": before, "now": now}, options.repeat)
        b, n = median(runs["before"]), median(runs["now"])
        rows.append({"path": path, "input": label, "chars": chars, "before_s": round(b, 4), "now_s": round(n, 4)})
        print(f"{path:<11} {label:<32} {chars:>9,} {b:>9.3f} {n:>8.3f} {b / n:>10.1f}", flush=True)
    report("html_depth", {"rows": rows})


if __name__ == "__main__":
    main()
