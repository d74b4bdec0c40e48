"""Plain text, Markdown and HTML files for ``/translate_file`` (LibreTranslate accepts .txt and .html).

Text keeps its lines and whitespace (sentences are translated line by line,
protected spans restored); an HTML page keeps its own markup, block by block
with inline tags as markers (``translator.html_translate``).
"""

from __future__ import annotations

from collections.abc import Sequence

from translator.files.base import Job, decode_text
from translator.inline import SegmentResult, protect_text


def load_text(data: bytes, name: str) -> Job:
    text = decode_text(data, name)

    def build(results: Sequence[SegmentResult], target: str) -> bytes:
        return results[0].text.encode("utf-8")

    return Job([protect_text(text)], build)


def load_html(data: bytes, name: str) -> Job:
    from translator.html_translate import HtmlPage  # BeautifulSoup, only once HTML is asked for

    page = HtmlPage(decode_text(data, name))

    def build(results: Sequence[SegmentResult], target: str) -> bytes:
        return page.write(results).encode("utf-8")

    return Job(page.segments, build)
