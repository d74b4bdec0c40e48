"""Property tests of the whole pipeline on hostile text: nothing escapes, structure holds, every renderer escapes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.helpers import validate_xliff
from translator import Document, InputError, Translator
from translator.exports import EXPORT_FORMATS, render

INJECTIONS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    '<a href="javascript:alert(3)">klick</a>',
    "]]><!--",
    "{{ config }}{% raw %}",
    "&lt;b&gt;",
    "\u202eevil\u202c",
    "e\u0301\u0301\u0301",
    "שלום עולם",
    "مرحبا",
    "x" * 3000,
    "\ufffe\uffff",  # noncharacters: XML 1.0 forbids them even escaped
    "\x0b\x1f\x7f",
]
hostile_text = st.lists(
    st.one_of(
        st.text(min_size=1, max_size=80),
        st.sampled_from(INJECTIONS),
        st.sampled_from(["\n", "\n\n", "# ", "- ", "> ", "\x00", "\x1b[31m", "\r\n", "\t"]),
        st.just("Die Olympischen Spiele beginnen am 3. Oktober in Paris."),
    ),
    min_size=1,
    max_size=12,
).map("".join)


def _check_html(document: Document, text: str) -> None:
    for needle in ("<script>alert", "<img", "<a href"):
        assert needle not in text


def _check_markdown(document: Document, text: str) -> None:
    assert "<script" not in text and "<img" not in text


def _check_tsv(document: Document, text: str) -> None:
    rows = text.splitlines()
    assert len(rows) == len(document.sentences) + 1 and all(row.count("\t") == 3 for row in rows)


def _check_json(document: Document, text: str) -> None:
    assert json.loads(text) == json.loads(json.dumps(document.stable_dict()))  # nothing lost or mangled


def _check_xliff(document: Document, text: str) -> None:
    validate_xliff(text.encode("utf-8"))  # well-formed, and valid against the OASIS XLIFF 1.2 schema
    root = ET.fromstring(text.encode("utf-8"))
    units = root.findall(".//{urn:oasis:names:tc:xliff:document:1.2}trans-unit")
    assert len(units) == len(document.sentences)
    assert root.find("{urn:oasis:names:tc:xliff:document:1.2}file").get("original")  # type: ignore[union-attr]


# One check per export format; test_every_export_format_is_checked keeps this list complete.
FORMAT_CHECKS: dict[str, Callable[[Document, str], None]] = {
    "html": _check_html,
    "md": _check_markdown,
    "tsv": _check_tsv,
    "json": _check_json,
    "xliff": _check_xliff,
}


def check_document(translator: Translator, text: str) -> None:
    try:
        document = translator.translate_document(text, source="de")
    except InputError:
        assume(False)
        return
    assert document.blocks
    for block in document.blocks:
        assert block.source.strip()
        for sentence in block.sentences:
            assert block.source[sentence.start : sentence.end] == sentence.source
            assert block.translation[sentence.translation_start : sentence.translation_end] == sentence.translation
    again = translator.translate_document(text, source="de")  # from the document cache
    for fmt, check in FORMAT_CHECKS.items():
        content = render(document, fmt).content
        check(document, content.decode("utf-8"))
        assert render(again, fmt).content == content, f"{fmt} export changed when served from the cache"


def test_every_export_format_is_checked() -> None:
    assert set(FORMAT_CHECKS) == set(EXPORT_FORMATS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=hostile_text)
def test_hostile_articles_never_break_the_pipeline(translator: Translator, text: str) -> None:
    check_document(translator, text)


@pytest.mark.parametrize("injection", INJECTIONS)
def test_each_injection_string_is_inert(translator: Translator, injection: str) -> None:
    check_document(translator, f"Ein Satz mit {injection} darin.\n\nNoch ein Absatz mit {injection}.")


def test_one_megabyte_article_translates(translator: Translator, seed_text: str) -> None:
    text = (seed_text + "\n\n") * 450
    assert len(text) > 900_000
    with pytest.raises(InputError, match="limit is 500,000"):
        translator.translate_document(text)
    big = Translator(translator.settings.with_overrides(max_chars=2_000_000))
    document = big.translate_document(text)
    assert len(document.blocks) == 9 * 450
    assert all(b.translation for b in document.blocks)
    assert sum(s.cached for s in document.sentences) == 0  # repeated sentences are deduplicated, not served from cache
