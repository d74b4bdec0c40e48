"""Native document API: synchronous documents, jobs with progress, results, cancel, delete, errors."""

from __future__ import annotations

from typing import Any

import pytest

from web.api import documents as api_documents

SHORT = "# Neue Regeln\n\nDie Regierung hat am Montag ein neues Gesetz beschlossen. Es tritt im Sommer in Kraft.\n"
STATUS_KEYS = {"id", "status", "progress", "eta_seconds", "done_sentences", "total_sentences", "links"}


def _services(app: Any) -> Any:
    return app.extensions["translator_services"]


def _assert_document(document: dict[str, Any]) -> None:
    assert document["blocks"] and document["detected"]["language"] == "de"
    assert 0 <= document["detected"]["confidence"] <= 1 and "low_confidence" in document["detected"]
    assert {"total_ms", "translate_ms"} <= set(document["timings"])
    assert document["provenance"]["model"] and document["target_language"] == "en"
    for block in document["blocks"]:
        assert block["kind"] in ("title", "subtitle", "byline", "heading", "paragraph", "footer")
        for sentence in block["sentences"]:
            assert block["source"][sentence["start"] : sentence["end"]] == sentence["source"]
            assert (
                block["translation"][sentence["translation_start"] : sentence["translation_end"]]
                == sentence["translation"].strip()
            )
            assert isinstance(sentence["flags"], list) and isinstance(sentence["cached"], bool)


def test_short_article_is_translated_in_the_request_and_stored(client: Any) -> None:
    response = client.post("/api/v1/documents", json={"text": SHORT, "format": "markdown"})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) >= STATUS_KEYS and body["status"] == "done" and body["progress"] == 100.0
    _assert_document(body["document"])
    assert body["document"]["blocks"][0]["kind"] == "title"
    assert response.headers["Location"].endswith(f"/api/v1/documents/{body['id']}")
    status = client.get(body["links"]["status"]).get_json()
    assert status["status"] == "done" and "document" not in status
    result = client.get(body["links"]["result"])
    assert result.status_code == 200 and result.get_json() == body["document"]
    listed = client.get("/api/v1/documents?limit=5").get_json()["documents"]
    assert [item["id"] for item in listed] == [body["id"]]


def test_html_article(client: Any) -> None:
    html = "<html><head><title>Neue Regeln</title></head><body><article><p>Die Regierung hat am Montag ein neues Gesetz beschlossen.</p><script>x()</script></article></body></html>"
    body = client.post("/api/v1/documents", json={"text": html, "format": "html", "source": "de"}).get_json()
    assert [block["kind"] for block in body["document"]["blocks"]] == ["title", "paragraph"]
    assert all("x()" not in block["source"] for block in body["document"]["blocks"])


def test_async_job_reports_progress_and_result(client: Any, app: Any, seed_text: str) -> None:
    response = client.post("/api/v1/documents", json={"text": seed_text, "async": True})
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] in ("queued", "running", "done") and "document" not in body
    _services(app).jobs.wait(body["id"], timeout=120)
    status = client.get(f"/api/v1/documents/{body['id']}").get_json()
    assert status["status"] == "done" and status["progress"] == 100.0
    assert status["done_sentences"] == status["total_sentences"] > 0
    _assert_document(client.get(f"/api/v1/documents/{body['id']}/result").get_json())


def test_long_article_becomes_a_job_automatically(client: Any, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_documents, "SYNC_MAX_CHARS", 50)
    response = client.post("/api/v1/documents", json={"text": SHORT})
    assert response.status_code == 202
    _services(app).jobs.wait(response.get_json()["id"], timeout=60)


def test_sync_is_refused_above_the_api_char_limit(app: Any, settings: Any) -> None:
    from app import create_app

    small = create_app(
        {"TRANSLATOR_SETTINGS": settings.with_overrides(api_max_chars=40), "TESTING": True, "WTF_CSRF_ENABLED": False}
    )
    response = small.test_client().post("/api/v1/documents", json={"text": SHORT, "async": False})
    assert response.status_code == 400 and "async" in response.get_json()["error"]


def test_queued_job_result_cancel_and_delete(client: Any, app: Any) -> None:
    store = _services(app).store
    doc_id = store.create(SHORT, "auto", "en")  # queued, not submitted: stays queued
    conflict = client.get(f"/api/v1/documents/{doc_id}/result")
    assert conflict.status_code == 409 and "queued" in conflict.get_json()["error"]
    cancelled = client.post(f"/api/v1/documents/{doc_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    again = client.post(f"/api/v1/documents/{doc_id}/cancel")
    assert again.status_code == 409 and "cancelled" in again.get_json()["error"]
    assert client.get(f"/api/v1/documents/{doc_id}/result").status_code == 409
    assert client.delete(f"/api/v1/documents/{doc_id}").status_code == 204
    assert store.get(doc_id) is None


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", ""), ("get", "/result"), ("post", "/cancel"), ("delete", "")],
)
def test_unknown_document_is_404_json(client: Any, method: str, path: str) -> None:
    response = getattr(client, method)(f"/api/v1/documents/0123456789abcdef{path}")
    assert response.status_code == 404 and "0123456789abcdef" in response.get_json()["error"]


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({}, "missing text"),
        ({"text": ""}, "missing text"),
        ({"text": "Hallo", "format": "pdf"}, "format"),
        ({"text": "Hallo", "source": "xx"}, "xx is not supported"),
        ({"text": "Hallo", "target": "fr"}, "fr is not supported"),
        ({"text": "Hallo", "colour": "red"}, "colour"),
        ({"text": "<script>x()</script>", "format": "html"}, "no article text"),
        ({"text": "Hallo", "url": "https://example.org/"}, "only one of them"),
    ],
)
def test_bad_requests_are_400(client: Any, app: Any, payload: dict[str, Any], fragment: str) -> None:
    response = client.post("/api/v1/documents", json=payload)
    assert response.status_code == 400 and fragment in response.get_json()["error"]
    assert _services(app).store.recent(10) == []  # nothing stored


def test_undetectable_or_unsupported_language_is_400_and_not_stored(client: Any, app: Any) -> None:
    for text in ("12345 67890", "Le gouvernement a adopté lundi une nouvelle loi sur le climat."):
        response = client.post("/api/v1/documents", json={"text": text})
        assert response.status_code == 400, response.get_json()
    assert _services(app).store.recent(10) == []
