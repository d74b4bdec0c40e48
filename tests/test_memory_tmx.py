"""TMX import/export, suggestions (LibreTranslate's /suggest) and their review: CLI, API and the web library."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT
from translator import Settings
from translator.errors import InputError
from translator.storage.keys import KeyStore, key_store_path
from translator.storage.memory import TranslationMemory, memory_path
from translator.tmx import read_tmx, write_tmx

SENTENCE = "Der Konzern wächst schnell."


def tmx(units: list[tuple[str, str]], doctype: str = "", source: str = "de-DE", target: str = "en-GB") -> bytes:
    body = "".join(
        f'<tu><tuv xml:lang="{source}"><seg>{s}</seg></tuv><tuv xml:lang="{target}"><seg>{t}</seg></tuv></tu>'
        for s, t in units
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<tmx version="1.4"><header srclang="{source}" '
        f'segtype="sentence" creationtool="t" creationtoolversion="1" adminlang="en" datatype="plaintext" o-tmf="t"/>'
        f"<body>{body}</body></tmx>"
    ).encode()


def test_tmx_read_languages_inline_codes_and_round_trip(tmp_path: Path) -> None:
    data = tmx([("Guten <bpt i='1'>&lt;b&gt;</bpt>Tag<ept i='1'>&lt;/b&gt;</ept>.", "Good <hi>day</hi>.")])
    assert list(read_tmx(data)) == [("de", "en", "Guten Tag.", "Good day.")]
    memory = TranslationMemory(tmp_path / "memory.sqlite3")
    assert memory.put_many(read_tmx(data), "tmx") == 1
    exported = write_tmx(memory.entries())
    assert list(read_tmx(exported)) == [("de", "en", "Guten Tag.", "Good day.")]
    assert write_tmx(memory.entries()) == exported  # byte-stable
    root = ET.fromstring(exported)
    assert root.get("version") == "1.4" and root.find("body/tu/prop[@type='x-origin']").text == "tmx"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>',  # file disclosure
        '<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',  # entity expansion
        '<!DOCTYPE tmx [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',  # external parameter entity
    ],
)
def test_tmx_with_entities_is_refused_and_nothing_imported(tmp_path: Path, doctype: str) -> None:
    memory = TranslationMemory(tmp_path / "memory.sqlite3")
    with pytest.raises(InputError, match="declares entities"):
        memory.put_many(read_tmx(tmx([("Eins.", "One.")] * 3, doctype)), "tmx")
    assert len(memory) == 0


def test_an_external_dtd_is_not_fetched_and_a_broken_file_imports_nothing(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path / "memory.sqlite3")
    memory.put("de", "en", "Vorher.", "Before.", "edit")
    assert (
        len(list(read_tmx(tmx([("Eins.", "One.")], '<!DOCTYPE tmx SYSTEM "http://example.invalid/tmx14.dtd">')))) == 1
    )
    broken = tmx([(f"Satz {n}.", f"Sentence {n}.") for n in range(2000)])[:-40]  # cut off in the last units
    with pytest.raises(InputError, match="not well-formed"):
        memory.put_many(read_tmx(broken), "tmx")
    assert [entry.source for entry in memory.entries()] == ["Vorher."]  # all or nothing
    with pytest.raises(InputError, match="not a TMX file"):
        list(read_tmx(b"<xliff/>"))


# --- The command line (subprocesses, as users run it).


def run_cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRANSLATOR_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "translator", "memory", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


@pytest.mark.slow
def test_cli_import_export_approve(tmp_path: Path) -> None:
    data = tmp_path / "data"
    source = tmp_path / "in.tmx"
    source.write_bytes(tmx([("Eins.", "One."), ("Zwei.", "Two.")]))
    imported = run_cli("import", str(source), data_dir=data)
    assert imported.returncode == 0 and "Imported 2 translation units" in imported.stdout
    exported = run_cli("export", str(tmp_path / "out.tmx"), data_dir=data)
    assert exported.returncode == 0
    assert sorted(read_tmx((tmp_path / "out.tmx").read_bytes())) == [("de", "en", "Eins.", "One."),
                                                                      ("de", "en", "Zwei.", "Two.")]  # fmt: skip
    evil = tmp_path / "evil.tmx"
    evil.write_bytes(tmx([("Drei.", "Three.")], '<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'))
    refused = run_cli("import", str(evil), data_dir=data)
    assert refused.returncode == 2 and "declares entities" in refused.stderr and "Traceback" not in refused.stderr
    memory = TranslationMemory(memory_path(data))
    number = memory.suggest("de", "en", SENTENCE, "The group grows fast.", "newsroom")
    listed = run_cli("suggestions", data_dir=data)
    assert f"{number}\tde→en (from newsroom)\t{SENTENCE}\tThe group grows fast." in listed.stdout
    assert run_cli("approve", str(number), data_dir=data).returncode == 0
    assert memory.lookup("de", "en", [SENTENCE]) == {SENTENCE: "The group grows fast."}
    again = run_cli("approve", str(number), data_dir=data)
    assert again.returncode == 2 and f"No suggestion with id {number}" in again.stderr


@pytest.mark.slow
def test_sigkill_in_the_middle_of_an_import_leaves_the_memory_as_before(tmp_path: Path) -> None:
    data = tmp_path / "data"
    memory = TranslationMemory(memory_path(data))
    memory.put("de", "en", "Vorher.", "Before.", "edit")
    big = tmp_path / "big.tmx"
    big.write_bytes(tmx([(f"Satz Nummer {n} mit etwas Text.", f"Sentence number {n} with some text.")
                         for n in range(400_000)]))  # fmt: skip
    wal = memory_path(data).with_name("memory.sqlite3-wal")
    start = wal.stat().st_size if wal.exists() else 0
    process = subprocess.Popen(
        [sys.executable, "-m", "translator", "memory", "import", str(big)], cwd=ROOT,
        env={**os.environ, "TRANSLATOR_DATA_DIR": str(data)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not wal.exists() or wal.stat().st_size < start + 4_000_000):
        time.sleep(0.01)  # the import is writing its transaction's pages
    assert process.poll() is None, "the import finished before it could be killed: make the file larger"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    reopened = TranslationMemory(memory_path(data))
    assert [entry.source for entry in reopened.entries()] == ["Vorher."]
    assert reopened.lookup("de", "en", ["Satz Nummer 1 mit etwas Text."]) == {}


# --- LibreTranslate's /suggest and the review list in the web library.


def add_key(settings: Settings, name: str, admin: bool = False) -> str:
    store = KeyStore(key_store_path(settings))
    try:
        return store.add(name, admin=admin)
    finally:
        store.close()


def test_suggest_waits_for_review_then_is_used(client: Any, app: Any) -> None:
    assert client.get("/frontend/settings").get_json()["suggestions"] is True
    response = client.post("/suggest", data={"q": SENTENCE, "s": "The group is growing quickly.", "source": "de",
                                             "target": "en"})  # fmt: skip
    assert response.status_code == 200 and response.get_json() == {"success": True, "approved": False}
    before = client.post("/translate", json={"q": SENTENCE, "source": "de", "target": "en"}).get_json()
    assert before["translatedText"] != "The group is growing quickly."  # not used before approval
    page = client.get("/memory")
    assert page.status_code == 200 and "The group is growing quickly." in page.get_data(as_text=True)
    number = app.extensions["translator_services"].translator.memory.suggestions()[0].id
    assert client.post(f"/memory/suggestions/{number}/approve").status_code == 303
    after = client.post("/translate", json={"q": SENTENCE, "source": "de", "target": "en"}).get_json()
    assert after["translatedText"] == "The group is growing quickly."
    download = client.get("/memory.tmx")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert list(read_tmx(download.data)) == [("de", "en", SENTENCE, "The group is growing quickly.")]
    bad = client.post("/suggest", json={"q": SENTENCE, "s": "x", "source": "auto", "target": "en"})
    assert bad.status_code == 400 and "source language" in bad.get_json()["error"]


def test_an_admin_key_applies_a_suggestion_at_once(make_app: Any, settings: Settings) -> None:
    admin, user = add_key(settings, "chief", admin=True), add_key(settings, "reporter")
    app = make_app(api_keys_required=True)
    client = app.test_client()
    unkeyed = client.post("/suggest", json={"q": SENTENCE, "s": "A.", "source": "de", "target": "en"})
    assert unkeyed.status_code in (400, 403)
    waiting = client.post("/suggest", json={"q": SENTENCE, "s": "B.", "source": "de", "target": "en", "api_key": user})
    assert waiting.get_json() == {"success": True, "approved": False}
    applied = client.post(
        "/suggest", json={"q": SENTENCE, "s": "The group grows.", "source": "de", "target": "en", "api_key": admin}
    )
    assert applied.get_json() == {"success": True, "approved": True}
    memory = app.extensions["translator_services"].translator.memory
    assert memory.lookup("de", "en", [SENTENCE]) == {SENTENCE: "The group grows."}
    assert [(s.translation, s.submitter) for s in memory.suggestions()] == [("B.", "reporter")]
    client.post("/signin", data={"key": user})
    assert client.get("/memory").status_code == 403  # the memory is everyone's: only an admin manages it
