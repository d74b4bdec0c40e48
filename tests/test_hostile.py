"""Property tests of the whole pipeline on hostile text: nothing escapes, structure holds, every renderer escapes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from translator import InputError, Translator
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
    assert json.loads(render(document, "json").content)["blocks"]  # the JSON export parses
    html = render(document, "html").content.decode()
    for needle in ("<script>alert", "<img", "<a href"):
        assert needle not in html
    markdown = render(document, "md").content.decode()
    assert "<script" not in markdown and "<img" not in markdown
    xliff = ET.fromstring(render(document, "xliff").content)  # a real XML parser: the export must be well-formed
    assert xliff.find("{urn:oasis:names:tc:xliff:document:1.2}file").get("original")  # type: ignore[union-attr]
    tsv = render(document, "tsv").content.decode().splitlines()
    assert len(tsv) == len(document.sentences) + 1 and all(row.count("\t") == 3 for row in tsv)
    assert set(EXPORT_FORMATS) == {"html", "md", "tsv", "json", "xliff"}


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
