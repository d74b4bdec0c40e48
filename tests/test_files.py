"""Files in, the same format out: real files built with the format libraries, translated with the real model.

The test model produces gibberish, so what is checked is structure: same entries,
paragraphs, cues and units in the same order, formatting on the same structure,
untouched parts byte-identical, every protected span exactly once, msgfmt -c
accepting the .po, the OASIS schemas accepting the .xlf (``validate_xliff``).
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import polib
import pytest
from docx.shared import Inches
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.util import Inches as PptxInches

from tests.fakes import FakeEngineForUnitTests, RewritingFakeEngineForUnitTests
from tests.helpers import validate_xliff, zip_of
from translator import InputError, Settings, Translator
from translator.files import SUPPORTED_SUFFIXES
from translator.files.driver import HANDLERS, translate_file
from translator.files.office import A
from translator.files.subtitles import LINE_WIDTH

RTL_EMOJI = "Der Name ist שלום 🎉 und bleibt."


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def _faked_rewrite(tmp_path: Path, rewrite: Callable[[str], str]) -> Translator:
    return Translator(Settings(data_dir=tmp_path, cache=False), engine=RewritingFakeEngineForUnitTests(rewrite))


def _upper(tmp_path: Path) -> Translator:
    return Translator(Settings(data_dir=tmp_path, cache=False), engine=FakeEngineForUnitTests())


# --- gettext -----------------------------------------------------------------------------------------------


def _catalog() -> bytes:
    catalog = polib.POFile()
    catalog.metadata = {
        "Project-Id-Version": "demo 1.0",
        "Content-Type": "text/plain; charset=CHARSET",
        "Plural-Forms": "nplurals=INTEGER; plural=EXPRESSION;",
    }
    catalog.append(polib.POEntry(msgid="Datei %s wurde am %d. gelöscht.", flags=["c-format"], comment="Hinweis",
                                 occurrences=[("src/a.c", "10")]))  # fmt: skip
    catalog.append(polib.POEntry(msgid="Öffnen", msgctxt="menu", tcomment="Übersetzer: kurz halten"))
    catalog.append(polib.POEntry(msgid="Hallo %(name)s, siehe https://example.com/hilfe.", flags=["python-format"]))
    catalog.append(polib.POEntry(msgid="{count} neue Nachrichten von {user}", flags=["python-brace-format"]))
    catalog.append(polib.POEntry(msgid="Eine Datei", msgid_plural="%d Dateien", flags=["c-format"],
                                 msgstr_plural={0: "", 1: ""}))  # fmt: skip
    catalog.append(polib.POEntry(msgid="Schon übersetzt", msgstr="Already translated"))
    catalog.append(polib.POEntry(msgid="Erste Zeile\nZweite <b>fett</b> Zeile\n"))
    catalog.append(polib.POEntry(msgid=RTL_EMOJI))
    return str(catalog).encode("utf-8")


def test_po_round_trip_with_the_real_model(translator: Translator, tmp_path: Path) -> None:
    source = polib.pofile(_catalog().decode())
    result = translate_file(translator, _catalog(), "messages.pot", "de", "en")
    assert result.suffix == ".po"
    path = tmp_path / "out.po"
    path.write_bytes(result.data)
    translated = polib.pofile(str(path))
    assert [(e.msgctxt, e.msgid, e.msgid_plural) for e in translated] == [
        (e.msgctxt, e.msgid, e.msgid_plural) for e in source
    ]
    by_id = {e.msgid: e for e in translated}
    assert by_id["Schon übersetzt"].msgstr == "Already translated" and not by_id["Schon übersetzt"].fuzzy
    filled = [e for e in translated if e.msgid != "Schon übersetzt"]
    assert all(e.fuzzy and (e.msgstr or all(e.msgstr_plural.values())) for e in filled)
    first = by_id["Datei %s wurde am %d. gelöscht."]
    assert first.comment == "Hinweis" and first.occurrences == [("src/a.c", "10")] and "c-format" in first.flags
    assert by_id["Öffnen"].msgctxt == "menu" and by_id["Öffnen"].tcomment == "Übersetzer: kurz halten"
    for entry, spans in [
        (first, ["%s", "%d"]),
        (by_id["Hallo %(name)s, siehe https://example.com/hilfe."], ["%(name)s", "https://example.com/hilfe"]),
        (by_id["{count} neue Nachrichten von {user}"], ["{count}", "{user}"]),
    ]:
        assert all(entry.msgstr.count(span) == 1 for span in spans), entry.msgstr
    assert by_id["Eine Datei"].msgstr_plural[1].count("%d") == 1
    multiline = by_id["Erste Zeile\nZweite <b>fett</b> Zeile\n"].msgstr
    assert multiline.endswith("\n") and multiline.count("\n") == 2 and multiline.count("<b>") == 1
    assert translated.metadata["Language"] == "en" and "nplurals=2" in translated.metadata["Plural-Forms"]
    check = subprocess.run(["msgfmt", "-c", "--use-fuzzy", "-o", "/dev/null", str(path)], capture_output=True)
    assert check.returncode == 0, check.stderr.decode()


def test_msgfmt_check_would_catch_a_lost_placeholder(tmp_path: Path) -> None:
    """The msgfmt check above can fail: a translation missing its %s is rejected."""
    path = tmp_path / "bad.po"
    path.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    '#, c-format\nmsgid "Datei %s"\nmsgstr "File"\n', encoding="utf-8")  # fmt: skip
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode != 0


def test_po_output_is_byte_stable(translator: Translator) -> None:
    first = translate_file(translator, _catalog(), "messages.po", "de", "en").data
    assert translate_file(translator, _catalog(), "messages.po", "de", "en").data == first


def test_broken_po_is_refused(translator: Translator) -> None:
    with pytest.raises(InputError, match="not a valid gettext file"):
        translate_file(translator, b'msgid "a"\nmsgstr "b"\nmsgid "c" nonsense\n', "x.po", "de", "en")


# --- XLIFF -------------------------------------------------------------------------------------------------

XLIFF_12 = b"""<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file source-language="de" datatype="plaintext" original="app">
  <body>
   <trans-unit id="1"><source>Das ist <g id="b1">sehr</g> gut, %s.</source></trans-unit>
   <trans-unit id="2"><source>Zeile<x id="br"/>weiter mit {name}.</source><target></target></trans-unit>
   <trans-unit id="3" translate="no"><source>Markenname</source></trans-unit>
   <trans-unit id="4"><source>Fertig.</source><target state="final">Done.</target></trans-unit>
  </body>
 </file>
