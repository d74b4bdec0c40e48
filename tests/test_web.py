"""The browser side through Flask's test client: every route, bad input, escaping, exports, CSRF."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.helpers import FIXTURES, HOSTILE
from tests.test_pipeline import SEED_KINDS
from translator import Document, Settings, Translator

EXPORTS = {
    "html": ("text/html", ".html"),
    "md": ("text/markdown", ".md"),
    "tsv": ("text/tab-separated-values", ".tsv"),
    "json": ("application/json", ".json"),
    "xliff": ("application/x-xliff+xml", ".xlf"),
}


def services(app: Any) -> Any:
    return app.extensions["translator_services"]


def submit(client: Any, app: Any, text: str, **fields: str) -> str:
    """Paste an article, follow nothing, wait for its job; returns the document id."""
    data = {"text": text, "source": "auto", "target": "en", "format": "text", **fields}
    response = client.post("/documents", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    doc_id: str = response.headers["Location"].rsplit("/", 1)[1]
    services(app).jobs.wait(doc_id, timeout=120)
    return doc_id


def soup(response: Any) -> Any:
    """The parsed page (typed Any: bs4's precise types add nothing to these assertions)."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.fixture
def seed_id(client: Any, app: Any, seed_text: str) -> str:
    """The seed article, translated in this test's own app (for tests that change it)."""
    return submit(client, app, seed_text)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory, model_dir: Any, seed_text: str) -> Iterator[tuple[Any, str]]:
    """One app with the seed article translated, shared by the tests that only read it (saves a model load each)."""
    from app import create_app

    settings = Settings(data_dir=tmp_path_factory.mktemp("web") / "data", model_dir=model_dir)
    application = create_app({"TRANSLATOR_SETTINGS": settings, "TESTING": True, "WTF_CSRF_ENABLED": False})
    doc_id = submit(application.test_client(), application, seed_text)
    yield application, doc_id
    services(application).jobs.shutdown()


@pytest.fixture
def reader_client(shared: tuple[Any, str]) -> Any:
    return shared[0].test_client()


@pytest.fixture
def shared_id(shared: tuple[Any, str]) -> str:
    return shared[1]


# --- Home page and submission -------------------------------------------------------------------


