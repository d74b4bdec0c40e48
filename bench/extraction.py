"""Article extraction quality: text kept and boilerplate excluded on saved German web pages.

Each page comes with strings the article must contain and boilerplate it must
not (tests/fixtures/web/cases.json, from trafilatura's real-world tests). The
score is taken on the block sources of the document as the project builds it:
``translator.sources.read_article`` (what the web form, the API, ``translate``
and ``batch`` all call) followed by ``translator.segment.parse_blocks`` (the
first step of ``Translator.translate_document``), whitespace collapsed.

Paths scored side by side:
- old: the reader before extraction (bench/baseline_html.py: strict UTF-8, leaf blocks, guessed kinds);
- new: the project's reader today;
- with --alternatives, two other extractors as bare library calls, for the choice of extractor:
  jusText (German stoplist) and readability (trafilatura's port of readability-lxml).

With --huge: the time to read hostile and huge generated pages (bounded work per input).

Usage: .venv/bin/python bench/extraction.py [--pages DIR] [--show] [--alternatives] [--huge]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.baseline_html import load_article_old
from bench.common import FIXTURES
from translator.errors import InputError
from translator.segment import parse_blocks
from translator.sources import read_article

PAGES = FIXTURES / "web"
COUNTED_PAGES = ("brigitte.de.ikigai.html", "adac.de.kindersitze.html")


@dataclass
class Score:
    kept: int = 0
    must: int = 0
    excluded: int = 0
    must_not: int = 0
    seconds: float = 0.0
    blocks: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        counts = ", ".join(f"{page.split('.')[0]} {count} blocks" for page, count in self.blocks.items())
        return (
            f"{name:<12} kept {self.kept}/{self.must} = {100 * self.kept / self.must:5.1f} %   "
            f"excluded {self.excluded}/{self.must_not} = {100 * self.excluded / self.must_not:5.1f} %   "
            f"{1000 * self.seconds:.0f} ms/page   {counts}"
        )


def normalise(text: str) -> str:
    return " ".join(text.split())


def new_path(data: bytes, name: str) -> list[str]:
    article = read_article(data, name)
    return [block.source for block in parse_blocks(article.text, metadata=article.metadata)]


def old_path(data: bytes, name: str) -> list[str]:
    return [block.source for block in parse_blocks(load_article_old(data))]


def justext_path(data: bytes, name: str) -> list[str]:
    import justext

    return [p.text for p in justext.justext(data, justext.get_stoplist("German")) if not p.is_boilerplate]


def readability_path(data: bytes, name: str) -> list[str]:
    from lxml.html import fromstring
    from trafilatura.readability_lxml import Document as Readability

    from translator.sources.extract import parse_html
    from translator.sources.sniff import decode_html

    summary = Readability(parse_html(decode_html(data))).summary()
    return [fromstring(summary).text_content()] if summary else []


def score(path: Callable[[bytes, str], list[str]], pages: Path, cases: dict[str, dict[str, list[str]]]) -> Score:
    result = Score()
    for name, case in cases.items():
        data = (pages / "pages" / name).read_bytes()
        started = time.perf_counter()
        try:
            blocks = path(data, name)
        except (InputError, UnicodeDecodeError):
            blocks = []
        result.seconds += time.perf_counter() - started
        text = normalise(" ".join(blocks))
        if name in COUNTED_PAGES:
            result.blocks[name] = len(blocks)
        for must in case["must"]:
            result.must += 1
            if normalise(must) in text:
                result.kept += 1
            else:
                result.misses.append(f"{name}: lost {must!r}")
        for must_not in case["must_not"]:
            result.must_not += 1
            if normalise(must_not) in text:
                result.misses.append(f"{name}: kept boilerplate {must_not!r}")
            else:
                result.excluded += 1
    result.seconds /= len(cases)
    result.blocks = result.blocks or {}
    return result


HUGE_PAGES = {
    "5 MB of nested divs": lambda: "<html><body>" + "<div>Text " * 500_000 + "</body></html>",
    "100,000 paragraphs": lambda: "<html><body>" + "<p>Ein Satz im Absatz, der etwas Text enthält.</p>" * 100_000,
    "14,990 paragraphs (under the element cap)": lambda: (
        "<html><body>" + "<p>Ein Satz im Absatz, der etwas Text enthält.</p>" * 14_990
    ),
    "14,990 empty spans": lambda: (
        "<html><body><p>Ein Satz im Absatz, der etwas Text enthält und lang genug ist.</p>" + "<span></span>" * 14_990
    ),
}


def huge_pages() -> None:
    """Time read_article on generated pages (after a warm-up, so imports are not counted)."""
    read_article(b"<html><body><p>Ein kurzer Satz zum Aufwaermen.</p></body></html>", "warm.html")
    for label, make in HUGE_PAGES.items():
        page = make().encode("utf-8")
        started = time.perf_counter()
        try:
            outcome = f"extracted, {len(read_article(page, 'page.html').text):,} characters"
        except InputError as error:
            outcome = f"refused: {str(error)[:70]}"
        print(f"{label:<45} {len(page) / 1e6:5.2f} MB  {time.perf_counter() - started:6.2f} s  {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, default=PAGES, help="Folder with cases.json and pages/.")
    parser.add_argument("--show", action="store_true", help="List every lost string and kept boilerplate.")
    parser.add_argument("--alternatives", action="store_true", help="Also score jusText and readability.")
    parser.add_argument("--huge", action="store_true", help="Also time hostile and huge generated pages.")
    args = parser.parse_args()
    if args.huge:
        huge_pages()
    cases = json.loads((args.pages / "cases.json").read_text(encoding="utf-8"))
    paths: dict[str, Callable[[bytes, str], list[str]]] = {"old": old_path, "new": new_path}
    if args.alternatives:
        paths.update({"justext": justext_path, "readability": readability_path})
    print(f"{len(cases)} pages, {sum(len(c['must']) for c in cases.values())} must strings, "
          f"{sum(len(c['must_not']) for c in cases.values())} must-not strings ({args.pages})")  # fmt: skip
    results: dict[str, dict[str, float]] = {}
    for name, path in paths.items():
        result = score(path, args.pages, cases)
        print(result.line(name))
        if args.show:
            print("\n".join("    " + miss for miss in result.misses))
        results[name] = {
            "kept": round(result.kept / result.must, 4),
            "excluded": round(result.excluded / result.must_not, 4),
            "ms_per_page": round(1000 * result.seconds, 1),
        }
    print(json.dumps({"benchmark": "extraction", "pages": len(cases), "results": results}))


if __name__ == "__main__":
    main()