</xliff>"""

XLIFF_2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="de">
 <file id="f1">
  <unit id="u1">
   <segment><source>Hallo <pc id="1">liebe</pc> Welt<ph id="2"/>.</source></segment>
   <segment><source>Zweiter Satz mit ${x}.</source></segment>
  </unit>
 </file>
</xliff>"""

# As segmenting tools (Okapi, Trados) write 1.2: <seg-source> after <source>, a tool declared in the header,
# inline codes of every kind, a second <file>.
XLIFF_12_SEGMENTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file source-language="de" datatype="html" original="a.html" tool-id="okapi">
  <header><tool tool-id="okapi" tool-name="Okapi Rainbow"/></header>
  <body>
   <group id="g1">
    <trans-unit id="1"><source>Das ist gut. Das ist <bx id="1"/>schlecht<ex id="2"/>.</source><seg-source><mrk mtype="seg"
     mid="1">Das ist gut.</mrk> <mrk mtype="seg" mid="2">Das ist <bx id="1"/>schlecht<ex id="2"/>.</mrk></seg-source>
     <note>Hinweis</note></trans-unit>
    <trans-unit id="2"><source>Ein <mrk mtype="term">Begriff</mrk> und <ph id="3">&lt;br/&gt;</ph> hier.</source>
     <note from="dev">kurz</note></trans-unit>
    <trans-unit id="3" xml:space="preserve"><source>Zwei  Leerzeichen.</source><alt-trans><target>Two.</target></alt-trans>
    </trans-unit>
   </group>
  </body>
 </file>
 <file source-language="de" datatype="plaintext" original="b"><body><trans-unit id="x"><source>Zweite Datei.</source>
 </trans-unit></body></file>
</xliff>"""

# 2.1 (same core namespace as 2.0): notes, groups, original data behind <sc>/<ec>, <mrk>, <cp>, <ignorable>.
XLIFF_21 = b"""<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="de">
 <file id="f1">
  <notes><note>Datei</note></notes>
  <group id="g1">
   <unit id="u1">
    <notes><note>Einheit</note></notes>
    <originalData><data id="d1">&lt;b&gt;</data><data id="d2">&lt;/b&gt;</data></originalData>
    <segment id="s1"><source>Hallo <sc id="1" dataRef="d1"/>liebe<ec startRef="1" dataRef="d2"/> Welt.</source></segment>
    <ignorable><source> </source></ignorable>
    <segment><source>Ein <mrk id="m1" type="term">Begriff</mrk> hier<cp hex="0001"/>.</source></segment>
   </unit>
  </group>
  <unit id="u2" translate="no"><segment><source>Nein.</source></segment></unit>
 </file>
