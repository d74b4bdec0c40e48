"""Hostile HTML (issue 12, item 1): nesting and unterminated markup are refused before parsing, work stays linear.

Every HTML path calls ``check_html`` first: the document API, /translate with
format=html, the web form (pasted or uploaded) and the detection preview.
Timings are in bench/html_depth.py; here the work is bounded by counting it.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest
from bs4 import BeautifulSoup

from translator import html_translate
from translator.errors import InputError
from translator.htmlguard import MAX_DEPTH, check_html
from translator.sources import read_article

ATTACK = "<div>" * 30_000 + "<p>Hallo Welt.</p>"  # 150 KB: 45 s of one request thread before the fix
LEGAL = "<section>" * 200 + "<h1>Nachrichten</h1><p>Hallo Welt, hier ist ein Absatz.</p>" + "</section>" * 200


def executed_lines(work: Callable[[], object]) -> int:
    """Python lines run by ``work`` (bs4's included): a deterministic measure of work, unlike a clock."""
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        count += 1
        return trace

    sys.settrace(trace)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


def test_deep_nesting_is_refused_by_a_scan_that_stops_at_the_limit() -> None:
    with pytest.raises(InputError) as refused:
        check_html(ATTACK)
    message = str(refused.value)
    assert f"more than {MAX_DEPTH:,} deep" in message
    # The scan stopped at the first element past the limit (column of <div> number 1,001), not at the end.
    assert f"line 1, column {5 * MAX_DEPTH + 1}" in message
    check_html("<div>" * MAX_DEPTH + "<br><img src=x><p/>" + "</div>" * MAX_DEPTH)  # void and <x/> do not nest


def test_closing_tags_count_as_beautifulsoup_counts_them() -> None:
    check_html("<div></div>" * 50_000)  # siblings, not nesting
    with pytest.raises(InputError):  # an end tag of an element that is not open closes nothing
        check_html("<div></span>" * (MAX_DEPTH + 1))
    with pytest.raises(InputError):  # markup inside a comment is not markup
        check_html("<div><!-- </div> -->" * (MAX_DEPTH + 1))


@pytest.mark.parametrize(
    "html",
    ["<p>Hallo Welt.</p>" + "<!--" * 100, "<p>Hallo Welt.</p>" + "<a" * 100, "<p>Hallo Welt.</p>" + "</" * 100],
)
def test_runaway_unterminated_markup_is_refused(html: str) -> None:
    """CPython 3.11.7's HTMLParser rescans the rest once per "<" after an unterminated construct (quadratic)."""
    with pytest.raises(InputError, match="unterminated comment, tag or declaration at line 1, column 19"):
        check_html(html)
    check_html("<p>Hallo Welt.</p><!-- bis zum Ende")  # one unterminated comment at the end is harmless


def test_unreadable_declaration_is_input_error_not_a_crash() -> None:
    with pytest.raises(InputError, match="cannot be read"):
        read_article("<p>Hallo</p><![<![<![", fmt="html")


def nested_page(levels: int) -> str:
    """Each level holds a block and a text node: 400 levels are legal (under MAX_DEPTH)."""
    return "<div><p>Ein Satz.</p>" * levels + "</div>" * levels


def side_by_side_page(nodes: int) -> str:
    return "<p>" + "Wort<br>" * nodes + "</p>"


@pytest.mark.parametrize("page", [nested_page, side_by_side_page])
def test_translate_html_work_grows_linearly(page: Callable[[int], str]) -> None:
    """Before: each text node walked its parents, and each was replaced in the tree with a scan of its siblings.

    Source and target alike: the page is parsed, cut into segments and written back without a model.
    """

    def work(size: int) -> int:
        return executed_lines(lambda: html_translate.translate_html(None, [page(size)], "de", "de"))  # type: ignore[arg-type]

    small, large = work(400), work(800)
    assert large / small < 2.2, (small, large)  # linear: about 2


def test_reading_html_work_grows_linearly() -> None:
    """Before: a find() per element walked the depth each time; the check and the extraction walk once."""
    small = executed_lines(lambda: read_article(nested_page(400), fmt="html"))
    large = executed_lines(lambda: read_article(nested_page(800), fmt="html"))
    assert large / small < 2.2, (small, large)


def test_moderately_nested_legal_page_still_converts() -> None:
    article = read_article(LEGAL, fmt="html")
    assert "Nachrichten" in article.text and "Hallo Welt, hier ist ein Absatz." in article.text


# --- Every HTML path answers 400 with the reason, quickly -----------------------------------------------


def test_document_api_refuses_nesting_with_400_json(client: Any) -> None:
    response = client.post("/api/v1/documents", json={"format": "html", "source": "de", "text": ATTACK})
    assert response.status_code == 400 and "deep" in response.get_json()["error"]
    legal = client.post("/api/v1/documents", json={"format": "html", "source": "de", "text": LEGAL})
    assert legal.status_code == 201
    assert [block["kind"] for block in legal.get_json()["document"]["blocks"]] == ["title", "paragraph"]


def test_document_api_refuses_unterminated_markup_with_400_json(client: Any) -> None:
    text = "<p>Hallo Welt.</p>" + "<a" * 100
    response = client.post("/api/v1/documents", json={"format": "html", "source": "de", "text": text})
    assert response.status_code == 400 and "unterminated" in response.get_json()["error"]


def test_translate_html_refuses_nesting_with_400_json(make_app: Callable[..., Any]) -> None:
    client = make_app(api_max_chars=200_000).test_client()
    body = {"source": "de", "target": "en", "format": "html"}
    response = client.post("/translate", json={**body, "q": ["<b>Hallo</b>", "<span>" * 30_000 + "Welt"]})
    assert response.status_code == 400 and "deep" in response.get_json()["error"]
    legal = client.post("/translate", json={**body, "q": LEGAL})
    assert legal.status_code == 200 and legal.get_json()["translatedText"].count("<section>") == 200


@pytest.mark.parametrize("upload", [False, True])
def test_web_form_refuses_nesting_with_a_message(client: Any, upload: bool) -> None:
    fields = {"source": "de", "target": "en"}
    if upload:
        data: dict[str, Any] = {**fields, "text": "", "file": (io.BytesIO(ATTACK.encode()), "tief.html")}
    else:
        data = {**fields, "text": ATTACK, "format": "html"}
    response = client.post("/documents", data=data, content_type="multipart/form-data")
    alert = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(".alert")
    assert response.status_code == 400 and alert is not None and "deep" in alert.get_text()


def test_detection_preview_explains_instead_of_failing(client: Any) -> None:
    response = client.post("/preview/detection", data={"text": "<p>Hallo</p>" + "<a" * 100, "format": "html"})
    assert response.status_code == 200 and "unterminated" in response.get_json()["message"]
