"""Exports render the aligned document in every format, escaping hostile text."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import validate_xliff
from translator import Translator
from translator.document import RUN_FIELDS, Block, Detection, Document, Sentence
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


def document_of(title: str, pairs: list[tuple[str, str]], flags: list[str] | None = None) -> Document:
    """A document straight from strings (no model): a title block, then one paragraph per (source, translation)."""
    blocks = [Block("title", title, 1, [Sentence(title, 0, len(title), title, flags=list(flags or []))], title)]
    for line, (source, translation) in enumerate(pairs, start=2):
        block = Block("paragraph", source, line, [Sentence(source, 0, len(source), translation)])
        block.join_translations()
        blocks.append(block)
    return Document(blocks, Detection("de", 1.0), "de", "en")


FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", '"=1+1"', '=HYPERLINK("x")']


@pytest.mark.parametrize("formula", FORMULAS)
def test_tsv_cells_never_start_a_formula(formula: str) -> None:
    document = document_of("Titel", [(formula, formula), (f"Text {formula}", "ok")])
    rows = list(csv.reader(io.StringIO(render(document, "tsv").content.decode()), delimiter="\t"))
    assert len(rows) == 4 and all(len(row) == 4 for row in rows)
    for cell in [rows[2][2], rows[2][3]]:
        assert cell[0] not in "=+-@\t\r", cell
        assert cell.startswith("'") or cell.startswith('"')
        assert cell.lstrip("'") == " ".join(formula.split())  # the text itself is kept, after the quote
    assert rows[3][2] == " ".join(f"Text {formula}".split())  # a formula later in a cell is harmless: unchanged


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
    content = render(document, "xliff").content
    validate_xliff(content)
    root = ET.fromstring(content)
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    units = root.findall(".//x:trans-unit", ns)
    assert len(units) == len(document.sentences)
    assert units[0].find("x:source", ns).text == document.sentences[0].source  # type: ignore[union-attr]
    assert root.find("x:file", ns).get("source-language") == "de"  # type: ignore[union-attr]


def test_xliff_of_edits_memory_flags_and_page_metadata_is_valid() -> None:
    """Every branch of the export at once: a person's edit with the model's version kept as <alt-trans>, a
    translation from the memory, flags as notes, the page's metadata as header notes; the tool is declared."""
    document = document_of("Titel", [("Erster Satz.", "First."), ("Zweiter Satz.", "Second.")], ["flag <b>"])
    edited, remembered = document.sentences[1], document.sentences[2]
    edited.origin, edited.machine, remembered.origin = "human", "Frist.", "memory"
    document.metadata = {"source_url": "https://example.com/a?b=1&c=<2>", "sitename": "<Svg Onload=Alert(2)>"}
    content = render(document, "xliff").content
    validate_xliff(content)
    root = ET.fromstring(content)
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    file = root.find("x:file", ns)
    assert file is not None and file.find("x:header/x:tool", ns).get("tool-id") == file.get("tool-id")  # type: ignore[union-attr]
    assert [note.text for note in file.findall("x:header/x:note", ns)][1] == "Site: <Svg Onload=Alert(2)>"
    states = [unit.find("x:target", ns).attrib for unit in root.iter(f"{{{ns['x']}}}trans-unit")]  # type: ignore[union-attr]
    assert states == [
        {"state": "needs-review-translation", "state-qualifier": "mt-suggestion"},
        {"state": "translated"},
        {"state": "translated", "state-qualifier": "leveraged-tm"},
    ]
    assert root.find(".//x:alt-trans/x:target", ns).text == "Frist."  # type: ignore[union-attr]
    assert root.find(".//x:trans-unit/x:note[@from='quality-check']", ns).text == "flag <b>"  # type: ignore[union-attr]


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
    validate_xliff(render(document, "xliff").content)


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


def test_xliff_parses_with_a_noncharacter_in_the_title(translator: Translator) -> None:
    document = translator.translate_document("Der Titel \ufffe mit \uffff Zeichen\n\nEin Absatz über den Hafen.", "de")
    assert "\ufffe" in document.title
    content = render(document, "xliff").content
    validate_xliff(content)
    root = ET.fromstring(content)
    original = root.find("x:file", {"x": "urn:oasis:names:tc:xliff:document:1.2"}).get("original")  # type: ignore[union-attr]
    assert original == "Der Titel  mit  Zeichen"


# Every code point, and those XML 1.0 forbids (controls, noncharacters, a lone surrogate) often.
any_text = st.text(st.one_of(st.characters(), st.sampled_from("\x00\x0b\x1b\ufffe\uffff\ud800\udfff")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(title=any_text, pairs=st.lists(st.tuples(any_text, any_text), max_size=4), flags=st.lists(any_text, max_size=2))
def test_every_xml_export_parses_for_any_text(title: str, pairs: list[tuple[str, str]], flags: list[str]) -> None:
    """Any code point in any field (title, sentences, flags), surrogates and noncharacters included."""
    document = document_of(title, pairs, flags)
    content = render(document, "xliff").content
    validate_xliff(content)
    root = ET.fromstring(content)
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    assert len(root.findall(".//x:trans-unit", ns)) == len(document.sentences)
    assert root.find("x:file", ns).get("original")  # type: ignore[union-attr]
