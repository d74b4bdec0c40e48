"""Storage faults against a real app and real files: a damaged cache, a damaged or vanished document store."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.helpers import Gunicorn, call, overwrite_pages
from translator import Settings
from translator.cli.main import main
from translator.errors import StoreUnavailable
from translator.storage.cache import SentenceCache, cache_key
from translator.storage.documents import DocumentStore, document_store_path

ARTICLE = "Die Regierung hat am Montag ein neues Gesetz beschlossen. Es tritt im Sommer in Kraft."


def _translate(client: Any, text: str = ARTICLE) -> Any:
    return client.post("/translate", json={"q": text, "source": "de", "target": "en"})


def _filled_cache(path: Path, rows: int = 3000) -> list[str]:
    """A cache file of some hundred pages, closed (checkpointed) as after a server stop; its keys."""
    cache = SentenceCache(path)
    sentences = [f"Satz Nummer {n} über ein Thema, das lang genug ist, um Seiten zu füllen." for n in range(rows)]
    keys = [cache_key("m", "de", "en", s) for s in sentences]
    cache.put_many((key, "m", "de", "en", s, s.upper()) for key, s in zip(keys, sentences, strict=True))
    cache.close()
    return keys


def _filled_store(path: Path, documents: int = 60) -> list[str]:
    store = DocumentStore(path)
    ids = [store.create(f"{ARTICLE} Artikel {n}. " * 20, "de", "en", title=f"Artikel {n}") for n in range(documents)]
    store.mark_running(ids[-1])  # a job left running, as after a crash: boot resumes it
    store.close()
    return ids


def _corrupt_files(directory: Path, name: str) -> list[Path]:
    return sorted(directory.glob(f"{name}.corrupt-*"))


@pytest.mark.parametrize("first", [0, 2], ids=["header", "pages"])
def test_damaged_cache_is_moved_aside_and_translation_goes_on(
    make_app: Callable[..., Any], settings: Settings, caplog: pytest.LogCaptureFixture, first: int
) -> None:
    path = settings.cache_path
    _filled_cache(path)
    assert overwrite_pages(path, every=3, first=first) > 50
    client = make_app().test_client()
    with caplog.at_level(logging.ERROR):
        response = _translate(client)
    assert response.status_code == 200, response.get_json()
    assert "Montag" not in response.get_json()["translatedText"]
    moved = _corrupt_files(path.parent, path.name)
    assert len(moved) == 1
    assert str(path) in caplog.text and str(moved[0]) in caplog.text  # which file, and where it went
    with sqlite3.connect(path) as fresh:  # a fresh, healthy cache took its place and keeps working
        assert fresh.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert fresh.execute("SELECT COUNT(*) FROM translations").fetchone()[0] > 0
    job = client.post("/api/v1/documents", json={"text": ARTICLE, "source": "de"})
    assert job.status_code == 201 and job.get_json()["status"] == "done"
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.get_json()["status"] == "ready"


def test_cache_damaged_while_open_is_moved_aside_at_the_next_lookup(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    path = settings.cache_path
    keys = _filled_cache(path, rows=20_000)  # more pages than SQLite keeps in memory
    cache = SentenceCache(path)
    assert len(cache.get_many(keys[:10])) == 10
    overwrite_pages(path, every=3, first=2)
    with caplog.at_level(logging.ERROR):
        assert cache.get_many(keys) == {}  # a miss, not an error: the sentences get translated again
    (moved,) = _corrupt_files(path.parent, path.name)
    assert str(moved) in caplog.text
    cache.put_many([(keys[0], "m", "de", "en", "Satz", "SATZ")])
    assert cache.get_many(keys[:1]) == {keys[0]: "SATZ"} and len(cache) == 1 and cache.problem() is None


@pytest.mark.parametrize("first", [0, 2], ids=["header", "pages"])
def test_damaged_document_store_leaves_translation_working(
    make_app: Callable[..., Any], settings: Settings, caplog: pytest.LogCaptureFixture, first: int
) -> None:
    path = document_store_path(settings)
    _filled_store(path)
    assert overwrite_pages(path, every=3, first=first) >= 10
    with caplog.at_level(logging.ERROR):
        app = make_app()  # boots
    assert str(path) in caplog.text  # the log names the file by its full path
    client = app.test_client()
    translated = _translate(client)
    assert translated.status_code == 200 and translated.get_json()["translatedText"]

    for response in (
        client.get("/api/v1/documents"),
        client.post("/api/v1/documents", json={"text": ARTICLE, "source": "de"}),
    ):
        assert response.status_code == 503
        message = response.get_json()["error"]
        assert "documents.sqlite3" in message and "store recover" in message
        assert str(settings.data_dir) not in message  # the file's name, never the server's path
    library = client.get("/documents")
    assert library.status_code == 503 and "documents.sqlite3" in library.get_data(as_text=True)
    assert "store recover" in library.get_data(as_text=True)

    ready = client.get("/ready")
    body = ready.get_json()
    assert ready.status_code == 200 and body["status"] == "degraded" and body["pairs"]
    assert set(body["degraded"]) == {"documents"} and "documents.sqlite3" in body["degraded"]["documents"]


def test_document_store_damaged_while_open_stops_answering(settings: Settings) -> None:
    path = document_store_path(settings)
    ids = _filled_store(path)
    store = DocumentStore(path)
    overwrite_pages(path, every=3, first=2)
    with pytest.raises(StoreUnavailable, match=r"documents\.sqlite3.*store recover"):
        for doc_id in ids:
            store.get(doc_id)
    assert store.problem() is not None and path.exists()  # kept as it is, for store recover
    with pytest.raises(StoreUnavailable):
        store.create(ARTICLE, "de", "en")


def test_document_store_deleted_under_the_server_fails_loudly(
    client: Any, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    created = client.post("/api/v1/documents", json={"text": ARTICLE, "source": "de"})
    assert created.status_code == 201
    path = document_store_path(settings)
    for file in path.parent.glob(path.name + "*"):
        file.unlink()
    with caplog.at_level(logging.ERROR):
        again = client.post("/api/v1/documents", json={"text": ARTICLE, "source": "de"})
    assert again.status_code == 503 and "deleted" in again.get_json()["error"]
    assert str(path) in caplog.text
    assert client.get(f"/api/v1/documents/{created.get_json()['id']}").status_code == 503
    assert client.get("/documents").status_code == 503
    assert _translate(client).status_code == 200  # translation itself goes on
    assert "deleted" in client.get("/ready").get_json()["degraded"]["documents"]


def test_document_store_replaced_under_the_server_fails_loudly(client: Any, settings: Settings) -> None:
    assert client.post("/api/v1/documents", json={"text": ARTICLE, "source": "de"}).status_code == 201
    path = document_store_path(settings)
    other = path.with_name("other.sqlite3")
    DocumentStore(other).close()
    os.replace(other, path)
    response = client.get("/api/v1/documents")
    assert response.status_code == 503 and "replaced" in response.get_json()["error"]


def test_cache_deleted_under_the_server_is_started_again(client: Any, settings: Settings) -> None:
    assert _translate(client).status_code == 200
    path = settings.cache_path
    for file in path.parent.glob(path.name + "*"):
        file.unlink()
    assert _translate(client, "Ein ganz anderer Satz über das Wetter.").status_code == 200
    with sqlite3.connect(path) as reopened:  # the new sentences went into a file that exists
        assert reopened.execute("SELECT COUNT(*) FROM translations").fetchone()[0] > 0
    assert client.get("/ready").get_json()["status"] == "ready"


def test_store_check_and_recover_salvage_a_damaged_document_store(
    make_app: Callable[..., Any], settings: Settings
) -> None:
    path = document_store_path(settings)
    ids = _filled_store(path)
    overwrite_pages(path, every=3, first=2)
    damaged = path.read_bytes()
    runner = CliRunner()
    options = ["--data-dir", str(settings.data_dir), "--model-dir", str(settings.model_dir)]

    checked = runner.invoke(main, [*options, "store", "check"])
    assert checked.exit_code == 1 and "documents  DAMAGED" in checked.output and "store recover" in checked.output
    recovered = runner.invoke(main, [*options, "store", "recover"])
    assert recovered.exit_code == 0, recovered.output
    (backup,) = _corrupt_files(path.parent, path.name)
    assert backup.read_bytes() == damaged and str(backup) in recovered.output  # the damaged file kept as it was
    assert runner.invoke(main, [*options, "store", "check"]).exit_code == 0

    client = make_app().test_client()
    listing = client.get("/api/v1/documents?limit=500")
    assert listing.status_code == 200
    salvaged = {item["id"] for item in listing.get_json()["documents"]}
    assert salvaged <= set(ids) and len(ids) // 2 <= len(salvaged) < len(ids)  # a third of the pages were lost
    assert f"salvaged {len(salvaged)} from documents" in recovered.output
    some = next(iter(salvaged))
    assert client.get(f"/api/v1/documents/{some}").get_json()["title"].startswith("Artikel")
    assert client.get("/ready").get_json()["status"] == "ready"


def test_store_recover_leaves_a_sound_store_alone(settings: Settings) -> None:
    DocumentStore(document_store_path(settings)).close()
    options = ["--data-dir", str(settings.data_dir), "--model-dir", str(settings.model_dir)]
    result = CliRunner().invoke(main, [*options, "store", "recover"])
    assert result.exit_code == 0 and "documents  ok: nothing to recover" in result.output
    assert not _corrupt_files(settings.data_dir, "documents.sqlite3")


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_gunicorn_boots_and_translates_with_a_damaged_document_store(tmp_path: Path, model_dir: Path) -> None:
    path = document_store_path(Settings(data_dir=tmp_path, model_dir=model_dir))
    _filled_store(path)
    overwrite_pages(path, every=3, first=2)
    env = {**os.environ, "TRANSLATOR_DATA_DIR": str(tmp_path), "TRANSLATOR_MODEL_DIR": str(model_dir),
           "TRANSLATOR_RATE_LIMIT": ""}  # fmt: skip
    server = Gunicorn(env)  # waits for /ready to answer 200
    try:
        status, body = call(server.url + "/translate", {"q": ARTICLE, "source": "de", "target": "en"})
        assert status == 200 and body["translatedText"]
        status, body = call(server.url + "/api/v1/documents")
        assert status == 503 and "documents.sqlite3" in body["error"] and "store recover" in body["error"]
        status, body = call(server.url + "/ready")
        assert status == 200 and list(body["degraded"]) == ["documents"]
    finally:
        output = server.terminate()
    assert server.process.returncode == 0 and "Worker failed to boot" not in output
    assert str(path) in output and "Traceback" not in output
