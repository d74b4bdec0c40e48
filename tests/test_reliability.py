"""Faults: a job killed mid-translation resumes without losing work; a corrupt model never crashes the app;
the SQLite stores take concurrent writers."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_concurrently
from translator import Settings, Translator
from translator.jobs import JobRunner
from translator.status import JobStatus
from translator.storage.documents import DocumentStore

WORKER = """
import sys, time
from pathlib import Path
from translator import Settings, Translator
from translator.jobs import JobRunner
from translator.storage.documents import DocumentStore
settings = Settings(data_dir=Path(sys.argv[1]), model_dir=Path(sys.argv[2]))
store = DocumentStore(settings.data_dir / "documents.sqlite3")
runner = JobRunner(Translator(settings), store)
runner.submit(sys.argv[3])
time.sleep(600)
"""


@pytest.mark.slow
def test_job_killed_mid_translation_resumes_without_losing_finished_work(settings: Settings, seed_text: str) -> None:
    store = DocumentStore(settings.data_dir / "documents.sqlite3")
    long_article = "\n\n".join(seed_text.replace("Alibaba", f"Alibaba {n}") for n in range(40))
    doc_id = store.create(long_article, "de", "en")
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(settings.data_dir), str(settings.model_dir), doc_id], cwd=ROOT
    )
    done_at_kill = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        stored = store.get(doc_id)
        assert stored is not None and stored.status != "failed", stored.error if stored else None
        if stored.total and stored.done >= stored.total // 4:
            done_at_kill = stored.done
            break
        time.sleep(0.01)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    stored = store.get(doc_id)
    assert stored is not None and stored.status == "running" and 0 < done_at_kill < stored.total

    runner = JobRunner(Translator(settings), store)  # the restarted process
    assert runner.resume_pending() == [doc_id]
    runner.wait(doc_id, timeout=120)
    resumed = store.get(doc_id)
    assert resumed is not None and resumed.status == "done"
    document = resumed.document()
    assert document is not None and len(document.blocks) == 40 * 9
    cached = sum(s.cached for s in document.sentences)
    assert cached >= done_at_kill, "sentences finished before the kill must come from the cache"


def test_corrupt_model_gives_503_and_a_clear_message(tmp_path: Path, model_dir: Path) -> None:
    from app import create_app

    broken = tmp_path / "models"
    shutil.copytree(model_dir, broken)
    package = next(p for p in broken.iterdir() if p.is_dir())
    (package / "model" / "model.bin").write_bytes(b"this is not a model")
    settings = Settings(data_dir=tmp_path / "data", model_dir=broken)
    app = create_app({"TRANSLATOR_SETTINGS": settings, "TESTING": True})
    response = app.test_client().get("/ready")
    assert response.status_code == 503
    assert "could not be loaded" in response.get_json()["error"]
    assert app.test_client().get("/health").status_code == 200


def test_missing_model_gives_503_with_install_hint(tmp_path: Path) -> None:
    from app import create_app

    settings = Settings(data_dir=tmp_path / "data", model_dir=tmp_path / "none")
    response = create_app({"TRANSLATOR_SETTINGS": settings, "TESTING": True}).test_client().get("/ready")
    assert response.status_code == 503 and "models install" in response.get_json()["error"]


def test_document_store_takes_concurrent_writers(tmp_path: Path) -> None:
    path = tmp_path / "documents.sqlite3"

    def work(worker: int) -> None:
        store = DocumentStore(path)  # one connection per thread, as separate processes would have
        for n in range(25):
            doc_id = store.create(f"Text {worker} {n}", "de", "en")
            store.mark_running(doc_id)
            store.set_progress(doc_id, 1, 2)
            store.set_status(doc_id, JobStatus.CANCELLED, "test")

    assert run_concurrently(work, 6) == []
    assert len(DocumentStore(path).recent(1000)) == 150


def test_several_translators_share_one_cache_file(settings: Settings, seed_text: str) -> None:
    """Three processes' worth of translators writing the same cache at once: no 'database is locked'."""

    def work(n: int) -> None:
        Translator(settings).translate_document(seed_text.replace("Alibaba", f"Alibaba{n}"))

    assert run_concurrently(work, 3) == []


def test_startup_without_a_model_says_how_to_install_one(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from app import create_app

    broken = tmp_path / "models"
    (broken / "half-copied").mkdir(parents=True)
    settings = Settings(data_dir=tmp_path / "data", model_dir=broken)
    with caplog.at_level(logging.WARNING):
        create_app({"TRANSLATOR_SETTINGS": settings, "TESTING": True})
    messages = [r.getMessage() for r in caplog.records]
    assert any("No translation model installed" in m and "models install" in m for m in messages)
    assert any("Unusable model package" in m and "metadata.json is missing" in m for m in messages)