</xliff>"""

NS12 = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
NS2 = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
XLIFF_INPUTS = {"1.2": XLIFF_12, "1.2-segmented": XLIFF_12_SEGMENTED, "2.0": XLIFF_2, "2.1": XLIFF_21}


@pytest.mark.parametrize("version", XLIFF_INPUTS)
def test_translated_xliff_validates_against_the_oasis_schema(translator: Translator, version: str) -> None:
    """The input is valid (checked first), so an invalid output is the writer's fault."""
    validate_xliff(XLIFF_INPUTS[version])
    validate_xliff(translate_file(translator, XLIFF_INPUTS[version], "app.xlf", "de", "en").data)


MARKER = r"\[X\d+X\]"
# A model that loses, doubles or moves the inline codes' markers: the target must stay valid all the same.
MISBEHAVING_MODELS: dict[str, Callable[[str], str]] = {
    "drops-codes": lambda s: re.sub(MARKER, "", s),
    "doubles-codes": lambda s: re.sub(f"({MARKER})", r"\1 \1", s),
    "reverses-codes": lambda s: " ".join(reversed(re.split(f"({MARKER})", s))),
    "codes-to-front": lambda s: "".join(re.findall(MARKER, s)) + re.sub(MARKER, "", s),
}


@pytest.mark.parametrize("model", MISBEHAVING_MODELS)
@pytest.mark.parametrize("version", XLIFF_INPUTS)
def test_xliff_stays_valid_whatever_the_model_does_to_codes(tmp_path: Path, version: str, model: str) -> None:
    data = translate_file(
        _faked_rewrite(tmp_path, MISBEHAVING_MODELS[model]), XLIFF_INPUTS[version], "a.xlf", "de", "en"
    )
    validate_xliff(data.data)


def test_xliff_12_target_follows_seg_source(translator: Translator) -> None:
    out = etree.fromstring(translate_file(translator, XLIFF_12_SEGMENTED, "app.xlf", "de", "en").data)
    units = out.findall(".//x:trans-unit", NS12)
    assert [etree.QName(child).localname for child in units[0]] == ["source", "seg-source", "target", "note"]
    assert [etree.QName(child).localname for child in units[2]] == ["source", "target", "alt-trans"]
    assert all(unit.find("x:target", NS12).get("state") == "needs-review-translation" for unit in units)
    assert [f.get("target-language") for f in out.findall("x:file", NS12)] == ["en", "en"]


def test_xliff_12_targets_filled_for_review(translator: Translator) -> None:
    data = translate_file(translator, XLIFF_12, "app.xlf", "de", "en").data
    validate_xliff(data)
    out = etree.fromstring(data)
    units = out.findall(".//x:trans-unit", NS12)
    assert [u.get("id") for u in units] == ["1", "2", "3", "4"]
    first, second, kept, done = (u.find("x:target", NS12) for u in units)
    assert first is not None and first.get("state") == "needs-review-translation"
    assert first.get("state-qualifier") == "mt-suggestion"
    assert len(first.findall("x:g", NS12)) == 1 and "".join(first.itertext()).count("%s") == 1
    assert second is not None and len(second.findall("x:x", NS12)) == 1 and "{name}" in "".join(second.itertext())
    assert kept is None and done is not None and done.text == "Done." and done.get("state") == "final"
    assert out.find("x:file", NS12).get("target-language") == "en"


def test_xliff_2_targets_and_state(translator: Translator) -> None:
    data = translate_file(translator, XLIFF_2, "app.xliff", "de", "en").data
    validate_xliff(data)
    out = etree.fromstring(data)
    segments = out.findall(".//x:segment", NS2)
    assert len(segments) == 2 and all(s.get("state") == "initial" for s in segments)  # machine output: a draft
    first = segments[0].find("x:target", NS2)
    assert first is not None and len(first.findall("x:pc", NS2)) == 1 and len(first.findall("x:ph", NS2)) == 1
    assert "".join(segments[1].find("x:target", NS2).itertext()).count("${x}") == 1
    assert out.get("trgLang") == "en"


