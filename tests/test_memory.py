"""Translation memory and corrections: the store, the engine chain, edits in the reader, exports that mark them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.helpers import run_concurrently
from translator import Settings, Translator
from translator.document import Document
from translator.edits import clean_edit, edit_sentence
from translator.engine import Translation
from translator.errors import InputError
from translator.exports import render
from translator.storage.memory import TranslationMemory, memory_path, normalize_source

XLIFF = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
FIRST = "Alibaba ist auf großem Expansionskurs"  # the seed article's title: block 1, sentence 1
SHARED = "Der Konzern wächst schnell."


def model_calls(translator: Translator, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every sentence that reaches the model (the real engine under the cache and merging), recorded."""
    model = translator.merger.engine
    seen: list[str] = []
    original = model.translate_batch

    def counting(sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        seen.extend(sentences)
        return list(original(sentences, source, target))

    monkeypatch.setattr(model, "translate_batch", counting)
    return seen


def test_keys_are_normalized_and_per_language_pair(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path / "memory.sqlite3")
    memory.put("de", "en", "Gro\u0308ße  Pläne\u00a0heute ", "Big plans today", "edit")  # decomposed ö, odd spaces
    assert normalize_source(" Größe\tPläne ") == "Größe Pläne"
    assert memory.lookup("de", "en", ["Größe Pläne heute"]) == {"Größe Pläne heute": "Big plans today"}
    assert memory.lookup("de", "fr", ["Größe Pläne heute"]) == {}
    before = memory.revision()
    memory.put("de", "en", "Größe Pläne heute", "Grand plans today", "edit")  # the last write wins
    assert memory.revision() > before
    memory.close()
    reopened = TranslationMemory(tmp_path / "memory.sqlite3")  # a restart keeps it
    assert reopened.lookup("de", "en", ["Größe Pläne heute"]) == {"Größe Pläne heute": "Grand plans today"}
    assert len(reopened) == 1


def test_memory_answers_before_the_cache_and_the_model(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    translator = Translator(settings)
    seen = model_calls(translator, monkeypatch)
    cold = translator.translate_document(f"{SHARED} Die Aktie steigt.", "de", "en")
    assert [s.provenance for s in cold.sentences] == ["model", "model"]
    assert translator.memory is not None
    translator.memory.put("de", "en", SHARED, "The group is growing fast.", "edit")
    seen.clear()
    warm = translator.translate_document(f"{SHARED}  Die Aktie steigt.", "de", "en")  # the document cache misses
    assert [s.provenance for s in warm.sentences] == ["memory", "cache"]
    assert warm.sentences[0].translation == "The group is growing fast."
    assert seen == []  # nothing reached the model
    again = translator.translate_document(f"{SHARED}  Die Aktie steigt.", "de", "en")  # whole from the document cache
    assert [s.provenance for s in again.sentences] == ["memory", "cache"]
    stable = json.loads(render(warm, "json").content)
    assert [s["origin"] for s in stable["blocks"][0]["sentences"]] == ["memory", "model"]
    assert "provenance" not in stable["blocks"][0]["sentences"][0]  # run information stays out of exports
    assert render(warm, "json").content == render(again, "json").content


def test_an_edit_changes_the_stored_article_through_the_document_cache(settings: Settings) -> None:
    """An article translated before an edit is translated again after it, not served stale from the cache."""
    translator = Translator(settings)
    text = f"{SHARED} Die Aktie steigt."
    translator.translate_document(text, "de", "en")
    assert translator.memory is not None
    translator.memory.put("de", "en", SHARED, "The group grows.", "edit")
    assert translator.translate_document(text, "de", "en").sentences[0].translation == "The group grows."


def test_edits_are_cleaned_and_bad_ones_refused() -> None:
    assert clean_edit("  A\tsentence\u0007 with\nlines ") == "A sentence with lines"
    for bad in ("", "   \n", "x" * 5001):
        with pytest.raises(InputError):
            clean_edit(bad)


# --- The reader (Flask test client with the real test model).


def services(app: Any) -> Any:
    return app.extensions["translator_services"]


def translated(client: Any, app: Any, text: str) -> str:
    response = client.post("/documents", data={"text": text, "source": "de", "target": "en", "format": "text"})
    assert response.status_code == 303
    doc_id: str = response.headers["Location"].rsplit("/", 1)[1]
    services(app).jobs.wait(doc_id, timeout=120)
    return doc_id


def one(page: BeautifulSoup, css: str) -> Any:
    """The element that must be on the page (typed Any: bs4's precise types add nothing to these assertions)."""
    found = page.select_one(css)
    assert found is not None, css
    return found


def stored_document(app: Any, doc_id: str) -> Document:
    document = services(app).store.get(doc_id).document()
    assert document is not None
    return document


def test_edit_in_the_reader_is_kept_marked_and_reused(
    client: Any, app: Any, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc_id = translated(client, app, seed_text)
    machine = stored_document(app, doc_id).blocks[0].sentences[0].translation
    page = BeautifulSoup(client.get(f"/documents/{doc_id}/blocks/1/edit").get_data(as_text=True), "html.parser")
    assert one(page, "input[name=translation]")["value"] == machine  # the plain form, no script needed
    response = client.post(f"/documents/{doc_id}/sentences/b1-s1", data={"translation": "Alibaba expands  greatly"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/documents/{doc_id}#b1")
    document = stored_document(app, doc_id)
    sentence = document.blocks[0].sentences[0]
    assert (sentence.translation, sentence.origin, sentence.machine) == ("Alibaba expands greatly", "human", machine)
    assert document.blocks[0].translation.startswith("Alibaba expands greatly")  # the block is joined again
    reader = BeautifulSoup(client.get(f"/documents/{doc_id}").get_data(as_text=True), "html.parser")
    edited = one(reader, '.cell.tgt .s[data-pair="b1-s1"]')
    assert edited.get_text() == "Alibaba expands greatly" and "o-human" in edited["class"]
    assert "machine version" in one(reader, "#b1 .tip.people")["aria-label"]
    xliff = ET.fromstring(client.get(f"/documents/{doc_id}/export/xliff").data)
    units = xliff.findall(".//x:trans-unit", XLIFF)
    assert units[0].find("x:target", XLIFF).get("state") == "translated"  # type: ignore[union-attr]
    assert units[0].find("x:alt-trans/x:target", XLIFF).text == machine  # type: ignore[union-attr]
    assert units[1].find("x:target", XLIFF).get("state") == "needs-review-translation"  # type: ignore[union-attr]
    # A second article sharing the sentence takes it from the memory; the model never sees it.
    seen = model_calls(services(app).translator, monkeypatch)
    second = stored_document(app, translated(client, app, f"{FIRST}\n\nEin ganz anderer Absatz folgt hier."))
    assert second.sentences[0].translation == "Alibaba expands greatly"
    assert second.sentences[0].origin == "memory"
    assert FIRST not in seen and seen  # the other sentence did reach it


def test_edit_from_the_script_returns_the_block(client: Any, app: Any) -> None:
    doc_id = translated(client, app, f"{FIRST}\n\n{SHARED}")
    response = client.post(
        f"/documents/{doc_id}/sentences/b2-s1",
        data={"translation": "<script>window.__pwned = 1</script> Grows."},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "<script>" not in html and "&lt;script&gt;" in html  # rendered inert
    fragment = BeautifulSoup(html, "html.parser")
    assert fragment.select_one('.pair#b2 .s.o-human[data-pair="b2-s1"]') is not None
    refused = client.post(
        f"/documents/{doc_id}/sentences/b2-s1", data={"translation": "  "}, headers={"X-Requested-With": "fetch"}
    )
    assert refused.status_code == 400 and "empty" in refused.get_json()["error"]
    missing = client.post(
        f"/documents/{doc_id}/sentences/b9-s1", data={"translation": "x"}, headers={"X-Requested-With": "fetch"}
    )
    assert missing.status_code == 400 and "no block 9" in missing.get_json()["error"]
    assert client.post(f"/documents/{doc_id}/sentences/b1-x", data={"translation": "x"}).status_code == 404


def test_edit_refused_while_the_document_is_being_translated(client: Any, app: Any) -> None:
    doc_id = services(app).store.create(SHARED, "de", "en")  # queued, no job started
    response = client.post(
        f"/documents/{doc_id}/sentences/b1-s1", data={"translation": "x"}, headers={"X-Requested-With": "fetch"}
    )
    assert response.status_code == 409 and "still being translated" in response.get_json()["error"]
    page = client.post(f"/documents/{doc_id}/sentences/b1-s1", data={"translation": "x"})
    assert page.status_code == 409 and "still being translated" in page.get_data(as_text=True)
    assert client.get(f"/documents/{doc_id}/blocks/1/edit").status_code == 409


def test_edit_needs_the_csrf_token(make_app: Any, settings: Settings) -> None:
    from app import create_app

    application = create_app({"TRANSLATOR_SETTINGS": settings, "TESTING": True, "RESUME_JOBS": False})
    try:
        doc_id = services(application).store.create(SHARED, "de", "en")
        response = application.test_client().post(f"/documents/{doc_id}/sentences/b1-s1", data={"translation": "x"})
        assert response.status_code == 400 and "security token" in response.get_data(as_text=True)
    finally:
        services(application).jobs.shutdown(wait=True)


def test_concurrent_edits_last_write_wins_and_nothing_is_lost(client: Any, app: Any) -> None:
    doc_id = translated(client, app, f"{SHARED} Die Aktie steigt. Der Markt reagiert.")
    store, memory = services(app).store, services(app).translator.memory
    texts = [f"Version {n}." for n in range(12)]

    def edit(number: int) -> None:
        pair = "b1-s1" if number < 12 else f"b1-s{number - 10}"  # 12 writers of one sentence, 2 of the others
        edit_sentence(store, memory, doc_id, pair, texts[number] if number < 12 else f"Other {number}.")

    assert run_concurrently(edit, 14) == []
    document = stored_document(app, doc_id)
    first = document.sentences[0]
    assert first.translation in texts and first.origin == "human"
    assert memory.lookup("de", "en", [SHARED]) == {SHARED: first.translation}  # the same write won in both
    assert [s.translation for s in document.sentences[1:]] == ["Other 12.", "Other 13."]  # no edit lost
    assert document.blocks[0].translation == " ".join(s.translation for s in document.sentences)


def test_memory_file_is_in_the_data_directory(settings: Settings) -> None:
    translator = Translator(settings)
    assert translator.memory is not None and translator.memory.path == memory_path(settings.data_dir)
    assert Translator(settings.with_overrides(memory=False)).memory is None


def test_document_api_edits_a_sentence(client: Any, app: Any) -> None:
    created = client.post("/api/v1/documents", json={"text": f"{FIRST}\n\n{SHARED}", "source": "de"})
    assert created.status_code == 201
    doc_id = created.get_json()["id"]
    response = client.put(f"/api/v1/documents/{doc_id}/sentences/b2-s1", json={"translation": "The group grows."})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["origin"] == "human" and body["machine"] and body["block_translation"] == "The group grows."
    result = client.get(f"/api/v1/documents/{doc_id}/result").get_json()
    assert result["blocks"][1]["sentences"][0]["provenance"] == "human"
    assert client.put(f"/api/v1/documents/{doc_id}/sentences/b2-s1", json={"translation": ""}).status_code == 400
    missing = client.put("/api/v1/documents/0000/sentences/b1-s1", json={"translation": "x"})
    assert missing.status_code == 404 and "error" in missing.get_json()
    queued = services(app).store.create(SHARED, "de", "en")
    busy = client.put(f"/api/v1/documents/{queued}/sentences/b1-s1", json={"translation": "x"})
    assert busy.status_code == 409 and "still being translated" in busy.get_json()["error"]


def test_a_damaged_memory_file_stops_the_memory_not_translation(settings: Settings) -> None:
    from tests.helpers import overwrite_pages

    first = Translator(settings)
    assert first.memory is not None
    first.memory.put("de", "en", SHARED, "The group grows.", "edit")
    first.memory.close()
    overwrite_pages(first.memory.path, first=0)  # 'file is not a database'
    translator = Translator(settings)
    document = translator.translate_document(SHARED, "de", "en")
    assert document.sentences[0].provenance == "model" and document.sentences[0].translation
    assert translator.memory is not None and "translation memory" in (translator.memory.problem() or "")


def test_ready_names_a_damaged_memory(make_app: Any, settings: Settings) -> None:
    from tests.helpers import overwrite_pages

    memory = TranslationMemory(memory_path(settings.data_dir))
    memory.put("de", "en", SHARED, "The group grows.", "edit")
    memory.close()
    overwrite_pages(memory.path, first=0)
    ready = make_app().test_client().get("/ready")
    assert ready.status_code == 200 and ready.get_json()["status"] == "degraded"
    assert "translation memory" in ready.get_json()["degraded"]["memory"]


def test_editing_follows_document_ownership(make_app: Any, settings: Settings) -> None:
    from translator.storage.keys import KeyStore, key_store_path

    store = KeyStore(key_store_path(settings))
    owner, other, admin = store.add("owner"), store.add("other"), store.add("chief", admin=True)
    store.close()
    client = make_app(api_keys_required=True).test_client()
    created = client.post("/api/v1/documents", json={"text": SHARED, "source": "de", "api_key": owner})
    doc_id = created.get_json()["id"]
    url = f"/api/v1/documents/{doc_id}/sentences/b1-s1"
    assert client.put(url, json={"translation": "Theirs.", "api_key": other}).status_code == 404
    assert client.put(url, json={"translation": "Mine."}).status_code == 403
    assert client.put(url, json={"translation": "Mine.", "api_key": owner}).get_json()["translation"] == "Mine."
    assert client.put(url, json={"translation": "Chief's.", "api_key": admin}).status_code == 200
    client.post("/signin", data={"key": other})
    assert client.post(f"/documents/{doc_id}/sentences/b1-s1", data={"translation": "x"}).status_code == 404
