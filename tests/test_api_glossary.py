"""Glossaries through the APIs: LibreTranslate's /translate and the document API (its background jobs too)."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.helpers import overwrite_pages
from translator import Settings
from translator.storage.glossary import GlossaryStore, glossary_store_path

ARTICLE = "Der Vorstand von Siemens traf sich gestern in Berlin. Danach sprach Siemens mit der Presse."


@pytest.fixture
def news(app: Any) -> None:
    store = app.extensions["translator_services"].translator.glossaries
    store.add("news", "Siemens", None, "de", "en")
    store.add("news", "Vorstand", "executive board", "de", "en")


def test_translate_with_a_glossary(client: Any, news: None) -> None:
    response = client.post("/translate", json={"q": [ARTICLE, "Siemens"], "source": "de", "target": "en",
                                               "glossary": "news"})  # fmt: skip
    assert response.status_code == 200, response.get_json()
    first, second = response.get_json()["translatedText"]
    assert first.count("Siemens") == 2 and first.count("executive board") == 1
    assert second == "Siemens"


def test_translate_html_with_a_glossary(client: Any, news: None) -> None:
    body = {"q": "<p>Der <b>Vorstand</b> von Siemens.</p>", "source": "de", "target": "en", "format": "html",
            "glossary": "news"}  # fmt: skip
    translated = client.post("/translate", json=body).get_json()["translatedText"]
    assert "<b>executive board</b>" in translated and translated.count("Siemens") == 1


@pytest.mark.parametrize(
    ("glossary", "message"), [("missing", "No glossary named 'missing'"), ("french", "is for fr→en, not de→en")]
)
def test_translate_refuses_an_unknown_or_mismatched_glossary(
    client: Any, app: Any, glossary: str, message: str
) -> None:
    app.extensions["translator_services"].translator.glossaries.add("french", "Paris", None, "fr", "en")
    response = client.post("/translate", json={"q": "Hallo", "source": "de", "target": "en", "glossary": glossary})
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_document_api_job_uses_its_glossary(client: Any, app: Any, news: None) -> None:
    response = client.post("/api/v1/documents", json={"text": ARTICLE, "async": True, "glossary": "news"})
    assert response.status_code == 202
    doc_id = response.get_json()["id"]
    services = app.extensions["translator_services"]
    assert services.store.get(doc_id).glossary == "news"
    services.jobs.wait(doc_id, timeout=120)
    result = client.get(f"/api/v1/documents/{doc_id}/result").get_json()
    translation = " ".join(block["translation"] for block in result["blocks"])
    assert translation.count("Siemens") == 2 and translation.count("executive board") == 1
    assert result["provenance"]["glossary"] == "news"


def test_document_api_refuses_an_unknown_glossary(client: Any, news: None) -> None:
    response = client.post("/api/v1/documents", json={"text": ARTICLE, "glossary": "nope"})
    assert response.status_code == 400 and "No glossary named 'nope'" in response.get_json()["error"]


def test_a_damaged_glossary_store_is_a_503_and_translation_goes_on(settings: Settings, make_app: Any) -> None:
    path = glossary_store_path(settings)
    store = GlossaryStore(path)
    store.put("news", {f"Begriff{n}": f"term {n}" for n in range(3000)}, "de", "en")
    store.close()
    assert overwrite_pages(path, every=2, first=1) > 5
    client = make_app().test_client()
    refused = client.post("/translate", json={"q": "Hallo", "source": "de", "target": "en", "glossary": "news"})
    assert refused.status_code == 503
    assert "glossary store" in refused.get_json()["error"] and str(path) not in refused.get_json()["error"]
    assert client.post("/translate", json={"q": "Hallo", "source": "de", "target": "en"}).status_code == 200


def test_translate_file_with_a_glossary(client: Any, news: None) -> None:
    subtitles = "1\n00:00:01,000 --> 00:00:03,000\nDer Vorstand von Siemens tagte.\n"
    form = {"source": "de", "target": "en", "glossary": "news", "file": (io.BytesIO(subtitles.encode()), "a.srt")}
    response = client.post("/translate_file", data=form, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    text = client.get(urlparse(response.get_json()["translatedFileUrl"]).path).data.decode()
    assert text.count("Siemens") == 1 and text.count("executive board") == 1
    form = {"source": "de", "target": "en", "glossary": "nope", "file": (io.BytesIO(subtitles.encode()), "a.srt")}
    refused = client.post("/translate_file", data=form, content_type="multipart/form-data")
    assert refused.status_code == 400 and "No glossary named 'nope'" in refused.get_json()["error"]