@pytest.mark.parametrize(
    "payload",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2"><file><body><trans-unit id="1">'
        b"<source>&e;</source></trans-unit></body></file></xliff>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2"><file><body/></file></xliff>',
    ],
    ids=["external-entity", "billion-laughs"],
)
def test_xliff_with_entities_is_refused(translator: Translator, payload: bytes) -> None:
    with pytest.raises(InputError, match="DTD or entities"):
        translate_file(translator, payload, "evil.xlf", "de", "en")


# --- subtitles ---------------------------------------------------------------------------------------------

SRT = (
    "1\n00:00:01,000 --> 00:00:03,500\nDie Regierung hat heute entschieden,\ndass das Gesetz <i>sofort</i> gilt.\n\n"
    "2\n00:00:04,000 --> 00:00:06,000\n" + RTL_EMOJI + "\n\n"
    "3\n00:00:06,500 --> 00:00:08,000\nMehr unter https://example.com/info.\n"
)
VTT = (
    "WEBVTT - Nachrichten\n\nNOTE Diese Notiz\n00:00:00.000 --> 00:00:01.000 bleibt\n\n"
    "intro\n00:00:01.000 --> 00:00:02.000 align:start position:10%\n<v Anna>Guten Morgen, liebe Leute.\n\n"
    "00:00:03.000 --> 00:00:05.000\nWir beginnen mit dem Wetter.\n"
)


def _cue_skeleton(text: str) -> list[str]:
    return [line for line in text.splitlines() if "-->" in line or line.strip().isdigit() or line.startswith(("WEBVTT", "NOTE", "intro"))]  # fmt: skip


def test_srt_timing_and_numbering_untouched(translator: Translator) -> None:
    out = translate_file(translator, SRT.encode(), "news.srt", "de", "en").data.decode()
    assert _cue_skeleton(out) == _cue_skeleton(SRT)
    cues = out.strip().split("\n\n")
    assert len(cues) == 3 and cues[0].count("<i>") == 1 and cues[0].count("</i>") == 1
    assert cues[2].count("https://example.com/info") == 1


def test_vtt_keeps_header_notes_settings_and_voice(translator: Translator) -> None:
    out = translate_file(translator, VTT.encode(), "news.vtt", "de", "en").data.decode()
    assert _cue_skeleton(out) == _cue_skeleton(VTT)
    assert "NOTE Diese Notiz\n00:00:00.000 --> 00:00:01.000 bleibt" in out and out.count("<v Anna>") == 1


def test_cue_lines_rewrapped_to_the_cue_shape(tmp_path: Path) -> None:
    out = translate_file(_upper(tmp_path), SRT.encode(), "news.srt", "de", "en").data.decode()
    first = out.split("\n\n")[0].splitlines()[2:]
    assert first == ["DIE REGIERUNG HAT HEUTE ENTSCHIEDEN,", "DASS DAS GESETZ <i>SOFORT</i> GILT."]  # even lines
    assert all(len(line) <= LINE_WIDTH for line in first)
    assert out.split("\n\n")[1].splitlines()[2:] == [RTL_EMOJI.upper()]  # a short cue stays on one line


# --- office documents --------------------------------------------------------------------------------------


def _docx(tmp_path: Path) -> bytes:
    document = docx.Document()
    document.add_heading("Die große Überschrift", level=1)
    paragraph = document.add_paragraph("Das ist ")
    paragraph.add_run("sehr").bold = True
    paragraph.add_run(" gut und ")
    paragraph.add_run("kursiv").italic = True
    paragraph.add_run(" geschrieben, siehe https://example.com/x.")
    document.add_paragraph(RTL_EMOJI)
    table = document.add_table(rows=2, cols=2)
    for row, cells in enumerate(table.rows):
        for column, cell in enumerate(cells.cells):
            cell.text = f"Zelle {row} {column} mit Text"
    picture = tmp_path / "bild.png"
    picture.write_bytes(_png())
    document.add_picture(str(picture), width=Inches(1))
    document.add_paragraph("Im Quelltext steht <b>%s</b> und {name}.")
    commented = document.add_paragraph("Ein kommentierter Satz.")
    document.add_comment(commented.runs, text="Bitte prüfen.", author="Redaktion")
    path = tmp_path / "in.docx"
    document.save(str(path))
    return path.read_bytes()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_docx_round_trip_keeps_structure_runs_and_image(translator: Translator, tmp_path: Path) -> None:
    original = _docx(tmp_path)
    result = translate_file(translator, original, "in.docx", "de", "en")
    before, after = _members(original), _members(result.data)
    assert list(after) == list(before)
    text_parts = {"word/document.xml", "word/comments.xml"}
    for name in set(before) - text_parts:
        assert after[name] == before[name], name  # images, styles, settings byte for byte
    source, translated = docx.Document(io.BytesIO(original)), docx.Document(io.BytesIO(result.data))
    assert [p.style.name for p in translated.paragraphs if p.style] == [
        p.style.name for p in source.paragraphs if p.style
    ]
    assert translated.paragraphs[0].text != source.paragraphs[0].text
    runs = translated.paragraphs[1].runs
    assert sum(1 for r in runs if r.bold) >= 1 and sum(1 for r in runs if r.italic) >= 1
    assert translated.paragraphs[1].text.count("https://example.com/x") == 1
    assert [[c.text != "" for c in row.cells] for row in translated.tables[0].rows] == [[True, True]] * 2
    assert len(translated.inline_shapes) == 1
    code = next(p.text for p in translated.paragraphs if "{name}" in p.text)
    assert all(code.count(span) == 1 for span in ("<b>", "</b>", "%s", "{name}")), code
    assert result.segments == len([p for p in source.paragraphs if p.text.strip()]) + 4 + 1  # cells, comment


