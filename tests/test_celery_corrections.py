"""Corrections and glossaries saved on the web server are applied by a Celery worker on another machine.

A real redis-server and one ``python -m translator worker`` process with its own, empty data directory
(no shared files: as on another machine). The web app is configured with the broker; a person corrects a
sentence in the reader's API and creates a glossary in the web library; later articles translated by the
worker must use both, and equal what the embedded backend gives with the same memory and glossary.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT, SEED, RedisServer, start_worker, stop_processes, wait_until_ready
from translator.config import Settings

pytestmark = pytest.mark.slow
RECEIVED = re.compile(r"Task translator\.translate_article\[(article-[0-9a-f]+)\] received")
CORRECTED = "The correction a person saved on the web server."


@pytest.fixture
def worker(tmp_path: Path, model_dir: Path, redis_server: RedisServer) -> Iterator[Path]:
    """One worker with an empty data directory of its own; yields its log."""
    data_dir, log = tmp_path / "worker", tmp_path / "worker.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")}
    env.update(TRANSLATOR_MODEL_DIR=str(model_dir), TRANSLATOR_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT),
               TRANSLATOR_BROKER_URL=redis_server.url)  # fmt: skip
    process = start_worker("w1", data_dir, env, log)
    try:
        wait_until_ready({"w1": process}, {"w1": log})
        yield log
    finally:
        stop_processes([process])


@pytest.fixture
def web(tmp_path: Path, model_dir: Path, redis_server: RedisServer) -> Iterator[Any]:
    from app import create_app

    settings = Settings(data_dir=tmp_path / "web", model_dir=model_dir, broker_url=redis_server.url)
    app = create_app({"TRANSLATOR_SETTINGS": settings, "TESTING": True, "WTF_CSRF_ENABLED": False})
    yield app
    app.extensions["translator_services"].jobs.shutdown()


def _translated(app: Any, text: str, **options: str) -> tuple[str, Any]:
    """Submit through the document API (a job for the worker); wait until the server stored the result."""
    response = app.test_client().post("/api/v1/documents", json={"text": text, "async": True, **options})
    assert response.status_code == 202, response.get_json()
    doc_id = response.get_json()["id"]
    store = app.extensions["translator_services"].store
    deadline = time.monotonic() + 120
    while (stored := store.get(doc_id)).status != "done":
        assert stored.status in ("queued", "running") and time.monotonic() < deadline, (stored.status, stored.error)
        time.sleep(0.05)
    return doc_id, stored.document()


def _received(log: Path) -> list[str]:
    return RECEIVED.findall(log.read_text(errors="replace"))


def test_a_correction_saved_on_the_web_server_is_used_by_the_worker(web: Any, worker: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")
    doc_id, first = _translated(web, seed)
    block_number = next(n for n, block in enumerate(first.blocks, start=1) if len(block.sentences) > 1)
    sentence = first.blocks[block_number - 1].sentences[0]
    assert sentence.origin == "model" and sentence.translation != CORRECTED
    pair = f"b{block_number}-s1"
    edit = web.test_client().put(f"/api/v1/documents/{doc_id}/sentences/{pair}", json={"translation": CORRECTED})
    assert edit.status_code == 200, edit.get_json()

    article = f"Eine neue Meldung\n\nZuerst etwas anderes. {sentence.source}\n\nUnd zum Schluss noch ein Satz."
    _, second = _translated(web, article)
    reused = [s for s in second.sentences if s.source == sentence.source]
    assert [(s.translation, s.origin) for s in reused] == [(CORRECTED, "memory")]
    embedded = web.extensions["translator_services"].translator  # the same memory, translating in-process
    assert second.stable_dict() == embedded.translate_document(article).stable_dict()

    # An identical resubmission is the same task (not sent again); a changed correction is a new one.
    tasks = _received(worker)
    _translated(web, article)
    assert _received(worker) == tasks
    edit = web.test_client().put(f"/api/v1/documents/{doc_id}/sentences/{pair}", json={"translation": "Changed."})
    assert edit.status_code == 200, edit.get_json()
    _, third = _translated(web, article)
    assert [s.translation for s in third.sentences if s.source == sentence.source] == ["Changed."]
    assert len(_received(worker)) == len(tasks) + 1 and _received(worker)[-1] not in tasks


def test_a_glossary_made_in_the_web_library_applies_on_the_worker(web: Any, worker: Path) -> None:
    client = web.test_client()
    form = {"name": "newsroom", "source": "de", "target": "en", "term": "Vorstand", "translation": "executive board"}
    assert client.post("/glossaries/add", data=form).status_code == 303
    assert client.post("/glossaries/add", data={**form, "term": "Schmidtbauer", "translation": ""}).status_code == 303
    article = "Der Vorstand von Schmidtbauer traf sich gestern in Berlin.\n\nDer Vorstand entschied nichts."
    _, document = _translated(web, article, glossary="newsroom")
    assert document.provenance["glossary"] == "newsroom"
    assert "Schmidtbauer" in document.blocks[0].translation  # do not translate: exactly as written
    assert all("executive board" in block.translation for block in document.blocks)
    services = web.extensions["translator_services"]
    embedded = services.translator.translate_document(article, glossary=services.translator.glossary_named("newsroom"))
    assert document.stable_dict() == embedded.stable_dict()