def test_home_offers_installed_languages_and_a_form(client: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = soup(response)
    form = page.select_one("form.compose-form")
    assert form is not None and form["method"] == "post" and form["enctype"] == "multipart/form-data"
    assert form.select_one('input[name="csrf_token"]') is not None
    assert [o["value"] for o in page.select("#source option")] == ["auto", "de"]
    assert page.select_one("#source option[selected]")["value"] == "auto"
    assert [o["value"] for o in page.select("#target option")] == ["en"]
    assert page.select_one("#detected") is not None and "2 MB" in page.get_text()


def test_paste_redirects_to_the_reader_with_nine_aligned_blocks(reader_client: Any, shared_id: str) -> None:
    response = reader_client.get(f"/documents/{shared_id}")
    assert response.status_code == 200
    page = soup(response)
    pairs = page.select(".pairs > .pair")
    assert [p["data-kind"] for p in pairs] == SEED_KINDS
    for pair in pairs:
        assert pair["data-state"] == "ready"
        source, target = pair.select_one(".src"), pair.select_one(".tgt")
        assert source is not None and target is not None and source["lang"] == "de" and target["lang"] == "en"
        source_pairs = [s["data-pair"] for s in source.select(".s")]
        assert source_pairs and source_pairs == [s["data-pair"] for s in target.select(".s")]
        assert all(p.startswith(f"b{pair['data-block']}-s") for p in source_pairs)
    assert len(page.select(".src .s")) == 25 and page.select_one(".src .s").get_text() == (
        "Alibaba ist auf großem Expansionskurs"
    )
    assert page.select_one(".k-title .src")["aria-level"] == "1"
    footer = page.select_one(".doc-footer")
    assert footer is not None and footer.select_one(".model").get_text() == "translate-de_en-test"
    assert "version 1.0" in footer.get_text() and re.search(r"in \d+(\.\d+)? s", footer.get_text())
    assert "detected" in page.select_one(".col-src").get_text()
    assert page.select_one("#live")["data-status"] == "done"
    assert page.select_one(".exports.not-ready") is None


def test_reader_marks_detection_and_flags_quietly(reader_client: Any, shared_id: str) -> None:
    page = soup(reader_client.get(f"/documents/{shared_id}"))
    detections = page.select(".gutter .tip.det")
    assert len(detections) == 9 and all(d["data-tip"] and d["aria-label"] for d in detections)
    assert "too short" in page.select_one("#b2 .tip.det")["data-tip"].lower()
    flagged = page.select(".tgt .s.flagged")
    flags = page.select(".gutter .tip.flag")
    assert flagged and flags  # the random model drops numbers: "missing number" flags exist
    assert all("Sentence" in f["data-tip"] for f in flags)


def test_view_toggle_links_and_parameter(reader_client: Any, shared_id: str) -> None:
    page = soup(reader_client.get(f"/documents/{shared_id}?view=translation"))
    assert "view-translation" in page.select_one("#reader")["class"]
    assert page.select_one('.views [aria-current="true"]')["data-view"] == "translation"
    assert [a["href"] for a in page.select(".views a")] == ["?view=both", "?view=original", "?view=translation"]
    bogus = soup(reader_client.get(f"/documents/{shared_id}?view=<script>"))
    assert "view-both" in bogus.select_one("#reader")["class"]


@pytest.mark.parametrize(
    ("filename", "content", "kind"),
    [
        ("artikel.txt", "Die Stadt baut eine neue Brücke über den Fluss.\n\nDie Arbeiten beginnen im Mai.", "text"),
        ("artikel.md", "# Neue Brücke\n\nDie Stadt baut eine neue Brücke über den Fluss.", "markdown"),
        (
            "artikel.html",
            "<html><head><title>Neue Brücke</title><script>alert(1)</script></head><body><article>"
            "<h1>Neue Brücke</h1><p>Die Stadt baut eine neue Brücke über den Fluss.</p></article></body></html>",
            "html",
        ),
    ],
)
def test_upload_of_each_file_type(client: Any, app: Any, filename: str, content: str, kind: str) -> None:
    data = {"text": "", "source": "auto", "target": "en", "file": (io.BytesIO(content.encode()), filename)}
    response = client.post("/documents", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    doc_id = response.headers["Location"].rsplit("/", 1)[1]
    services(app).jobs.wait(doc_id, timeout=120)
    stored = services(app).store.get(doc_id)
    assert stored.status == "done" and stored.input_format == kind and "alert" not in stored.text
    page = soup(client.get(f"/documents/{doc_id}"))
    assert page.select_one(".pair .src").get_text().startswith(("Die Stadt", "Neue Brücke"))


def test_explicit_source_language(client: Any, app: Any, seed_text: str) -> None:
    doc_id = submit(client, app, seed_text, source="de")
    page = soup(client.get(f"/documents/{doc_id}"))
    assert "chosen by you" in page.select_one(".col-src").get_text()
    assert len(page.select(".pair")) == 9


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Paste an article"),
        ({"text": "   \n\n  "}, "Paste an article"),
        ({"text": "Ein Satz, der lang genug ist.", "target": "xx"}, "No installed model translates into"),
        ({"text": "Ein Satz, der lang genug ist.", "source": "fr"}, "No installed model translates French"),
        ({"text": "Ein Satz, der lang genug ist.", "format": "pdf"}, "Unknown text format"),
        ({"text": "<html><script>x()</script></html>", "format": "html"}, "no article text"),
    ],
)
def test_bad_form_input_rerenders_home_with_400(client: Any, data: dict[str, str], message: str) -> None:
    form = {"source": "auto", "target": "en", "format": "text", **data}
    response = client.post("/documents", data=form)
    assert response.status_code == 400
    page = soup(response)
    assert message in page.select_one('.alert[role="alert"]').get_text()
    assert page.select_one("form.compose-form") is not None
    assert page.select_one("#text").get_text() == form["text"]  # the text is kept


