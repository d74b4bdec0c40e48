"""The access model: with keys required the browser signs in with a key, each key sees only its own
documents (an admin key sees all), and browser routes are rate-limited like the API. Keys off: open."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from click.testing import CliRunner

from translator import Settings
from translator.cli import main
from translator.storage.documents import DocumentStore
from translator.storage.keys import KeyStore, key_store_path

SHORT = "Die Regierung hat am Montag ein neues Gesetz beschlossen. Es tritt im Sommer in Kraft."
FORM = {"text": SHORT, "source": "de", "target": "en", "format": "text"}


def _add_key(settings: Settings, name: str, admin: bool = False) -> str:
    store = KeyStore(key_store_path(settings))
    try:
        return store.add(name, admin=admin)
    finally:
        store.close()


def _services(app: Any) -> Any:
    return app.extensions["translator_services"]


def _api_document(client: Any, key: str) -> str:
    response = client.post("/api/v1/documents", json={"text": SHORT, "source": "de", "api_key": key})
    assert response.status_code == 201, response.get_json()
    doc_id: str = response.get_json()["id"]
    return doc_id


def _soup(response: Any) -> Any:
    """The parsed page (typed Any: bs4's precise types add nothing to these assertions)."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _sign_in(client: Any, key: str, next_path: str = "") -> Any:
    return client.post("/signin", data={"key": key, "next": next_path})


def test_keys_required_browser_must_sign_in(make_app: Callable[..., Any], settings: Settings) -> None:
    key = _add_key(settings, "alice")
    app = make_app(api_keys_required=True)
    client = app.test_client()
    doc_id = _api_document(client, key)
    for path in ("/", "/documents", f"/documents/{doc_id}", f"/documents/{doc_id}/export/json"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["Location"].startswith("/signin?next=")
        assert b"Regierung" not in response.data
    for path in (f"/documents/{doc_id}/status", f"/documents/{doc_id}/live"):
        assert client.get(path).status_code == 403
    assert client.post("/preview/detection", data={"text": SHORT}).status_code == 403
    submitted = client.post("/documents", data=FORM)
    assert submitted.status_code == 303 and submitted.headers["Location"].startswith("/signin")
    for action in ("delete", "cancel", "retranslate"):
        assert client.post(f"/documents/{doc_id}/{action}").status_code == 303
    assert [stored.id for stored in _services(app).store.recent()] == [doc_id]  # nothing created or deleted
    assert _services(app).store.get(doc_id).status == "done"  # nor re-translated

    page = client.get("/signin?next=/documents")
    assert page.status_code == 200
    form = _soup(page).select_one("form.signin-form")
    assert form.select_one('input[name="key"][type="password"]') and form.select_one('input[name="csrf_token"]')
    refused = _sign_in(client, "not-a-key", "/documents")
    assert refused.status_code == 403 and "not a valid API key" in refused.get_data(as_text=True)
    assert client.get("/documents").status_code == 303
    signed_in = _sign_in(client, key, "/documents")
    assert signed_in.status_code == 303 and signed_in.headers["Location"] == "/documents"
    cookie = signed_in.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # plain http here
    assert key not in cookie  # the session carries the key's hash, never the key
    library = client.get("/documents")
    assert library.status_code == 200 and f'href="/documents/{doc_id}"' in library.get_data(as_text=True)
    assert "alice" in library.get_data(as_text=True)  # shown as signed in, with a sign-out button
    assert client.get(f"/documents/{doc_id}/export/json").status_code == 200
    created = client.post("/documents", data=FORM)
    assert created.status_code == 303 and created.headers["Location"].startswith("/documents/")
    assert _services(app).store.get(created.headers["Location"].rsplit("/", 1)[1]).owner == "alice"
    assert client.post("/signout").status_code == 303
    assert client.get("/documents").status_code == 303


def test_sign_in_redirects_only_to_this_server(make_app: Callable[..., Any], settings: Settings) -> None:
    key = _add_key(settings, "alice")
    client = make_app(api_keys_required=True).test_client()
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        response = _sign_in(client, key, target)
        assert response.status_code == 303 and response.headers["Location"] == "/", target


def test_session_cookie_is_secure_over_https(make_app: Callable[..., Any], settings: Settings) -> None:
    key = _add_key(settings, "alice")
    client = make_app(api_keys_required=True).test_client()
    response = client.post("/signin", data={"key": key}, base_url="https://translator.example")
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sign_in_form_is_csrf_protected(settings: Settings) -> None:
    from app import create_app

    key = _add_key(settings, "alice")
    app = create_app({"TRANSLATOR_SETTINGS": settings.with_overrides(api_keys_required=True), "TESTING": True})
    try:
        client = app.test_client()
        refused = _sign_in(client, key)
        assert refused.status_code == 400 and "Form expired" in refused.get_data(as_text=True)
        assert client.get("/documents").status_code == 303
        token = _soup(client.get("/signin")).select_one('input[name="csrf_token"]')["value"]
        accepted = client.post("/signin", data={"key": key, "csrf_token": token})
        assert accepted.status_code == 303 and client.get("/documents").status_code == 200
        assert client.post("/signout").status_code == 400  # signing out is a form too
    finally:
        _services(app).jobs.shutdown(wait=True)


def test_each_key_sees_only_its_own_documents(make_app: Callable[..., Any], settings: Settings) -> None:
    alice, bob, boss = _add_key(settings, "alice"), _add_key(settings, "bob"), _add_key(settings, "boss", admin=True)
    app = make_app(api_keys_required=True)
    api = app.test_client()
    mine = _api_document(api, alice)
    theirs = _api_document(api, bob)

    def listed(key: str) -> set[str]:
        return {item["id"] for item in api.get("/api/v1/documents", headers={"X-API-Key": key}).get_json()["documents"]}

    assert listed(alice) == {mine} and listed(bob) == {theirs} and listed(boss) == {mine, theirs}
    as_bob = {"X-API-Key": bob}
    for path in (f"/api/v1/documents/{mine}", f"/api/v1/documents/{mine}/result"):
        assert api.get(path, headers=as_bob).status_code == 404
        assert api.get(path, headers={"X-API-Key": boss}).status_code == 200
        assert api.get(path, headers={"X-API-Key": alice}).status_code == 200
    assert api.post(f"/api/v1/documents/{mine}/cancel", headers=as_bob).status_code == 404
    assert api.delete(f"/api/v1/documents/{mine}", headers=as_bob).status_code == 404

    browser = app.test_client()
    assert _sign_in(browser, bob).status_code == 303
    library = browser.get("/documents").get_data(as_text=True)
    assert f'href="/documents/{theirs}"' in library and mine not in library
    home = browser.get("/").get_data(as_text=True)  # its list of recent articles
    assert f'href="/documents/{theirs}"' in home and mine not in home
    for path in (f"/documents/{mine}", f"/documents/{mine}/export/json", f"/documents/{mine}/status",
                 f"/documents/{mine}/live"):  # fmt: skip
        assert browser.get(path).status_code == 404, path
    for action in ("retranslate", "cancel", "delete"):
        assert browser.post(f"/documents/{mine}/{action}").status_code == 404, action
    assert _services(app).store.get(mine).status == "done"  # untouched

    admin = app.test_client()
    assert _sign_in(admin, boss).status_code == 303
    page = _soup(admin.get("/documents"))
    owners = {row["data-id"]: row.select_one(".owner-cell").get_text() for row in page.select("tr[data-id]")}
    assert owners == {mine: "alice", theirs: "bob"}  # every document, and whose it is
    assert page.select_one(".signed-in").get_text() == "boss (admin)"
    assert admin.get(f"/documents/{mine}/export/json").status_code == 200
    assert admin.post(f"/documents/{mine}/delete").status_code == 303
    assert api.get(f"/api/v1/documents/{mine}", headers={"X-API-Key": alice}).status_code == 404


def test_removing_a_key_signs_its_browsers_out(make_app: Callable[..., Any], settings: Settings) -> None:
    key = _add_key(settings, "alice")
    client = make_app(api_keys_required=True).test_client()
    assert _sign_in(client, key).status_code == 303 and client.get("/documents").status_code == 200
    store = KeyStore(key_store_path(settings))
    assert store.remove("alice")
    store.close()
    assert client.get("/documents").status_code == 303


def test_browser_routes_are_rate_limited(make_app: Callable[..., Any]) -> None:
    client = make_app(rate_limit="3 per minute", web_rate_limit="5 per minute").test_client()
    for _ in range(3):
        assert client.post("/translate", json={"q": "Hallo", "source": "de", "target": "en"}).status_code == 200
    assert client.post("/translate", json={"q": "Hallo", "source": "de", "target": "en"}).status_code == 429
    # The same address is over its budget for everything that costs work in the browser too.
    preview = client.post("/preview/detection", data={"text": SHORT})
    assert preview.status_code == 429 and int(preview.headers["Retry-After"]) > 0
    submitted = client.post("/documents", data=FORM)
    assert submitted.status_code == 429 and "Too many requests" in submitted.get_data(as_text=True)
    # Pages and polls have their own, larger budget.
    assert [client.get("/documents").status_code for _ in range(6)] == [200] * 5 + [429]
    assert client.get("/static/css/app.css").status_code == 200  # static files are not limited
    assert client.get("/health").status_code == 200


def test_signed_in_browsers_are_limited_per_key(make_app: Callable[..., Any], settings: Settings) -> None:
    alice, bob = _add_key(settings, "alice"), _add_key(settings, "bob")
    app = make_app(api_keys_required=True, rate_limit="2 per minute", web_rate_limit="")
    first, second = app.test_client(), app.test_client()
    assert _sign_in(first, alice).status_code == 303  # signing in counts against the address
    assert _sign_in(second, bob).status_code == 303
    assert _sign_in(app.test_client(), bob).status_code == 429  # the address has used its two
    assert [first.post("/preview/detection", data={"text": SHORT}).status_code for _ in range(3)] == [200, 200, 429]
    assert second.post("/preview/detection", data={"text": SHORT}).status_code == 200  # same address, own budget


def test_keys_off_the_browser_stays_open(make_app: Callable[..., Any], settings: Settings) -> None:
    key = _add_key(settings, "alice")  # keys exist but are not required
    client = make_app().test_client()
    doc_id = _api_document(client, key)
    assert f'href="/documents/{doc_id}"' in client.get("/documents").get_data(as_text=True)
    assert client.get(f"/documents/{doc_id}/export/json").status_code == 200
    assert client.get("/signin").status_code == 303 and "Sign out" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/api/v1/documents/{doc_id}").status_code == 200  # no key: every document, as before


def test_stores_from_before_gain_owner_and_admin_columns(tmp_path: Path) -> None:
    documents = sqlite3.connect(tmp_path / "documents.sqlite3")
    documents.execute(
        "CREATE TABLE documents (id TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', text TEXT NOT NULL,"
        " input_format TEXT NOT NULL DEFAULT 'text', requested_source TEXT NOT NULL,"
        " source_language TEXT NOT NULL DEFAULT '', target_language TEXT NOT NULL,"
        " word_count INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0,"
        " total INTEGER NOT NULL DEFAULT 0, error TEXT, result TEXT, created REAL NOT NULL, updated REAL NOT NULL,"
        " started REAL)"
    )
    documents.execute(
        "INSERT INTO documents (id, text, requested_source, target_language, status, created, updated)"
        " VALUES ('old', 'Hallo.', 'de', 'en', 'queued', 1, 1)"
    )
    documents.commit()
    documents.close()
    keys = sqlite3.connect(tmp_path / "keys.sqlite3")
    keys.execute("CREATE TABLE api_keys (name TEXT PRIMARY KEY, key_hash TEXT NOT NULL UNIQUE, rate_limit TEXT,"
                 " created REAL NOT NULL)")  # fmt: skip
    keys.execute("INSERT INTO api_keys VALUES ('old', 'hash', NULL, 1)")
    keys.commit()
    keys.close()

    store = DocumentStore(tmp_path / "documents.sqlite3")
    old = store.get("old")
    assert old is not None and old.owner is None
    new = store.create("Hallo Welt.", "de", "en", owner="alice")
    assert [d.id for d in store.recent(owner="alice")] == [new] and store.get("old", owner="alice") is None
    assert {d.id for d in store.recent()} == {"old", new}
    store.close()
    key_store = KeyStore(tmp_path / "keys.sqlite3")
    assert [(k.name, k.admin) for k in key_store.all()] == [("old", False)]
    key_store.close()


def test_keys_cli_admin(tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--data-dir", str(tmp_path)]
    added = runner.invoke(main, [*base, "keys", "add", "boss", "--admin"])
    assert added.exit_code == 0, added.output
    runner.invoke(main, [*base, "keys", "add", "alice"])
    listed = runner.invoke(main, [*base, "keys", "list"]).stdout.splitlines()
    assert listed[0].startswith("alice\t") and not listed[0].endswith("admin")
    assert listed[1].startswith("boss\t") and listed[1].endswith("\tadmin")
    store = KeyStore(tmp_path / "keys.sqlite3")
    found = store.lookup(added.stdout.strip())
    assert found is not None and found.admin
    store.close()
