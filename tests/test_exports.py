"""Exports render the aligned document in every format, escaping hostile text."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from translator import Translator
from translator.document import RUN_FIELDS, Document
from translator.errors import InputError
from translator.exports import EXPORT_FORMATS, render

HOSTILE = 'Böse <script>alert("x")</script> und <img src=x onerror=alert(1)> sowie <a href="javascript:alert(2)">Link</a> im Text.'


@pytest.fixture
def document(translator: Translator, seed_text: str) -> Document:
    return translator.translate_document(seed_text)


def test_tsv_has_one_row_per_sentence(document: Document) -> None:
    rows = list(csv.reader(io.StringIO(render(document, "tsv").content.decode()), delimiter="\t"))
    assert rows[0] == ["block", "kind", "de", "en"]
    assert len(rows) - 1 == len(document.sentences)
    assert rows[1][1] == "title" and rows[1][2] == "Alibaba ist auf großem Expansionskurs"


def test_json_is_the_core_document_without_run_fields(document: Document) -> None:
    data = json.loads(render(document, "json").content)
    assert data == json.loads(json.dumps(document.stable_dict()))
    full = document.to_dict()
    assert set(full) - set(data) == set(RUN_FIELDS.document) and data["blocks"][0]["sentences"]
    assert set(full["provenance"]) - set(data["provenance"]) == {"cache"}  # a cold run: no served_from
    assert {"model", "version", "beam_size"} <= set(data["provenance"])
    for block in data["blocks"]:
        for sentence in block["sentences"]:
            assert not RUN_FIELDS.sentence & set(sentence) and {"source", "translation", "flags"} <= set(sentence)


def test_xliff_is_valid_and_aligned(document: Document) -> None:
    root = ET.fromstring(render(document, "xliff").content)
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    units = root.findall(".//x:trans-unit", ns)
    assert len(units) == len(document.sentences)
    assert units[0].find("x:source", ns).text == document.sentences[0].source  # type: ignore[union-attr]
    assert root.find("x:file", ns).get("source-language") == "de"  # type: ignore[union-attr]


def test_markdown_and_html_hold_every_block(document: Document) -> None:
    markdown = render(document, "md").content.decode()
    html = render(document, "html").content.decode()
    for block in document.blocks:
        assert block.source in markdown and block.translation in markdown
    assert html.count("<tr class=") == 9 and "translate-de_en-test" in html


def test_hostile_text_is_escaped_everywhere(translator: Translator) -> None:
    document = translator.translate_document(HOSTILE, source="de")
    html = render(document, "html").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "<img" not in html
    assert "<script>" not in render(document, "md").content.decode()
    ET.fromstring(render(document, "xliff").content)


def test_unknown_format(document: Document) -> None:
    with pytest.raises(InputError, match="Unknown export format"):
        render(document, "pdf")
    assert EXPORT_FORMATS == ("html", "md", "tsv", "json", "xliff")


def test_cold_and_warm_translations_give_the_same_stable_json(translator: Translator, seed_text: str) -> None:
    """The document cache changes how a run went, never the file: cold and warm exports are byte-identical."""
    cold = translator.translate_document(seed_text)
    warm = translator.translate_document(seed_text)
    assert warm.provenance.get("served_from") == "document cache" and all(s.cached for s in warm.sentences)
    for fmt in EXPORT_FORMATS:
        assert render(cold, fmt).content == render(warm, fmt).content, fmt
