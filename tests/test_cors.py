"""Cross-origin access: LibreTranslate's endpoints are open to every page, the document API only to listed origins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from translator import ConfigError

EVIL = "http://evil.example"
FRIEND = "https://newsroom.example"
SHORT = "Die Regierung hat am Montag ein neues Gesetz beschlossen."
PREFLIGHT = {"Access-Control-Request-Method": "DELETE", "Access-Control-Request-Headers": "X-API-Key"}


def _document(client: Any) -> str:
    response = client.post("/api/v1/documents", json={"text": SHORT, "source": "de"})
    assert response.status_code == 201
    doc_id: str = response.get_json()["id"]
    return doc_id


def test_document_api_refuses_an_unknown_origin(client: Any) -> None:
    doc_id = _document(client)
    path = f"/api/v1/documents/{doc_id}"
    preflight = client.options(path, headers={"Origin": EVIL, **PREFLIGHT})
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert "Access-Control-Allow-Methods" not in preflight.headers
    deleted = client.delete(path, headers={"Origin": EVIL})
    assert deleted.status_code == 403 and "TRANSLATOR_CORS_ORIGINS" in deleted.get_json()["error"]
    assert "Access-Control-Allow-Origin" not in deleted.headers
    for read in (
        client.get("/api/v1/documents", headers={"Origin": EVIL}),
        client.get(f"{path}/result", headers={"Origin": EVIL}),
    ):
        assert read.status_code == 403 and "Access-Control-Allow-Origin" not in read.headers
    created = client.post("/api/v1/documents", json={"text": SHORT}, headers={"Origin": EVIL})
    assert created.status_code == 403
    assert client.get(path).status_code == 200  # still there; clients without Origin (scripts, servers) are unaffected
    assert client.get(path, headers={"Origin": "http://localhost"}).status_code == 200  # this server's own pages


def test_document_api_allows_a_listed_origin(make_app: Callable[..., Any]) -> None:
    client = make_app(cors_origins=f"{FRIEND}, http://localhost:3000/").test_client()
    doc_id = _document(client)
    path = f"/api/v1/documents/{doc_id}"
    preflight = client.options(path, headers={"Origin": FRIEND, **PREFLIGHT})
    assert preflight.headers["Access-Control-Allow-Origin"] == FRIEND
    assert "DELETE" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Headers"] == "X-API-Key"
    assert "Origin" in preflight.headers.get("Vary", "")
    listed = client.get("/api/v1/documents", headers={"Origin": "http://localhost:3000"})
    assert listed.status_code == 200 and listed.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert client.delete(path, headers={"Origin": EVIL}).status_code == 403  # others still refused
    deleted = client.delete(path, headers={"Origin": FRIEND})
    assert deleted.status_code == 204 and deleted.headers["Access-Control-Allow-Origin"] == FRIEND


def test_libretranslate_routes_stay_open_to_every_origin(client: Any) -> None:
    translated = client.post(
        "/translate", json={"q": "Hallo", "source": "de", "target": "en"}, headers={"Origin": EVIL}
    )
    assert translated.status_code == 200 and translated.headers["Access-Control-Allow-Origin"] == "*"
    detected = client.post("/detect", json={"q": SHORT}, headers={"Origin": EVIL})
    assert detected.status_code == 200 and detected.headers["Access-Control-Allow-Origin"] == "*"
    for path in ("/languages", "/frontend/settings"):
        response = client.get(path, headers={"Origin": EVIL})
        assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/translate",
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert (
        preflight.headers["Access-Control-Allow-Origin"] == "*"
        and "POST" in preflight.headers["Access-Control-Allow-Methods"]
    )


def test_browser_pages_send_no_cors_headers(client: Any) -> None:
    for path in ("/", "/documents"):
        assert "Access-Control-Allow-Origin" not in client.get(path, headers={"Origin": EVIL}).headers


@pytest.mark.parametrize("setting", ["*", "evil.example", "https://ok.example/path", "ftp://x.example"])
def test_a_malformed_origin_setting_fails_at_start(make_app: Callable[..., Any], setting: str) -> None:
    with pytest.raises(ConfigError, match="TRANSLATOR_CORS_ORIGINS"):
        make_app(cors_origins=setting)
