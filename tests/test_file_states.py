"""Review states of translated localisation files: approved human translations are not machine output.

A .po entry or an XLIFF target made only of sentences the translation memory holds (approved
by people, nothing repaired) is translated; one the model wrote, wholly or in part, is fuzzy /
needs review. Real files built with polib, the real test model, ``msgfmt -c`` and the OASIS schemas.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
from lxml import etree

from tests.helpers import validate_xliff
from translator import Translator
from translator.files.driver import translate_file
from translator.inline import SegmentResult

# (source sentence, approved translation) put in the memory before translating.
APPROVED = {
    "Öffnen": "Open",  # no placeholder: the engine chain's memory answers
    "Die Datei %s wurde gelöscht.": "The file %s was deleted.",  # a placeholder: looked up as people read it
    "Ein Ordner": "One folder",
    "%d Ordner": "%d folders",
    "Das ist gut.": "That is good.",
    "Datei %s speichern": "Save the file",  # the human translation lost %s: put back, flagged
}


def test_a_segment_is_reviewed_only_when_every_sentence_is_approved_and_unrepaired() -> None:
    assert SegmentResult(["a"], [], ["memory", "memory"]).origin == "memory"
    assert SegmentResult(["a"], [], ["memory", "model"]).origin == "model"
    assert SegmentResult(["a"], ["placeholder_restored"], ["memory"]).origin == "model"
    assert SegmentResult(["%s"]).origin == "model"  # nothing translated: as machine output (unchanged behaviour)


def _remember(translator: Translator) -> None:
    assert translator.memory is not None
    for source, translation in APPROVED.items():
        translator.memory.put("de", "en", source, translation, "edit")


def _catalogue() -> bytes:
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    catalog.append(polib.POEntry(msgid="Öffnen", msgctxt="menu"))
    catalog.append(polib.POEntry(msgid="Die Datei %s wurde gelöscht.", flags=["c-format"]))
    catalog.append(polib.POEntry(msgid="Ein Ordner", msgid_plural="%d Ordner", flags=["c-format"],
                                 msgstr_plural={0: "", 1: ""}))  # fmt: skip
    catalog.append(polib.POEntry(msgid="Eine Nachricht", msgid_plural="%d Nachrichten", flags=["c-format"],
                                 msgstr_plural={0: "", 1: ""}))  # fmt: skip
    catalog.append(polib.POEntry(msgid="Das ist gut. Das ist schlecht."))
    catalog.append(polib.POEntry(msgid="Schließen"))
    catalog.append(polib.POEntry(msgid="Datei %s speichern", flags=["c-format"]))
    return str(catalog).encode("utf-8")


def test_po_entries_from_the_memory_are_not_fuzzy(translator: Translator, tmp_path: Path) -> None:
    """Translated twice, so the model's sentences come from the sentence cache the second time: same file."""
    first = translate_file(translator, _catalogue(), "messages.po", "de", "en").data  # fills the sentence cache
    _remember(translator)
    data = translate_file(translator, _catalogue(), "messages.po", "de", "en").data
    assert data != first
    assert translate_file(translator, _catalogue(), "messages.po", "de", "en").data == data
    path = tmp_path / "out.po"
    path.write_bytes(data)
    by_id = {entry.msgid: entry for entry in polib.pofile(str(path))}
    assert by_id["Öffnen"].msgstr == "Open" and not by_id["Öffnen"].fuzzy
    assert by_id["Die Datei %s wurde gelöscht."].msgstr == "The file %s was deleted."
    assert not by_id["Die Datei %s wurde gelöscht."].fuzzy
    assert by_id["Ein Ordner"].msgstr_plural == {0: "One folder", 1: "%d folders"} and not by_id["Ein Ordner"].fuzzy
    assert by_id["Eine Nachricht"].fuzzy  # neither form approved
    assert by_id["Das ist gut. Das ist schlecht."].msgstr.startswith("That is good. ")
    assert by_id["Das ist gut. Das ist schlecht."].fuzzy  # one sentence approved, one the model's
    assert by_id["Schließen"].fuzzy  # the model's, served from the sentence cache
    repaired = by_id["Datei %s speichern"]
    assert repaired.msgstr.count("%s") == 1 and repaired.fuzzy  # approved, but %s had to be put back
    assert all(entry.fuzzy for entry in polib.pofile(first.decode()) if entry.msgid)
    for strict in ([], ["--use-fuzzy"]):  # what gettext compiles as it stands, and every entry
        check = subprocess.run(["msgfmt", "-c", *strict, "-o", "/dev/null", str(path)], capture_output=True)
        assert check.returncode == 0, check.stderr.decode()


