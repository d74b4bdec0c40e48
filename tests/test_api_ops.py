"""Operations: /health, /ready (a real model load), /metrics (Prometheus), /openapi.json and /docs."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def test_health_and_ready(client: Any) -> None:
    assert client.get("/health").get_json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.get_json() == {"status": "ready", "pairs": ["de-en"]}


def test_ready_asks_the_model_not_the_cache(app: Any, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client.get("/ready")  # "Test." may now be cached
    base = app.extensions["translator_services"].translator.merger  # under the memory and the cache
    calls: list[list[str]] = []
    original = base.translate_batch

    def spy(sentences: list[str], source: str, target: str) -> Any:
        calls.append(list(sentences))
        return original(sentences, source, target)

    monkeypatch.setattr(base, "translate_batch", spy)
    assert client.get("/ready").status_code == 200 and calls == [["Test."]]


def test_not_ready_without_a_model(make_app: Callable[..., Any], tmp_path: Path) -> None:
    client = make_app(model_dir=tmp_path / "empty").test_client()
    response = client.get("/ready")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and "models install" in body["error"]
    assert client.get("/health").status_code == 200
    translate = client.post("/translate", json={"q": "Hallo", "source": "de", "target": "en"})
    assert translate.status_code == 503 and "models install" in translate.get_json()["error"]
    assert client.get("/languages").get_json() == []


def test_not_ready_with_a_corrupt_model(make_app: Callable[..., Any], model_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(model_dir, broken)
    for weights in broken.rglob("model.bin"):
        weights.write_bytes(b"not a model")
    response = make_app(model_dir=broken).test_client().get("/ready")
    assert response.status_code == 503 and response.get_json()["error"]


def test_metrics(client: Any) -> None:
    payload = {"q": "Die Regierung hat ein Gesetz beschlossen.", "source": "de", "target": "en"}
    client.post("/translate", json=payload)
    client.post("/translate", json=payload)  # the sentence is cached now
    client.post("/translate", json={"source": "de"})
    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert 'translator_http_requests_total{endpoint="/translate",method="POST",status="200"} 2.0' in text
    assert 'translator_http_requests_total{endpoint="/translate",method="POST",status="400"} 1.0' in text
    assert 'translator_http_request_duration_seconds_bucket{endpoint="/translate",le="+Inf"} 3.0' in text
    assert f'translator_characters_translated_total{{api="libretranslate"}} {2 * len(payload["q"])}.0' in text
    assert "translator_cache_hits_total 1.0" in text and "translator_cache_misses_total 1.0" in text


def test_each_app_has_its_own_metrics(make_app: Callable[..., Any]) -> None:
    first, second = make_app().test_client(), make_app().test_client()
    first.get("/health")
    assert 'endpoint="/health"' in first.get("/metrics").get_data(as_text=True)
    assert 'endpoint="/health"' not in second.get("/metrics").get_data(as_text=True)


def test_openapi_document_and_docs_page(client: Any) -> None:
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/translate", "/detect", "/languages", "/frontend/settings", "/api/v1/documents", "/ready"} <= set(
        spec["paths"]
    )
    body = spec["paths"]["/translate"]["post"]["requestBody"]["content"]
    assert {"application/json", "application/x-www-form-urlencoded", "multipart/form-data"} == set(body)
    assert {"200", "400", "403", "413", "429", "500"} <= set(spec["paths"]["/translate"]["post"]["responses"])
    assert "TranslateRequest" in spec["components"]["schemas"]
    page = client.get("/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "/api/v1/documents/{doc_id}/result" in html and "TranslateResponse" in html
    assert "<script" not in html and not re.search(r"(?:src|href)=[\"']?(?:https?:)?//", html)  # nothing external


def test_docs_page_sends_the_security_headers_of_every_other_page(client: Any) -> None:
    docs, home = client.get("/docs"), client.get("/")
    names = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options")
    assert docs.status_code == 200 and all(home.headers.get(name) for name in names)
    assert {name: docs.headers.get(name) for name in names} == {name: home.headers[name] for name in names}
    html = docs.get_data(as_text=True)
    assert "<style" not in html and "style=" not in html  # the CSP (style-src 'self') would block inline styles
    stylesheet = client.get("/static/css/docs.css")
    assert stylesheet.status_code == 200 and b".op{" in stylesheet.data
