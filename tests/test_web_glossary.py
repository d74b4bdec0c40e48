"""The library's Glossaries page: forms protected by CSRF, hostile files refused with the reason, export defused."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup

from translator import Settings


def _soup(response: Any) -> Any:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _store(app: Any) -> Any:
    return app.extensions["translator_services"].translator.glossaries


def test_add_a_term_and_a_do_not_translate_term(client: Any, app: Any) -> None:
    form = {"name": "news", "source": "de", "target": "en", "term": "Vorstand", "translation": "executive board"}
    assert client.post("/glossaries/add", data=form).status_code == 303
    assert client.post("/glossaries/add", data={**form, "term": "Siemens", "translation": ""}).status_code == 303
    assert _store(app).require("news").entries == {"Siemens": "Siemens", "Vorstand": "executive board"}
    page = _soup(client.get("/glossaries/news"))
    cells = [td.get_text(strip=True) for td in page.select("tbody td")][:5]
    assert cells[:2] == ["Siemens", "do not translate"] and cells[3:5] == ["Vorstand", "executive board"]
    listing = _soup(client.get("/glossaries"))
    assert [a.get_text() for a in listing.select("tbody a[href='/glossaries/news']")] == ["news"]


def test_import_is_all_or_nothing_with_the_line_named(client: Any, app: Any) -> None:
    good = {"name": "news", "source": "de", "target": "en", "file": (io.BytesIO(b"Vorstand,board\n"), "g.csv")}
    assert client.post("/glossaries/import", data=good, content_type="multipart/form-data").status_code == 303
    hostile = b"Berlin,Berlin\nBild,<script>alert(1)</script>\n"
    bad = {"name": "news", "source": "de", "target": "en", "file": (io.BytesIO(hostile), "g.csv")}
    response = client.post("/glossaries/import", data=bad, content_type="multipart/form-data")
    assert response.status_code == 400
    alert = _soup(response).select_one("[role=alert]").get_text()
    assert "Line 2: The target term looks like HTML markup" in alert and "Nothing was imported" in alert
    assert "<script>" not in response.get_data(as_text=True)
    assert _store(app).require("news").entries == {"Vorstand": "board"}


def test_a_long_line_in_an_upload_is_refused(client: Any) -> None:
    data = {"name": "news", "source": "de", "target": "en", "file": (io.BytesIO(b"x" * 2_000_000), "g.tsv")}
    response = client.post("/glossaries/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and "Line 1 is longer than" in _soup(response).select_one("[role=alert]").text


def test_export_is_defused_for_spreadsheets(client: Any, app: Any) -> None:
    _store(app).add("news", "-los", "-less", "de", "en")
    response = client.get("/glossaries/news/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data == b"'-los,'-less\n"
    assert 'filename="news.csv"' in response.headers["Content-Disposition"]


def test_remove_a_term_then_the_glossary(client: Any, app: Any) -> None:
    _store(app).add("news", "Siemens", None, "de", "en")
    _store(app).add("news", "Vorstand", "board", "de", "en")
    assert client.post("/glossaries/news/remove", data={"term": "Siemens"}).status_code == 303
    assert _store(app).require("news").entries == {"Vorstand": "board"}
    assert client.post("/glossaries/news/remove").status_code == 303
    assert _store(app).get("news") is None


@pytest.fixture
def csrf_app(settings: Settings) -> Iterator[Any]:
    from app import create_app

    application = create_app({"TRANSLATOR_SETTINGS": settings, "TESTING": True})
    yield application
    application.extensions["translator_services"].jobs.shutdown()


def test_glossary_forms_need_the_csrf_token(csrf_app: Any) -> None:
    client = csrf_app.test_client()
    form = {"name": "news", "source": "de", "target": "en", "term": "Siemens"}
    assert client.post("/glossaries/add", data=form).status_code == 400
    assert _store(csrf_app).get("news") is None
    token = _soup(client.get("/glossaries")).select_one('form[action="/glossaries/add"] input[name="csrf_token"]')
    assert client.post("/glossaries/add", data={**form, "csrf_token": token["value"]}).status_code == 303
    assert _store(csrf_app).require("news").entries == {"Siemens": "Siemens"}
    assert client.post("/glossaries/news/remove").status_code == 400


def test_an_article_translated_in_the_browser_with_a_glossary(client: Any, app: Any) -> None:
    assert _soup(client.get("/")).select_one("select#glossary") is None  # no glossary yet: no choice shown
    _store(app).add("news", "Vorstand", "executive board", "de", "en")
    _store(app).add("french", "Paris", None, "fr", "en")
    options = [o["value"] for o in _soup(client.get("/")).select("select#glossary option")]
    assert options == ["", "french", "news"]
    article = {"text": "Der Vorstand traf sich gestern in Berlin.", "source": "de", "target": "en"}
    refused = client.post("/documents", data={**article, "glossary": "french"})
    assert refused.status_code == 400 and "is for fr→en, not de→en" in _soup(refused).select_one("[role=alert]").text
    response = client.post("/documents", data={**article, "glossary": "news"})
    assert response.status_code == 303
    doc_id = response.headers["Location"].rsplit("/", 1)[1]
    services = app.extensions["translator_services"]
    services.jobs.wait(doc_id, timeout=120)
    stored = services.store.get(doc_id)
    assert stored.glossary == "news" and "executive board" in stored.document().blocks[0].translation