def test_po_plural_entry_half_approved_stays_fuzzy(translator: Translator) -> None:
    """A plural entry is reviewed only when both forms are."""
    assert translator.memory is not None
    translator.memory.put("de", "en", "Ein Ordner", "One folder", "edit")
    out = polib.pofile(translate_file(translator, _catalogue(), "messages.po", "de", "en").data.decode())
    entry = next(entry for entry in out if entry.msgid == "Ein Ordner")
    assert entry.msgstr_plural[0] == "One folder" and entry.fuzzy


XLIFF_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file source-language="de" datatype="plaintext" original="app">
  <body>
   <trans-unit id="open"><source>Öffnen</source></trans-unit>
   <trans-unit id="deleted"><source>Die Datei %s wurde gelöscht.</source><target state="new"
     state-qualifier="exact-match"></target></trans-unit>
   <trans-unit id="close"><source>Schließen</source></trans-unit>
   <trans-unit id="mixed"><source>Das ist gut. Das ist schlecht.</source></trans-unit>
   <trans-unit id="repaired"><source>Datei %s speichern</source></trans-unit>
  </body>
 </file>
</xliff>""".encode()

XLIFF_2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="de">
 <file id="f1">
  <unit id="u1">
   <segment id="open"><source>Öffnen</source></segment>
   <segment id="deleted" state="initial" subState="demo:empty"><source>Die Datei %s wurde gelöscht.</source>
    <target/></segment>
  </unit>
  <unit id="u2">
   <segment id="close"><source>Schließen</source></segment>
   <segment id="mixed"><source>Das ist gut. Das ist schlecht.</source></segment>
   <segment id="repaired"><source>Datei %s speichern</source></segment>
  </unit>
 </file>
</xliff>""".encode()


def test_xliff_12_targets_from_the_memory_are_translated(translator: Translator) -> None:
    validate_xliff(XLIFF_12)
    _remember(translator)
    data = translate_file(translator, XLIFF_12, "app.xlf", "de", "en").data
    validate_xliff(data)
    assert translate_file(translator, XLIFF_12, "app.xlf", "de", "en").data == data  # second run: cache hits
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    targets = {
        unit.get("id"): unit.find("x:target", ns) for unit in etree.fromstring(data).iter(f"{{{ns['x']}}}trans-unit")
    }
    states = {key: dict(target.attrib) for key, target in targets.items()}
    leveraged = {"state": "translated", "state-qualifier": "leveraged-tm"}  # as the bilingual export says it
    machine = {"state": "needs-review-translation", "state-qualifier": "mt-suggestion"}
    assert states == {"open": leveraged, "deleted": leveraged, "close": machine, "mixed": machine, "repaired": machine}
    assert targets["deleted"].text == "The file %s was deleted."


def test_xliff_2_segments_from_the_memory_are_translated(translator: Translator) -> None:
    validate_xliff(XLIFF_2)
    _remember(translator)
    data = translate_file(translator, XLIFF_2, "app.xliff", "de", "en").data
    validate_xliff(data)
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    segments = {segment.get("id"): segment for segment in etree.fromstring(data).iter(f"{{{ns['x']}}}segment")}
    assert {key: segment.get("state") for key, segment in segments.items()} == {
        "open": "translated",
        "deleted": "translated",
        "close": "initial",
        "mixed": "initial",
        "repaired": "initial",
    }
    assert segments["deleted"].get("subState") is None  # a changed state drops the old subState
    assert segments["open"].findtext("x:target", namespaces=ns) == "Open"
