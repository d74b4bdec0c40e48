"""Glossaries and do-not-translate terms: the store, DeepL-format files, and terms applied to translations."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.fakes import RewritingFakeEngineForUnitTests
from tests.helpers import ROOT
from translator import Settings, Translator
from translator.cli.main import main
from translator.document import Document
from translator.errors import InputError
from translator.flags import GLOSSARY
from translator.glossary import Glossary
from translator.glossary.files import MAX_LINE_BYTES, read_entries, write_entries
from translator.storage.glossary import GlossaryStore
from translator.texts import translate_texts

SENTENCE = "Der Vorstand von Siemens traf sich gestern in Berlin."


def _faked(tmp_path: Path, rewrite: object) -> Translator:
    engine = RewritingFakeEngineForUnitTests(rewrite)  # type: ignore[arg-type]
    return Translator(Settings(data_dir=tmp_path, cache=False), engine=engine)


def _translation(document: Document) -> str:
    return " ".join(sentence.translation for sentence in document.sentences)


def _entries(text: str) -> dict[str, str]:
    return read_entries(io.BytesIO(text.encode("utf-8")))


# --- the store -------------------------------------------------------------------------------------------------


def test_glossary_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "glossaries.sqlite3"
    store = GlossaryStore(path)
    store.add("news", "Siemens", None, "de", "en")
    store.add("news", "Vorstand", "board", "de", "en")
    store.close()
    reopened = GlossaryStore(path)
    found = reopened.require("news")
    assert found.entries == {"Siemens": "Siemens", "Vorstand": "board"}
    assert [(g.name, g.entries, g.do_not_translate) for g in reopened.all()] == [("news", 2, 1)]


def test_a_change_by_another_process_is_seen_at_once(tmp_path: Path) -> None:
    server = GlossaryStore(tmp_path / "g.sqlite3")
    server.add("news", "Siemens", None, "de", "en")
    assert server.require("news").entries == {"Siemens": "Siemens"}  # now kept in memory
    cli = GlossaryStore(tmp_path / "g.sqlite3")  # its own connection, as the CLI's process has
    cli.add("news", "Vorstand", "board", "de", "en")
    assert server.require("news").entries == {"Siemens": "Siemens", "Vorstand": "board"}
    cli.remove("news")
    assert server.get("news") is None
    cli.close()


def test_import_is_all_or_nothing_and_names_the_bad_line(tmp_path: Path) -> None:
    store = GlossaryStore(tmp_path / "g.sqlite3")
    store.add("news", "Siemens", None, "de", "en")
    with pytest.raises(InputError, match="Line 3"):
        store.put("news", _entries("Vorstand,board\nBerlin,Berlin\n=SUM(A1),x\n"), "de", "en")
    assert store.require("news").entries == {"Siemens": "Siemens"}


def test_a_glossary_keeps_its_language_pair(tmp_path: Path) -> None:
    store = GlossaryStore(tmp_path / "g.sqlite3")
    store.add("news", "Siemens", None, "de", "en")
    with pytest.raises(InputError, match="de→en"):
        store.add("news", "Vorstand", "board", "fr", "en")


# --- files: DeepL's format, hostile input ------------------------------------------------------------------------


def test_csv_and_tsv_in_deepl_format_round_trip() -> None:
    entries = {"Vorstand": "board", "Siemens": "Siemens", "-los": "-less", 'Er sagt "ja"': 'he says "yes"'}
    for file_format in ("csv", "tsv"):
        written = write_entries(entries.items(), file_format)
        assert read_entries(io.BytesIO(written)) == entries


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('=HYPERLINK("http://evil"),x\n', "Line 1: .*formula"),
        ("Vorstand,board\n@SUM(1),x\n", "Line 2: .*formula"),
        ("<script>alert(1)</script>,x\n", "Line 1: .*HTML"),
        ("Vorstand,<img src=x onerror=alert(1)>\n", "Line 1: .*HTML"),
        ("Vor\x1b[31mstand,board\n", r"Line 1: .*control character \(U\+001B\)"),
        ("Vorstand,bo\u202eard\n", r"Line 1: .*control character \(U\+202E\)"),
        ("Vorstand,board,extra\n", "Line 1: expected 2 columns"),
        ("Vorstand,board\nVorstand,executive board\n", "Line 2: .*already on line 1"),
        ("a,\x00b\n", "Line 1 holds a NUL byte"),
    ],
)
def test_hostile_glossary_files_are_refused_with_the_line(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        _entries(text)


def test_a_10_mb_line_is_refused_without_reading_it_whole() -> None:
    class Counting(io.BytesIO):
        largest = 0

        def readline(self, size: int | None = -1) -> bytes:
            line = super().readline(size)
            Counting.largest = max(Counting.largest, len(line))
            return line

    stream = Counting(b"Vorstand,board\n" + b"x" * 10_000_000 + b",y\n")
    with pytest.raises(InputError, match=f"Line 2 is longer than {MAX_LINE_BYTES:,} bytes"):
        read_entries(stream)
    assert Counting.largest <= MAX_LINE_BYTES + 1


def test_export_neutralises_cells_a_spreadsheet_would_run() -> None:
    written = write_entries([("-los", "-less")]).decode()
    assert written == "'-los,'-less\n"


# --- terms applied -----------------------------------------------------------------------------------------------


def test_do_not_translate_term_comes_back_byte_identical_through_the_real_model(translator: Translator) -> None:
    glossary = Glossary("news", "de", "en", {"Siemens": "Siemens"})
    document = translator.translate_document(SENTENCE, "de", "en", glossary=glossary)
    assert _translation(document).count("Siemens") == 1
    assert document.provenance["glossary"] == "news"
    (text,) = translate_texts(translator, [SENTENCE], "de", "en", glossary)
    assert text.count("Siemens") == 1


def test_glossary_term_translation_appears_through_the_real_model(translator: Translator) -> None:
    glossary = Glossary("news", "de", "en", {"Vorstand": "executive board"})
    document = translator.translate_document(SENTENCE, "de", "en", glossary=glossary)
    assert _translation(document).count("executive board") == 1
    plain = translator.translate_document(SENTENCE, "de", "en")
    assert "executive board" not in _translation(plain)  # the document cache told them apart


def test_a_lost_term_is_flagged_and_put_back(tmp_path: Path) -> None:
    translator = _faked(tmp_path, lambda sentence: "The board met yesterday in Berlin.")
    glossary = Glossary("news", "de", "en", {"Siemens": "Siemens"})
    document = translator.translate_document(SENTENCE, "de", "en", glossary=glossary)
    (sentence,) = document.sentences
    assert GLOSSARY in sentence.flags
    assert sentence.translation.count("Siemens") == 1


def test_a_kept_term_is_not_flagged_and_the_engine_sees_a_placeholder(tmp_path: Path) -> None:
    translator = _faked(tmp_path, lambda sentence: sentence.replace("Der Vorstand von", "The board of"))
    glossary = Glossary("news", "de", "en", {"Siemens": "Siemens AG"})
    document = translator.translate_document(SENTENCE, "de", "en", glossary=glossary)
    (sentence,) = document.sentences
    assert sentence.translation.startswith("The board of Siemens AG traf")
    assert GLOSSARY not in sentence.flags
    assert translator.merger.engine.seen == ["Der Vorstand von [X0X] traf sich gestern in Berlin."]  # type: ignore[attr-defined]


def test_terms_match_whole_words_with_case(tmp_path: Path) -> None:
    translator = _faked(tmp_path, lambda sentence: sentence)
    glossary = Glossary("news", "de", "en", {"Bild": "Bild", "Berlin": "Berlin (city)"})
    (text,) = translate_texts(translator, ["Das Bild zeigt bildlich Berliner in Berlin."], "de", "en", glossary)
    assert text == "Das Bild zeigt bildlich Berliner in Berlin (city)."


def test_the_longest_term_wins_and_terms_may_hold_punctuation(tmp_path: Path) -> None:
    translator = _faked(tmp_path, lambda sentence: sentence)
    entries = {"New York": "NY", "New York Times": "NYT", "C++": "C++", "E-Mail": "email", "Mail": "post"}
    glossary = Glossary("tech", "de", "en", entries)
    texts = ["Die New York Times und New York lieben C++ per E-Mail, nicht Mail.", "C+++ und XC++ nicht."]
    assert translate_texts(translator, texts, "de", "en", glossary) == [
        "Die NYT und NY lieben C++ per email, nicht post.",
        "C+++ und XC++ nicht.",
    ]


def test_a_glossary_of_another_pair_is_refused(tmp_path: Path) -> None:
    translator = _faked(tmp_path, lambda sentence: sentence)
    with pytest.raises(InputError, match="fr→en"):
        translate_texts(translator, ["Hallo"], "de", "en", Glossary("fr", "fr", "en", {"a": "b"}))


# --- the command line --------------------------------------------------------------------------------------------


def test_cli_add_import_export_remove(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"TRANSLATOR_DATA_DIR": str(tmp_path / "data")}

    def run(*args: str) -> Result:
        return runner.invoke(main, ["glossary", *args], env=env)

    assert run("add", "news", "Siemens").exit_code == 0
    good = tmp_path / "terms.tsv"
    good.write_text("Vorstand\tboard\n'-los\t'-less\n", encoding="utf-8")
    assert run("import", "news", str(good)).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("Berlin,Berlin\n<b>x</b>,y\n", encoding="utf-8")
    refused = run("import", "news", str(bad))
    assert refused.exit_code == 2
    assert "bad.csv: Line 2: The source term looks like HTML markup" in refused.output
    assert "Nothing was imported" in refused.output
    listing = run("list")
    assert listing.output == "news\tde→en\t3 entries\t1 do-not-translate\n"
    exported = run("export", "news")
    assert exported.output == "'-los,'-less\nSiemens,Siemens\nVorstand,board\n"
    assert run("remove", "news", "Vorstand").exit_code == 0
    assert run("remove", "news", "Vorstand").exit_code == 2
    assert run("remove", "news").exit_code == 0
    assert "No glossary named 'news'" in run("export", "news").output


@pytest.mark.slow
def test_sigkill_in_the_middle_of_an_import_leaves_the_glossary_as_it_was(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = GlossaryStore(data / "glossaries.sqlite3")
    store.add("news", "Siemens", None, "de", "en")
    big = tmp_path / "big.csv"
    big.write_text("".join(f"Begriff{n},term {n}\n" for n in range(100_000)), encoding="utf-8")
    wal = data / "glossaries.sqlite3-wal"
    start = wal.stat().st_size  # the store is open in WAL mode: the file is there
    env = {**os.environ, "TRANSLATOR_DATA_DIR": str(data)}
    process = subprocess.Popen(
        [sys.executable, "-m", "translator", "glossary", "import", "news", str(big)], env=env, cwd=ROOT
    )
    deadline = time.monotonic() + 60
    while wal.stat().st_size < start + 256 * 1024 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)  # the rows are being written inside the transaction
    killed = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert killed, "the import finished before it could be killed: make the file larger"
    assert wal.stat().st_size >= start + 256 * 1024  # killed while writing its rows, not while reading the file
    reopened = GlossaryStore(data / "glossaries.sqlite3")
    assert reopened.require("news").entries == {"Siemens": "Siemens"}


def test_cli_translate_with_a_glossary(tmp_path: Path, model_dir: Path) -> None:
    runner = CliRunner()
    env = {"TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR_MODEL_DIR": str(model_dir)}
    article = tmp_path / "article.txt"
    article.write_text(SENTENCE + "\n", encoding="utf-8")
    assert runner.invoke(main, ["glossary", "add", "news", "Vorstand", "executive board"], env=env).exit_code == 0
    result = runner.invoke(main, ["translate", str(article), "--json", "--glossary", "news"], env=env)
    assert result.exit_code == 0, result.output
    assert '"glossary": "news"' in result.output and result.output.count("executive board") >= 1
    missing = runner.invoke(main, ["translate", str(article), "--glossary", "nope"], env=env)
    assert missing.exit_code == 2 and "No glossary named 'nope'" in missing.output