def test_docx_bold_lands_on_the_words_the_model_marks(tmp_path: Path) -> None:
    result = translate_file(_upper(tmp_path), _docx(tmp_path), "in.docx", "de", "en")
    runs = docx.Document(io.BytesIO(result.data)).paragraphs[1].runs
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in runs] == [
        ("DAS IST ", False, False),
        ("SEHR", True, False),
        (" GUT UND ", False, False),
        ("KURSIV", False, True),
        (" GESCHRIEBEN, SIEHE https://example.com/x.", False, False),
    ]


def test_paragraph_ending_in_bold_needs_no_repair(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Am Ende steht ")
    paragraph.add_run("Fettes").bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    result = translate_file(_upper(tmp_path), buffer.getvalue(), "a.docx", "de", "en")
    runs = docx.Document(io.BytesIO(result.data)).paragraphs[0].runs
    assert [(r.text, bool(r.bold)) for r in runs] == [("AM ENDE STEHT ", False), ("FETTES", True)]
    assert result.flagged == 0  # balanced markers: nothing was guessed


def test_pptx_round_trip(translator: Translator, tmp_path: Path) -> None:
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Quartalszahlen im Überblick"
    body = slide.placeholders[1].text_frame
    body.text = "Der Umsatz stieg "
    bold = body.paragraphs[0].add_run()
    bold.text = "deutlich"
    bold.font.bold = True
    body.paragraphs[0].add_run().text = " im Sommer."
    picture = tmp_path / "bild.png"
    picture.write_bytes(_png())
    slide.shapes.add_picture(str(picture), PptxInches(1), PptxInches(1))
    slide.notes_slide.notes_text_frame.text = "Sprechernotiz für den Vortrag."
    buffer = io.BytesIO()
    presentation.save(buffer)
    result = translate_file(translator, buffer.getvalue(), "deck.pptx", "de", "en")
    before, after = _members(buffer.getvalue()), _members(result.data)
    assert [n for n in before if before[n] != after[n]] == ["ppt/slides/slide1.xml", "ppt/notesSlides/notesSlide1.xml"]
    reopened = Presentation(io.BytesIO(result.data)).slides[0]
    assert reopened.shapes.title.text != "Quartalszahlen im Überblick"
    runs = reopened.placeholders[1].text_frame.paragraphs[0].runs
    assert sum(1 for r in runs if r.font.bold) == 1 and len(reopened.shapes) == 3
    slide_xml = etree.fromstring(after["ppt/slides/slide1.xml"])
    for paragraph in slide_xml.iter(f"{{{A}}}p"):
        names = [etree.QName(child).localname for child in paragraph]
        assert "endParaRPr" not in names[:-1] and "pPr" not in names[1:], names  # schema order kept


def test_pptx_paragraph_end_properties_stay_last(tmp_path: Path) -> None:
    """a:endParaRPr must close a paragraph whatever the model does with the placeholders."""
    presentation = Presentation()
    box = presentation.slides.add_slide(presentation.slide_layouts[5]).shapes.title.text_frame
    box.text = "Der Titel "
    run = box.paragraphs[0].add_run()
    run.text = "fett"
    run.font.bold = True
    box.paragraphs[0]._p.get_or_add_endParaRPr()
    buffer = io.BytesIO()
    presentation.save(buffer)
    to_front = _faked_rewrite(tmp_path, MISBEHAVING_MODELS["codes-to-front"])
    result = translate_file(to_front, buffer.getvalue(), "deck.pptx", "de", "en")
    slide = etree.fromstring(_members(result.data)["ppt/slides/slide1.xml"])
    [paragraph] = [p for p in slide.iter(f"{{{A}}}p") if len(p)]
    assert etree.QName(paragraph[-1]).localname == "endParaRPr"


ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>
<text:h text:outline-level="1">Die Überschrift</text:h>
<text:p>Das ist <text:span text:style-name="T1">sehr</text:span> gut.<text:line-break/>Weiter.</text:p>
</office:text></office:body></office:document-content>""".encode()


def test_odt_spans_kept(tmp_path: Path) -> None:
    odt = zip_of({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": ODT_CONTENT,
                "Pictures/a.png": _png()})  # fmt: skip
    after = _members(translate_file(_upper(tmp_path), odt, "a.odt", "de", "en").data)
    assert after["Pictures/a.png"] == _png() and after["mimetype"] == b"application/vnd.oasis.opendocument.text"
    content = after["content.xml"].decode()
    assert '<text:span text:style-name="T1">SEHR</text:span>' in content and "<text:line-break/>" in content
    assert "DIE ÜBERSCHRIFT" in content


def test_every_listed_suffix_has_a_handler() -> None:
    assert sorted(HANDLERS) == sorted(SUPPORTED_SUFFIXES)


CHAPTER = b"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>Kapitel eins</title>
</head><body><h1>Das erste Kapitel</h1><p>Es war <em>sehr</em> kalt, sagte <a href="#n1">Anna</a>.</p>
<p><img src="bild.png" alt="Bild"/></p><ul><li>Erster Punkt der Liste</li></ul></body></html>"""


def test_epub_chapters_translated_in_place(tmp_path: Path) -> None:
    epub = zip_of({"mimetype": b"application/epub+zip", "META-INF/container.xml": b"<container/>",
                 "OEBPS/content.opf": b"<package/>", "OEBPS/kapitel1.xhtml": CHAPTER, "OEBPS/bild.png": _png()})  # fmt: skip
    after = _members(translate_file(_upper(tmp_path), epub, "buch.epub", "de", "en").data)
    assert next(iter(after)) == "mimetype" and after["OEBPS/bild.png"] == _png()
    page = after["OEBPS/kapitel1.xhtml"].decode()
    assert "<!DOCTYPE html>" in page and "<h1>DAS ERSTE KAPITEL</h1>" in page
    assert '<p>ES WAR <em>SEHR</em> KALT, SAGTE <a href="#n1">ANNA</a>.</p>' in page
    assert '<img src="bild.png" alt="Bild"/>' in page and "<li>ERSTER PUNKT DER LISTE</li>" in page


# --- bad files ---------------------------------------------------------------------------------------------


def test_zip_bomb_refused_before_unpacking(translator: Translator) -> None:
    bomb = zip_of({"word/document.xml": b"<a/>", "word/media/huge.bin": b"\0" * (30 * 1024 * 1024)})
    with pytest.raises(InputError, match="zip bomb"):
        translate_file(translator, bomb, "bomb.docx", "de", "en")


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"MZ\x90\x00" + b"\0" * 200, "report.docx", "Windows program"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 200, "secret.docx", "password-protected"),
        (zip_of({"word/document.xml": b"<a/>", "word/vbaProject.bin": b"x"}), "macro.docx", "macros"),
        (zip_of({"word/document.xml": b"<a/>", "../evil": b"x"}), "path.docx", "outside the archive"),
        (zip_of({"content.xml": b"<a/>", "Basic/Standard/Module1.xml": b"x"}), "macro.odt", "macros"),
        (zip_of({"content.xml": b"<a/>", "META-INF/manifest.xml": b"<m encryption-data/>"}), "pw.odt", "password"),
        (b"not a zip at all", "fake.pptx", "not a valid .pptx"),
        (zip_of({"other.xml": b"<a/>"}), "empty.docx", "word/document.xml is missing"),
        (b"hello", "notes.pdf", "unsupported file type"),
    ],
)
def test_bad_files_refused_with_a_reason(translator: Translator, data: bytes, name: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        translate_file(translator, data, name, "de", "en")
