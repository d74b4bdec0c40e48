"""The native document API takes files as multipart/form-data: stored documents, given back in their own format."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import polib
from bs4 import BeautifulSoup

from tests.helpers import LETTER, letter_docx, messages_po, zip_of
from translator import Settings
from translator.storage.keys import KeyStore, key_store_path


def _services(app: Any) -> Any:
    return app.extensions["translator_services"]


def _send(client: Any, data: bytes, name: str, **fields: str) -> Any:
    form = {"source": "de", "target": "en", **fields, "file": (io.BytesIO(data), name)}
    return client.post("/api/v1/documents", data=form, content_type="multipart/form-data")


def _done(client: Any, app: Any, data: bytes, name: str, **fields: str) -> dict[str, Any]:
    """Send a file as a job, wait for it; its status."""
    response = _send(client, data, name, **{"async": "true", **fields})
    assert response.status_code == 202, response.get_json()
    doc_id = response.get_json()["id"]
    _services(app).jobs.wait(doc_id, timeout=120)
    status: dict[str, Any] = client.get(f"/api/v1/documents/{doc_id}").get_json()
    assert status["status"] == "done"
    return status


def test_docx_job_reader_and_translated_file(client: Any, app: Any) -> None:
    status = _done(client, app, letter_docx(), "brief.docx")
    doc_id = status["id"]
    url = f"/api/v1/documents/{doc_id}/file"
    assert status["file"] == {"name": "brief.docx", "translated_name": "brief.en.docx", "url": url}
    assert status["links"]["file"] == url and status["title"]
    result = client.get(status["links"]["result"]).get_json()
    assert result["file"] == status["file"]
    translations = [block["translation"] for block in result["blocks"]]
    page: Any = BeautifulSoup(client.get(f"/documents/{doc_id}").get_data(as_text=True), "html.parser")
    pairs = page.select(".pairs > .pair")
    assert [pair.select_one(".src").get_text(" ", strip=True) for pair in pairs] == [
        LETTER[0], f"{LETTER[1]} {LETTER[2]}", LETTER[3], LETTER[4]
    ]  # fmt: skip
    assert [pair.select_one(".tgt").get_text(" ", strip=True) for pair in pairs] == translations
    download = client.get(url)
    assert download.status_code == 200 and download.headers["Content-Disposition"] == (
        "attachment; filename=brief.en.docx"
    )
    assert download.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    translated = docx.Document(io.BytesIO(download.data))
    texts = [p.text for p in translated.paragraphs] + [translated.tables[0].cell(0, 0).text]
    assert len(translated.paragraphs) == 3 and [texts[0], texts[1], texts[3]] == [
        translations[0], translations[1], translations[3]
    ]  # fmt: skip
    assert client.get(url).data == download.data  # byte-stable


def test_po_translated_in_the_request(client: Any, app: Any) -> None:
    response = _send(client, messages_po(), "messages.pot", title="Menüs")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["title"] == "Menüs" and body["file"]["translated_name"] == "messages.en.po"
    assert [block["source"] for block in body["document"]["blocks"]][:2] == ["Die Datei %s wurde gelöscht.", "Öffnen"]
    download = client.get(body["links"]["file"])
    assert download.headers["Content-Disposition"] == "attachment; filename=messages.en.po"
    translated = polib.pofile(download.get_data(as_text=True))
    assert [e.msgid for e in translated] == [e.msgid for e in polib.pofile(messages_po().decode())]
    assert translated[0].msgstr.count("%s") == 1 and translated[1].msgctxt == "menu" and translated[1].msgstr


def test_a_correction_through_the_api_is_in_the_file(client: Any, app: Any) -> None:
    status = _done(client, app, letter_docx(), "brief.docx")
    result = client.get(status["links"]["result"]).get_json()
    pair = next(
        f"b{number}-s{index}"
        for number, block in enumerate(result["blocks"], start=1)
        for index, sentence in enumerate(block["sentences"], start=1)
        if sentence["source"] == LETTER[2]
    )
    edit = client.put(f"/api/v1/documents/{status['id']}/sentences/{pair}", json={"translation": "Work starts in May."})
    assert edit.status_code == 200, edit.get_json()
    paragraph = docx.Document(io.BytesIO(client.get(status["links"]["file"]).data)).paragraphs[1].text
    assert paragraph.endswith(" Work starts in May.")


def test_a_correction_next_to_a_placeholder_is_in_the_catalogue(client: Any, tmp_path: Path) -> None:
    body = _send(client, messages_po(), "messages.po").get_json()
    edit = client.put(f"/api/v1/documents/{body['id']}/sentences/b1-s1", json={"translation": "File %s was deleted."})
    assert edit.status_code == 200 and edit.get_json()["source"] == "Die Datei %s wurde gelöscht."
    catalogue = tmp_path / "messages.en.po"
    catalogue.write_bytes(client.get(body["links"]["file"]).data)
    corrected, untouched = polib.pofile(str(catalogue))[:2]
    assert corrected.msgstr == "File %s was deleted."
    assert not corrected.fuzzy and untouched.fuzzy  # a person's translation needs no review; the model's does
    check = subprocess.run(["msgfmt", "-c", "--use-fuzzy", "-o", "/dev/null", str(catalogue)], capture_output=True)
    assert check.returncode == 0, check.stderr.decode()


def test_plain_article_files_are_read_as_articles(client: Any) -> None:
    response = _send(client, "# Neue Brücke\n\nDie Stadt baut eine Brücke.".encode(), "notiz.md")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["file"] is None and "file" not in body["links"]
    assert [block["source"] for block in body["document"]["blocks"]] == ["Neue Brücke", "Die Stadt baut eine Brücke."]
    assert client.get(f"/api/v1/documents/{body['id']}/file").status_code == 404


def test_another_key_cannot_see_the_file(make_app: Callable[..., Any], settings: Settings) -> None:
    keys = KeyStore(key_store_path(settings))
    alice, bob = keys.add("alice"), keys.add("bob")
    keys.close()
    app = make_app(api_keys_required=True)
    client = app.test_client()
    created = _send(client, messages_po(), "messages.po", api_key=alice)  # a form field, as LibreTranslate takes it
    assert created.status_code == 201, created.get_json()
    url = created.get_json()["links"]["file"]
    assert client.get(url, headers={"X-API-Key": alice}).status_code == 200
    foreign = client.get(url, headers={"X-API-Key": bob})
    assert foreign.status_code == 404 and "error" in foreign.get_json()


def test_deleting_removes_the_stored_file(client: Any, app: Any) -> None:
    doc_id = _send(client, messages_po(), "messages.po").get_json()["id"]
    assert _services(app).store.original(doc_id) == messages_po()
    assert client.delete(f"/api/v1/documents/{doc_id}").status_code == 204
    assert _services(app).store.original(doc_id) is None
    assert client.get(f"/api/v1/documents/{doc_id}/file").status_code == 404


def test_file_of_an_unfinished_job_is_409(client: Any, app: Any) -> None:
    queued = _services(app).store.create(LETTER[1], "de", "en", original=("brief.docx", letter_docx()))
    response = client.get(f"/api/v1/documents/{queued}/file")
    assert response.status_code == 409 and "queued" in response.get_json()["error"]


def test_refused_files_are_json_errors_and_leave_nothing(make_app: Callable[..., Any]) -> None:
    app = make_app(upload_max_bytes=100_000)
    bomb = zip_of({"word/document.xml": b"<a/>", "word/media/huge.bin": b"\0" * (30 * 1024 * 1024)})
    entities = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xliff version="1.2">&a;</xliff>'
    client = app.test_client()
    cases = [
        (b"MZ\x90\x00" + b"\0" * 200, "bericht.docx", {}, 400, "Windows program"),
        (b"PK\x03\x04 not really a zip", "folien.pptx", {}, 400, "not a valid .pptx"),
        (bomb, "bombe.docx", {}, 400, "zip bomb"),
        (entities, "texte.xlf", {}, 400, "DTD or entities"),
        (b'msgid "a\nmsgstr', "kaputt.po", {}, 400, "not a valid gettext file"),
        (b"", "leer.docx", {}, 400, "leer.docx is empty"),
        (b"", "leer.txt", {}, 400, "empty"),
        (b"%PDF-1.7", "bericht.pdf", {}, 415, "unsupported file type"),
        (messages_po(), "messages.po", {"text": "Ein Satz."}, 400, "only one of them"),
        (b"x" * 120_000, "gross.txt", {}, 413, "Request body too large"),
    ]
    for data, name, fields, code, reason in cases:
        response = _send(client, data, name, **fields)
        assert response.status_code == code and reason in response.get_json()["error"], (name, response.get_json())
    assert _services(app).store.recent() == []


def test_openapi_documents_the_upload(client: Any) -> None:
    operation = client.get("/openapi.json").get_json()["paths"]["/api/v1/documents"]["post"]
    content = operation["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(content)
    assert "application/x-www-form-urlencoded" not in content  # a file cannot be sent URL-encoded
    download = client.get("/openapi.json").get_json()["paths"]["/api/v1/documents/{doc_id}/file"]["get"]
    assert {"200", "404", "409"} <= set(download["responses"])
    schemas = client.get("/openapi.json").get_json()["components"]["schemas"]
    upload = schemas[content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]]["properties"]["file"]
    assert {"type": "string", "format": "binary"} in upload.get("anyOf", [upload])
