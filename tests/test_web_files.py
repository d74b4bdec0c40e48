"""The web form takes documents too: stored like an article, read side by side, given back in their own format."""

from __future__ import annotations

import io
import sqlite3
from typing import Any

import docx
import polib
from bs4 import BeautifulSoup

from tests.helpers import LETTER, letter_docx, messages_po


def _services(app: Any) -> Any:
    return app.extensions["translator_services"]


def _upload(client: Any, data: bytes, name: str, **fields: str) -> Any:
    form = {"text": "", "source": "de", "target": "en", **fields, "file": (io.BytesIO(data), name)}
    return client.post("/documents", data=form, content_type="multipart/form-data")


def _translated(client: Any, app: Any, data: bytes, name: str) -> str:
    """Upload a file through the form, wait for its job; the document id."""
    response = _upload(client, data, name)
    assert response.status_code == 303, response.get_data(as_text=True)
    doc_id: str = response.headers["Location"].rsplit("/", 1)[1]
    _services(app).jobs.wait(doc_id, timeout=120)
    assert _services(app).store.get(doc_id).status == "done"
    return doc_id


def _reader(client: Any, doc_id: str) -> Any:
    return BeautifulSoup(client.get(f"/documents/{doc_id}").get_data(as_text=True), "html.parser")


def _columns(page: Any) -> list[tuple[str, str]]:
    """(original, translation) of every block the reader shows."""
    return [
        (pair.select_one(".src").get_text(" ", strip=True), pair.select_one(".tgt").get_text(" ", strip=True))
        for pair in page.select(".pairs > .pair")
    ]


def test_docx_is_read_side_by_side_and_given_back_as_docx(client: Any, app: Any) -> None:
    doc_id = _translated(client, app, letter_docx(), "brief.docx")
    assert _services(app).store.get(doc_id).title == "brief.docx"  # in the library, by its name
    page = _reader(client, doc_id)
    columns = _columns(page)
    assert [original for original, _ in columns] == [LETTER[0], f"{LETTER[1]} {LETTER[2]}", LETTER[3], LETTER[4]]
    assert all(translation and translation != original for original, translation in columns)
    link = page.select_one('.exports a[data-format="file"]')
    assert link is not None and link.get_text(strip=True) == "brief.en.docx (translated file)"
    download = client.get(link["href"])
    assert (
        download.status_code == 200 and download.headers["Content-Disposition"] == "attachment; filename=brief.en.docx"
    )
    assert client.get(link["href"]).data == download.data  # byte-stable
    source, translated = docx.Document(io.BytesIO(letter_docx())), docx.Document(io.BytesIO(download.data))
    assert [p.style.name for p in translated.paragraphs if p.style] == [
        p.style.name for p in source.paragraphs if p.style
    ]
    texts = [p.text for p in translated.paragraphs] + [translated.tables[0].cell(0, 0).text]
    # Paragraphs without inline formatting hold exactly the reader's translation; the bold word stays bold.
    assert [texts[0], texts[1], texts[3]] == [columns[0][1], columns[1][1], columns[3][1]]
    assert texts[2] and texts[2] != LETTER[3] and any(run.bold for run in translated.paragraphs[2].runs)


def test_po_is_read_side_by_side_and_given_back_as_po(client: Any, app: Any) -> None:
    doc_id = _translated(client, app, messages_po(), "messages.po")
    columns = _columns(_reader(client, doc_id))
    assert [original for original, _ in columns] == [
        "Die Datei %s wurde gelöscht.", "Öffnen", "Eine Nachricht", "%d Nachrichten"
    ]  # fmt: skip
    download = client.get(f"/documents/{doc_id}/file")
    assert download.status_code == 200 and download.headers["Content-Disposition"].endswith("filename=messages.en.po")
    source, translated = polib.pofile(messages_po().decode()), polib.pofile(download.get_data(as_text=True))
    assert [(e.msgctxt, e.msgid, e.msgid_plural) for e in translated] == [
        (e.msgctxt, e.msgid, e.msgid_plural) for e in source
    ]
    assert translated[0].msgstr.count("%s") == 1 and translated[0].fuzzy
    assert translated[1].msgstr and all(translated[2].msgstr_plural.values())


def test_a_correction_in_the_reader_is_in_the_downloaded_file(client: Any, app: Any) -> None:
    doc_id = _translated(client, app, letter_docx(), "brief.docx")
    before = docx.Document(io.BytesIO(client.get(f"/documents/{doc_id}/file").data)).paragraphs[1].text
    pair = next(s["data-pair"] for s in _reader(client, doc_id).select(".src .s") if s.get_text() == LETTER[1])
    saved = client.post(f"/documents/{doc_id}/sentences/{pair}", data={"translation": "The town builds a bridge."})
    assert saved.status_code == 303
    after = docx.Document(io.BytesIO(client.get(f"/documents/{doc_id}/file").data)).paragraphs[1].text
    assert after.startswith("The town builds a bridge. ") and not before.startswith("The town builds a bridge.")


def test_a_correction_of_a_formatted_sentence_is_in_the_file_with_its_formatting(client: Any, app: Any) -> None:
    """The reader shows "Die Kosten sind sehr hoch." without its bold word; the correction still reaches the file."""
    doc_id = _translated(client, app, letter_docx(), "brief.docx")
    pair = next(s["data-pair"] for s in _reader(client, doc_id).select(".src .s") if s.get_text() == LETTER[3])
    assert (
        client.post(f"/documents/{doc_id}/sentences/{pair}", data={"translation": "Costs are very high."}).status_code
        == 303
    )
    paragraph = docx.Document(io.BytesIO(client.get(f"/documents/{doc_id}/file").data)).paragraphs[2]
    assert paragraph.text == "Costs are very high." and any(run.bold and run.text.strip() for run in paragraph.runs)


def test_not_ready_and_articles_have_no_translated_file(client: Any, app: Any) -> None:
    store = _services(app).store
    queued = store.create(LETTER[1], "de", "en", original=("brief.docx", letter_docx()))  # no job: stays queued
    assert client.get(f"/documents/{queued}/file").status_code == 409
    page = _reader(client, queued)
    assert page.select_one(".exports.not-ready a[data-format='file']") is not None
    article = store.create(LETTER[1], "de", "en")
    assert client.get(f"/documents/{article}/file").status_code == 404
    assert _reader(client, article).select_one("a[data-format='file']") is None


def test_deleting_the_document_deletes_the_stored_file(client: Any, app: Any) -> None:
    store = _services(app).store
    doc_id = _translated(client, app, messages_po(), "messages.po")
    assert store.original(doc_id) == messages_po()
    assert client.post(f"/documents/{doc_id}/delete").status_code == 303
    assert store.original(doc_id) is None and client.get(f"/documents/{doc_id}/file").status_code == 404
    with sqlite3.connect(store.path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM originals").fetchone()[0] == 0


def test_form_refuses_a_bad_document_with_its_reason(client: Any, app: Any) -> None:
    page = _upload(client, b"MZ" + b"\0" * 64, "bericht.docx")
    assert page.status_code == 400
    assert "is a Windows program, not a document" in page.get_data(as_text=True)
    assert _services(app).store.recent() == []


def test_form_refuses_a_file_and_text_together(client: Any, app: Any) -> None:
    page = _upload(client, messages_po(), "messages.po", text="Ein Satz.")
    assert page.status_code == 400 and "only one of them" in page.get_data(as_text=True)
    assert _services(app).store.recent() == []