@pytest.mark.parametrize(
    ("filename", "payload", "message"),
    [
        ("latin1.txt", "Die Brücke über den Fluß wird größer.".encode("latin-1"), "is not UTF-8"),
        ("empty.txt", b"", "is empty"),
        ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 20, "binary"),
        ("article.pdf", b"%PDF-1.4 ...", "unsupported file type"),
    ],
)
def test_bad_upload_gets_a_clear_message(client: Any, filename: str, payload: bytes, message: str) -> None:
    data = {"text": "", "source": "auto", "target": "en", "file": (io.BytesIO(payload), filename)}
    response = client.post("/documents", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    alert = soup(response).select_one('.alert[role="alert"]')
    assert alert is not None and message in alert.get_text() and filename in alert.get_text()


def test_text_and_file_together_are_refused(client: Any) -> None:
    data = {"text": "Ein Satz.", "source": "auto", "target": "en", "file": (io.BytesIO(b"Noch einer."), "a.txt")}
    response = client.post("/documents", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and "only one of them" in response.get_data(as_text=True)


def test_oversized_upload_is_refused_with_a_friendly_413(client: Any) -> None:
    big = b"Ein Satz \xc3\xbcber nichts. " * (2 * 1024 * 1024 // 20)
    data = {"text": "", "source": "auto", "target": "en", "file": (io.BytesIO(big), "big.txt")}
    response = client.post("/documents", data=data, content_type="multipart/form-data")
    assert response.status_code == 413 and response.mimetype == "text/html"
    page = soup(response)
    assert page.select_one("h1").get_text() == "Too large" and "2 MB" in page.get_text()


def test_upload_limit_is_configurable(settings: Settings) -> None:
    from app import create_app

    small = create_app(
        {
            "TRANSLATOR_SETTINGS": settings.with_overrides(upload_max_bytes=1000),
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
        }
    )
    try:
        response = small.test_client().post("/documents", data={"text": "x" * 2000, "target": "en"})
        assert response.status_code == 413 and "1000 bytes" in response.get_data(as_text=True)
        assert "up to 1000 bytes" in small.test_client().get("/").get_data(as_text=True)
    finally:
        services(small).jobs.shutdown()


def test_too_many_characters_is_refused_before_a_job(settings: Settings) -> None:
    from app import create_app

    tiny = create_app(
        {"TRANSLATOR_SETTINGS": settings.with_overrides(max_chars=50), "TESTING": True, "WTF_CSRF_ENABLED": False}
    )
    try:
        response = tiny.test_client().post("/documents", data={"text": "Ein Satz. " * 10, "target": "en"})
        assert response.status_code == 400 and "the limit is 50" in response.get_data(as_text=True)
        assert services(tiny).store.recent() == []
    finally:
        services(tiny).jobs.shutdown()


# --- Not found, errors, JSON for API paths ------------------------------------------------------


def test_unknown_document_is_a_404_page(client: Any) -> None:
    for path in ("/documents/doesnotexist", "/documents/doesnotexist/live", "/documents/doesnotexist/export/tsv"):
        response = client.get(path)
        assert response.status_code == 404 and response.mimetype == "text/html", path
        assert soup(response).select_one("h1").get_text() == "Not found"
    for path in ("/documents/doesnotexist/retranslate", "/documents/doesnotexist/delete", "/documents/x/cancel"):
        assert client.post(path).status_code == 404
    status = client.get("/documents/doesnotexist/status")
    assert status.status_code == 404 and status.is_json and "error" in status.json


def test_unknown_page_is_html_but_api_paths_get_json(client: Any) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404 and page.mimetype == "text/html" and "Not found" in page.get_data(as_text=True)
    api = client.get("/api/no-such-endpoint-for-the-reader-test")
    assert api.status_code == 404 and api.is_json and "error" in api.json


def test_api_paths_get_json_413(settings: Settings) -> None:
    from flask import request

    from app import create_app

    application = create_app(
        {
            "TRANSLATOR_SETTINGS": settings.with_overrides(upload_max_bytes=100),
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
        }
    )
    application.add_url_rule("/api/reader-test-echo", "echo", lambda: request.get_data(), methods=["POST"])
    try:
        response = application.test_client().post("/api/reader-test-echo", data=b"x" * 500)
        assert response.status_code == 413 and response.is_json
        assert "100 bytes" in response.get_json()["error"]
    finally:
        services(application).jobs.shutdown()


def test_wrong_method_is_a_405_page(reader_client: Any, shared_id: str) -> None:
    response = reader_client.get(f"/documents/{shared_id}/delete")
    assert response.status_code == 405 and response.mimetype == "text/html"


# --- Status, live fragment, partial documents ---------------------------------------------------


def test_status_json(reader_client: Any, shared_id: str) -> None:
    status = reader_client.get(f"/documents/{shared_id}/status")
    assert status.status_code == 200 and status.is_json
    data = status.json
    assert data["status"] == "done" and data["progress"] == 100.0
    assert data["done_sentences"] == data["total_sentences"] == 25
    assert data["source_language"] == "de" and data["title"] == "Alibaba ist auf großem Expansionskurs"


def test_live_fragment_is_the_changing_part(reader_client: Any, shared_id: str) -> None:
    response = reader_client.get(f"/documents/{shared_id}/live")
    assert response.status_code == 200
    page = soup(response)
    live = page.select_one("#live")
    assert live is not None and live["data-status"] == "done" and live["data-ready"] == "9"
    assert len(page.select(".pair")) == 9 and page.select_one("html") is None  # a fragment, not a page


@pytest.fixture
def half_done(translator: Translator, seed_text: str) -> tuple[Document, int]:
    """The seed document as a job stores it after 10 of its 25 sentences."""
    snapshots: dict[int, dict[str, Any]] = {}

    def keep(document: Document, done: int, total: int) -> None:
        snapshots.setdefault(done, document.to_dict())

    translator.translate_document(seed_text, progress_slice=5, partial=keep)
    return Document.from_dict(json.loads(json.dumps(snapshots[10]))), 10


def test_running_job_shows_progress_and_finished_blocks(client: Any, app: Any, half_done: tuple[Document, int]) -> None:
    document, done = half_done
    store = services(app).store
    doc_id = store.create("Text.", "auto", "en", "text", "Provisional")  # never submitted: stays as we set it
    store.mark_running(doc_id)
    store.set_partial(doc_id, document, done, 25)
    page = soup(client.get(f"/documents/{doc_id}"))
    progress = page.select_one("progress.job-bar")
    assert progress is not None and float(progress["value"]) == 40.0
    assert "40%" in page.select_one(".job").get_text()
    assert page.select_one('.job a[href$="/documents/' + doc_id + '"]') is not None  # refresh link without JS
    assert page.select_one('noscript meta[http-equiv="refresh"]') is not None
    states = [p["data-state"] for p in page.select(".pair")]
    assert states == ["ready"] * 4 + ["pending"] * 5  # blocks hold 1, 1, 1, 6 sentences: 9 ≤ 10 < 13
    assert page.select_one("#b5 .tgt .placeholder") is not None and len(page.select("#b5 .src .s")) == 4
    assert page.select_one(".exports.not-ready") is not None
    assert client.get(f"/documents/{doc_id}/export/tsv").status_code == 409
    live = soup(client.get(f"/documents/{doc_id}/live")).select_one("#live")
    assert live is not None and live["data-ready"] == "4" and live["data-status"] == "running"
    assert client.get(f"/documents/{doc_id}/status").json["progress"] == 40.0


def test_queued_job_without_partial(client: Any, app: Any) -> None:
    doc_id = services(app).store.create("Ein Satz.", "auto", "en", "text", "Wartend")
    page = soup(client.get(f"/documents/{doc_id}"))
    assert "Waiting to start" in page.select_one(".job").get_text() and not page.select(".pair")
    assert page.select_one(".waiting") is not None


def test_failed_job_shows_the_error_and_a_retry(client: Any, app: Any) -> None:
    doc_id = services(app).store.create("Ein deutscher Satz über das Wetter von heute.", "de", "fr")  # as the API could
    services(app).jobs.submit(doc_id)
    services(app).jobs.wait(doc_id, timeout=60)
    page = soup(client.get(f"/documents/{doc_id}"))
    alert = page.select_one('.alert[role="alert"]')
    assert alert is not None and "failed" in alert.get_text() and "translates into French" in alert.get_text()
    assert page.select_one(f'form[action="/documents/{doc_id}/retranslate"]') is not None
    assert page.select_one(".columns-head") is None and not page.select(".pair")


@pytest.mark.parametrize(
    ("text", "message"),
    [("12345 678 910 1112 1314", "Could not recognise"), ("Ceci est une phrase en français.", "looks like French")],
)
def test_auto_detect_without_a_model_is_refused_up_front(client: Any, app: Any, text: str, message: str) -> None:
    response = client.post("/documents", data={"text": text, "source": "auto", "target": "en"})
    assert response.status_code == 400 and message in soup(response).select_one(".alert").get_text()
    assert services(app).store.recent() == []


def test_article_already_in_the_target_language_is_shown_with_a_note(client: Any, app: Any) -> None:
    text = (FIXTURES / "english_article.txt").read_text(encoding="utf-8")
    page = soup(client.get(f"/documents/{submit(client, app, text)}"))
    assert "already in 'en'" in page.select_one(".note").get_text()
    assert page.select(".pair") and "Not translated" in page.select_one(".doc-footer").get_text()


# --- Exports ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_every_export_downloads(reader_client: Any, shared_id: str, fmt: str) -> None:
    response = reader_client.get(f"/documents/{shared_id}/export/{fmt}")
    mimetype, extension = EXPORTS[fmt]
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.headers["Content-Type"].count("charset=") == (0 if fmt == "json" else 1)  # once, not twice
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="alibaba-ist-auf-grossem-expansionskurs.de-en{extension}"'
    )
    body = response.get_data()
    assert body
    if fmt == "tsv":
        rows = list(csv.reader(io.StringIO(body.decode()), delimiter="\t"))
        assert rows[0] == ["block", "kind", "de", "en"] and len(rows) == 26  # header + one row per sentence
    elif fmt == "json":
        assert len(json.loads(body)["blocks"]) == 9
    elif fmt == "xliff":
        assert len(ET.fromstring(body).findall(".//{urn:oasis:names:tc:xliff:document:1.2}trans-unit")) == 25
    elif fmt == "html":
        assert body.count(b"<tr class=") == 9
    else:
        assert b"# Alibaba ist auf gro" in body


def test_export_links_in_the_toolbar(reader_client: Any, shared_id: str) -> None:
    page = soup(reader_client.get(f"/documents/{shared_id}"))
    links = {a["data-format"]: a["href"] for a in page.select(".exports a")}
    assert links == {fmt: f"/documents/{shared_id}/export/{fmt}" for fmt in EXPORTS}
    assert reader_client.get(f"/documents/{shared_id}/export/pdf").status_code == 404


# --- Library: list, re-translate, cancel, delete ------------------------------------------------


def test_library_lists_documents(client: Any, app: Any, seed_id: str) -> None:
    other = services(app).store.create("Noch ein Text.", "de", "en", "text", "Zweiter Artikel")
    response = client.get("/documents")
    assert response.status_code == 200
    rows = soup(response).select("table.documents tbody tr")
    assert [r["data-id"] for r in rows] == [other, seed_id]  # newest first
    seed_row = rows[1]
    cells = [td.get_text(" ", strip=True) for td in seed_row.select("td")]
    assert cells[0] == "Alibaba ist auf großem Expansionskurs" and cells[1] == "DE → EN"
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d", cells[2]) and cells[3] == "297" and cells[4] == "done"
    assert seed_row.select_one("a")["href"] == f"/documents/{seed_id}"
    assert seed_row.select_one(f'form[action="/documents/{seed_id}/retranslate"] input[name="csrf_token"]')
    assert seed_row.select_one(f'form[action="/documents/{seed_id}/delete"] input[name="csrf_token"]')
    assert rows[0].select_one("button[disabled]") is not None  # queued: re-translate is disabled


def test_empty_library(client: Any) -> None:
    page = soup(client.get("/documents"))
    assert page.select_one(".empty") is not None and page.select_one("table") is None


def test_retranslate_reruns_the_job(client: Any, app: Any, seed_id: str) -> None:
    store = services(app).store
    before = store.get(seed_id)
    response = client.post(f"/documents/{seed_id}/retranslate")
    assert response.status_code == 303 and response.headers["Location"] == "/documents"
    services(app).jobs.wait(seed_id, timeout=120)
    after = store.get(seed_id)
    assert after.status == "done" and after.updated > before.updated
    assert all(s.cached for s in after.document().sentences)  # the rerun came from the sentence cache
    assert "again" in client.get("/documents").get_data(as_text=True)  # flashed message
    from_reader = client.post(f"/documents/{seed_id}/retranslate", data={"next": "reader"})
    assert from_reader.headers["Location"] == f"/documents/{seed_id}"
    services(app).jobs.wait(seed_id, timeout=120)


def test_retranslate_of_an_active_job_is_refused_politely(client: Any, app: Any) -> None:
    doc_id = services(app).store.create("Ein Satz.", "auto", "en")
    response = client.post(f"/documents/{doc_id}/retranslate", follow_redirects=True)
    assert response.status_code == 200 and "already being translated" in response.get_data(as_text=True)


def test_cancel_stops_a_job(client: Any, app: Any) -> None:
    doc_id = services(app).store.create("Ein Satz über das Wetter.", "auto", "en", "text", "Wetter")
    response = client.post(f"/documents/{doc_id}/cancel", data={"next": "reader"})
    assert response.status_code == 303 and response.headers["Location"] == f"/documents/{doc_id}"
    page = soup(client.get(f"/documents/{doc_id}"))
    assert services(app).store.get(doc_id).status == "cancelled"
    assert "stopped" in page.select_one('.alert[role="alert"]').get_text()


def test_delete_removes_the_document(client: Any, app: Any, seed_id: str) -> None:
    response = client.post(f"/documents/{seed_id}/delete")
    assert response.status_code == 303 and response.headers["Location"] == "/documents"
    assert "Deleted “Alibaba ist auf großem Expansionskurs”" in client.get("/documents").get_data(as_text=True)
    assert services(app).store.get(seed_id) is None
    assert client.get(f"/documents/{seed_id}").status_code == 404


# --- Detection preview --------------------------------------------------------------------------


def test_detection_preview(client: Any, seed_text: str) -> None:
    found = client.post("/preview/detection", data={"text": seed_text}).json
    assert found["language"] == "de" and found["installed"] and 0.9 < found["confidence"] <= 1.0
    assert found["message"].startswith("Detected German")
    english = client.post("/preview/detection", data={"text": "The city is building a new bridge over the river."})
    assert english.json["language"] == "en" and not english.json["installed"]
    short = client.post("/preview/detection", data={"text": "Hallo"}).json
    assert short["language"] is None and "few sentences" in short["message"]
    html = client.post("/preview/detection", data={"text": f"<p>{seed_text}</p>", "format": "html"}).json
    assert html["language"] == "de"


# --- Safety: escaping, CSP, no CDN, CSRF --------------------------------------------------------


def test_hostile_article_is_shown_as_text(client: Any, app: Any) -> None:
    doc_id = submit(client, app, HOSTILE, source="de")
    for path in (f"/documents/{doc_id}", f"/documents/{doc_id}/live", "/documents", "/"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>window" not in html and "<img" not in html and "<svg" not in html, path
        assert "<iframe" not in html and 'href="javascript:' not in html, path
        if path != "/":
            assert "&lt;script&gt;window.__pwned" in html, path
    page = soup(client.get(f"/documents/{doc_id}"))
    assert "<script>window.__pwned" in page.select_one("#b1 .src").get_text()
    assert all(tag.get("src", "").startswith("/static/") for tag in page.select("script"))
    assert page.select_one("title").get_text().startswith("Böse Überschrift <script>")


def test_pages_send_a_strict_content_security_policy(reader_client: Any, shared_id: str) -> None:
    for path in ("/", "/documents", f"/documents/{shared_id}", "/documents/nope"):
        policy = reader_client.get(path).headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy and "default-src 'none'" in policy, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path


def test_every_asset_is_local_and_scripts_are_not_inline(reader_client: Any, shared_id: str) -> None:
    seen: set[str] = set()
    for path in ("/", "/documents", f"/documents/{shared_id}", "/documents/nope"):
        page = soup(reader_client.get(path))
        for script in page.select("script"):
            assert script.get("src") and not script.get_text().strip(), path  # no inline JavaScript
        assert not page.select("[style]") and not page.select("style"), path  # CSP: style-src 'self'
        assets = [t["src"] for t in page.select("[src]")] + [t["href"] for t in page.select("link[href]")]
        for asset in assets:
            assert isinstance(asset, str) and asset.startswith("/static/"), (path, asset)
            seen.add(asset)
        assert not re.search(r"(src|href)=\"(https?:)?//", str(page)), path
    assert {"/static/css/app.css", "/static/js/reader.js", "/static/js/home.js", "/static/favicon.svg"} <= seen
    for asset in seen:
        response = reader_client.get(asset)
        assert response.status_code == 200 and response.data, asset
        content = response.data.replace(b'xmlns="http://www.w3.org/2000/svg"', b"")
        assert b"http://" not in content and b"https://" not in content and b"@import" not in content, asset
        response.close()


@pytest.fixture
def csrf_app(settings: Settings) -> Iterator[Any]:
    from app import create_app

    application = create_app({"TRANSLATOR_SETTINGS": settings, "TESTING": True})
    assert application.config.get("WTF_CSRF_ENABLED", True)
    yield application
    services(application).jobs.shutdown()


def test_csrf_protects_forms(csrf_app: Any, seed_text: str) -> None:
    client = csrf_app.test_client()
    refused = client.post("/documents", data={"text": seed_text, "source": "auto", "target": "en"})
    assert refused.status_code == 400 and refused.mimetype == "text/html"
    assert "Form expired" in refused.get_data(as_text=True)
    assert services(csrf_app).store.recent() == []
    token = soup(client.get("/")).select_one('input[name="csrf_token"]')["value"]
    accepted = client.post(
        "/documents", data={"text": seed_text, "source": "auto", "target": "en", "csrf_token": token}
    )
    assert accepted.status_code == 303
    doc_id = accepted.headers["Location"].rsplit("/", 1)[1]
    services(csrf_app).jobs.wait(doc_id, timeout=120)
    assert client.post(f"/documents/{doc_id}/delete").status_code == 400
    assert client.post(f"/documents/{doc_id}/retranslate").status_code == 400
    assert client.post("/preview/detection", data={"text": seed_text}).status_code == 400
    meta = soup(client.get("/")).select_one('meta[name="csrf-token"]')["content"]
    preview = client.post("/preview/detection", data={"text": seed_text}, headers={"X-CSRFToken": meta})
    assert preview.status_code == 200 and preview.json["language"] == "de"
    assert client.post(f"/documents/{doc_id}/delete", data={"csrf_token": token}).status_code == 303
