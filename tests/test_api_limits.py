"""Limits and keys: characters, batch size, body size, rate limits (per client and per key), API keys, CLI."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from translator import ConfigError, Settings
from translator.cli import main
from translator.storage.keys import KeyStore, key_store_path

Q = {"q": "Guten Morgen.", "source": "de", "target": "en"}


def _add_key(settings: Settings, name: str, limit: str | None = None) -> str:
    store = KeyStore(key_store_path(settings))
    try:
        return store.add(name, limit)
    finally:
        store.close()


def test_over_the_char_limit_is_400(make_app: Callable[..., Any]) -> None:
    client = make_app(api_max_chars=30).test_client()
    assert client.post("/translate", json={**Q, "q": "x" * 30}).status_code == 200
    response = client.post("/translate", json={**Q, "q": ["x" * 20, "y" * 11]})  # all items count together
    assert response.status_code == 400
    assert response.get_json() == {"error": "Invalid request: request (31) exceeds text limit (30)"}
    assert client.post("/detect", json={"q": "x" * 31}).status_code == 400


def test_over_the_batch_limit_is_400(make_app: Callable[..., Any]) -> None:
    client = make_app(api_max_batch=2).test_client()
    assert client.post("/translate", json={**Q, "q": ["a", "b"]}).status_code == 200
    response = client.post("/translate", json={**Q, "q": ["a", "b", "c"]})
    assert response.status_code == 400 and "batch limit (2)" in response.get_json()["error"]


def test_too_large_body_is_413_json(make_app: Callable[..., Any]) -> None:
    client = make_app(upload_max_bytes=1000).test_client()
    for response in (
        client.post("/translate", json={**Q, "q": "x" * 2000}),
        client.post("/translate", data={**Q, "q": "x" * 2000}),
        client.post("/api/v1/documents", json={"text": "x" * 2000}),
    ):
        assert response.status_code == 413
        assert "1,000 bytes" in response.get_json()["error"]


def _chunked(client: Any, path: str, body: bytes, content_type: str) -> Any:
    """A body streamed without Content-Length, as gunicorn hands it on (it sets wsgi.input_terminated)."""
    return client.post(
        path,
        input_stream=io.BytesIO(body),
        headers={"Transfer-Encoding": "chunked", "Content-Type": content_type},
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_chunked_body_over_the_limit_is_413_not_invalid_json(client: Any) -> None:
    big = json.dumps({**Q, "q": "x" * 3_000_000}).encode()  # 3 MB; the default limit is 2 MiB
    for path in ("/translate", "/api/v1/documents"):
        response = _chunked(client, path, big, "application/json")
        assert response.status_code == 413, response.get_json()
        assert "2,097,152 bytes" in response.get_json()["error"]
    form = _chunked(
        client, "/translate", b"source=de&target=en&q=" + b"x" * 3_000_000, "application/x-www-form-urlencoded"
    )
    assert form.status_code == 413 and form.is_json
    page = _chunked(client, "/documents", b"target=en&text=" + b"x" * 3_000_000, "application/x-www-form-urlencoded")
    assert page.status_code == 413 and page.mimetype == "text/html"


def test_chunked_body_within_the_limit_is_read_whole(client: Any) -> None:
    response = _chunked(client, "/translate", json.dumps(Q).encode(), "application/json")
    assert response.status_code == 200 and response.get_json()["translatedText"]


def test_rate_limit_exceeded_is_429_json(make_app: Callable[..., Any]) -> None:
    client = make_app(rate_limit="3 per minute").test_client()
    for _ in range(2):
        assert client.post("/translate", json=Q).status_code == 200
    assert client.get("/api/v1/documents").status_code == 200  # one budget for every limited route
    response = client.post("/detect", json={"q": "Hallo Welt"})
    assert response.status_code == 429
    assert response.get_json()["error"].startswith("Slowdown: 3 per 1 minute")
    assert int(response.headers["Retry-After"]) > 0
    for path in ("/languages", "/frontend/settings", "/health", "/openapi.json"):
        assert client.get(path).status_code == 200  # not limited, as in LibreTranslate


def test_empty_rate_limit_disables_limiting(make_app: Callable[..., Any]) -> None:
    client = make_app(rate_limit="").test_client()
    assert all(client.post("/detect", json={"q": "Hallo"}).status_code == 200 for _ in range(5))


def test_invalid_rate_limit_setting_fails_at_start(make_app: Callable[..., Any]) -> None:
    with pytest.raises(ConfigError, match="TRANSLATOR_RATE_LIMIT"):
        make_app(rate_limit="lots")


def test_keys_required(make_app: Callable[..., Any], settings: Settings) -> None:
    key = _add_key(settings, "reader")
    client = make_app(api_keys_required=True).test_client()
    assert client.post("/translate", json=Q).get_json() == {"error": "Invalid API key"}
    assert client.post("/translate", json=Q).status_code == 403
    bad = client.post("/translate", json={**Q, "api_key": "not-a-key"})
    assert bad.status_code == 403 and bad.get_json() == {"error": "Invalid API key"}
    assert client.post("/api/v1/documents", json={"text": "Hallo Welt."}).status_code == 403
    assert client.post("/translate", json={**Q, "api_key": key}).status_code == 200
    assert client.post("/translate", data={**Q, "api_key": key}).status_code == 200
    assert client.post("/translate", json=Q, headers={"X-API-Key": key}).status_code == 200
    assert client.get("/api/v1/documents", headers={"X-API-Key": key}).status_code == 200
    assert client.get("/languages").status_code == 200  # open, as in LibreTranslate
    settings_page = client.get("/frontend/settings").get_json()
    assert settings_page["keyRequired"] is True and settings_page["apiKeys"] is True
    spec = client.get("/openapi.json").get_json()
    assert spec["paths"]["/translate"]["post"]["security"] and "security" not in spec["paths"]["/languages"]["get"]


def test_unknown_key_is_refused_once_keys_exist(make_app: Callable[..., Any], settings: Settings) -> None:
    client = make_app().test_client()
    assert client.post("/translate", json={**Q, "api_key": "anything"}).status_code == 200  # no keys: ignored
    _add_key(settings, "someone")
    assert client.post("/translate", json={**Q, "api_key": "anything"}).status_code == 403
    assert client.post("/translate", json=Q).status_code == 200  # keys not required


def test_per_key_rate_limit(make_app: Callable[..., Any], settings: Settings) -> None:
    key = _add_key(settings, "small", "2 per minute")
    roomy = _add_key(settings, "roomy")
    client = make_app(rate_limit="100 per minute").test_client()
    statuses = [client.post("/translate", json={**Q, "api_key": key}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.post("/translate", json={**Q, "api_key": roomy}).status_code == 200  # its own budget
    assert client.post("/translate", json=Q).status_code == 200  # anonymous: by address


def test_keys_cli_add_list_remove(tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--data-dir", str(tmp_path)]
    added = runner.invoke(main, [*base, "keys", "add", "alice", "--limit", "600 per minute"])
    assert added.exit_code == 0, added.output
    key = added.stdout.strip()
    assert len(key) >= 40 and "\n" not in key
    assert key not in (tmp_path / "keys.sqlite3").read_bytes().decode("latin-1")  # only a hash is stored
    listed = runner.invoke(main, [*base, "keys", "list"])
    assert "alice" in listed.stdout and "600 per minute" in listed.stdout and key not in listed.stdout
    assert runner.invoke(main, [*base, "keys", "add", "alice"]).exit_code == 2  # names are unique
    assert runner.invoke(main, [*base, "keys", "add", "bob", "--limit", "plenty"]).exit_code == 2
    assert runner.invoke(main, [*base, "keys", "remove", "alice"]).exit_code == 0
    assert runner.invoke(main, [*base, "keys", "remove", "alice"]).exit_code == 2
    assert "alice" not in runner.invoke(main, [*base, "keys", "list"]).stdout


def test_key_store_lookup(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.sqlite3")
    key = store.add("svc", "5/second")
    found = store.lookup(key)
    assert found is not None and found.name == "svc" and found.rate_limit == "5/second"
    assert store.lookup(key + "x") is None and store.has_keys()
    assert store.remove("svc") and store.lookup(key) is None and not store.has_keys()
    store.close()


@pytest.mark.parametrize(("proxy_hops", "separate_budgets"), [(1, True), (0, False)])
def test_behind_a_proxy_each_forwarded_client_has_its_own_budget(
    make_app: Callable[..., Any], proxy_hops: int, separate_budgets: bool
) -> None:
    """With TRANSLATOR_PROXY_HOPS the limiter keys on X-Forwarded-For; without it the header is not trusted."""
    client = make_app(rate_limit="2 per minute", proxy_hops=proxy_hops).test_client()
    first = {"X-Forwarded-For": "203.0.113.1"}
    for _ in range(2):
        assert client.post("/translate", json=Q, headers=first).status_code == 200
    assert client.post("/translate", json=Q, headers=first).status_code == 429
    other = client.post("/translate", json=Q, headers={"X-Forwarded-For": "203.0.113.2"})
    assert other.status_code == (200 if separate_budgets else 429)
