"""The job-backend choice, task ids and a broker that does not answer (no Redis needed for these)."""

from __future__ import annotations

import socket
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.fakes import FakeEngineForUnitTests
from tests.helpers import SEED
from translator.cli.main import main
from translator.config import Settings
from translator.errors import ConfigError
from translator.jobs import (
    ArticleRequest,
    EmbeddedBackend,
    JobRunner,
    job_backend,
    job_runner,
    task_id_for,
)
from translator.jobs.celery_backend import CeleryBackend
from translator.jobs.remote import RemoteJobRunner
from translator.models import InstalledModel
from translator.pipeline import Translator
from translator.storage.documents import DocumentStore


def _closed_port_url() -> str:
    with socket.socket() as sock:  # bound, never listening: connections are refused at once
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def _fake_translator(tmp_path: Path, engine: FakeEngineForUnitTests | None = None, **overrides: object) -> Translator:
    return Translator(Settings(data_dir=tmp_path, **overrides), engine=engine or FakeEngineForUnitTests())  # type: ignore[arg-type]


def test_task_ids_follow_content_languages_model_and_options(tmp_path: Path) -> None:
    translator = _fake_translator(tmp_path)
    base = task_id_for(translator, ArticleRequest("Ein Satz.", "de", "en"))
    assert base == task_id_for(translator, ArticleRequest("Ein Satz.", "DE ", "en"))  # normalised codes
    assert base == task_id_for(_fake_translator(tmp_path / "other"), ArticleRequest("Ein Satz.", "de", "en"))
    assert base != task_id_for(translator, ArticleRequest("Ein Satz!", "de", "en"))
    assert base != task_id_for(translator, ArticleRequest("Ein Satz.", "auto", "en"))
    newer = FakeEngineForUnitTests()
    newer.model = replace(newer.model, version="2.0")
    assert base != task_id_for(_fake_translator(tmp_path, newer), ArticleRequest("Ein Satz.", "de", "en"))
    assert isinstance(newer.model, InstalledModel)


def test_the_broker_setting_chooses_the_backend(tmp_path: Path) -> None:
    translator = _fake_translator(tmp_path)
    store = DocumentStore(tmp_path / "documents.sqlite3")
    embedded = Settings(data_dir=tmp_path)
    assert isinstance(job_backend(embedded, translator), EmbeddedBackend)
    assert isinstance(job_runner(embedded, translator, store), JobRunner)
    broker = Settings(data_dir=tmp_path, broker_url="redis://127.0.0.1:1/0")
    assert isinstance(job_backend(broker, translator), CeleryBackend)  # nothing connects until it is used
    assert isinstance(job_runner(broker, translator, store), RemoteJobRunner)
    with pytest.raises(ConfigError, match="redis://"):
        job_backend(Settings(data_dir=tmp_path, broker_url="amqp://guest@localhost//"), translator)
    with pytest.raises(ConfigError, match="BROKER_VISIBILITY_TIMEOUT"):
        Settings.from_env({"TRANSLATOR_BROKER_VISIBILITY_TIMEOUT": "0"})


def test_embedded_backend_runs_a_repeated_task_once(tmp_path: Path) -> None:
    engine = FakeEngineForUnitTests()
    translator = _fake_translator(tmp_path, engine, cache=False)
    backend = EmbeddedBackend(translator)
    request = ArticleRequest("Ein Satz.", "de", "en")
    task_id = task_id_for(translator, request)
    backend.submit(task_id, request)
    backend.submit(task_id, request)
    deadline = time.monotonic() + 10
    while not backend.state(task_id).finished and time.monotonic() < deadline:
        time.sleep(0.01)
    state = backend.state(task_id)
    backend.close()
    assert state.state == "done" and state.document is not None
    assert state.document["blocks"][0]["translation"] == "EIN SATZ."
    assert engine.seen == ["Ein Satz."]


def test_worker_needs_a_broker(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "worker"], env={"TRANSLATOR_BROKER_URL": ""})
    assert result.exit_code == 1 and "TRANSLATOR_BROKER_URL" in result.output


def test_batch_with_a_broker_that_does_not_answer_exits_4(tmp_path: Path, model_dir: Path) -> None:
    article = tmp_path / "bericht.txt"
    article.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    env = {"TRANSLATOR_BROKER_URL": _closed_port_url(), "TRANSLATOR_MODEL_DIR": str(model_dir)}
    args = ["--data-dir", str(tmp_path / "data"), "batch", str(article), "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 4, result.output
    assert "job queue (TRANSLATOR_BROKER_URL) does not answer" in result.output
    assert not list((tmp_path / "out").glob("bericht*"))


def test_web_with_a_broker_that_does_not_answer(settings: Settings) -> None:
    from app import create_app

    app = create_app(
        {"TRANSLATOR_SETTINGS": replace(settings, broker_url=_closed_port_url()), "TESTING": True,
         "WTF_CSRF_ENABLED": False}
    )  # fmt: skip
    client = app.test_client()
    try:
        response = client.post("/api/v1/documents", json={"text": SEED.read_text(encoding="utf-8"), "async": True})
        assert response.status_code == 503
        assert "job queue" in response.get_json()["error"] and "redis://" not in response.get_json()["error"]
        form = client.post("/documents", data={"text": SEED.read_text(encoding="utf-8"), "target": "en"})
        assert form.status_code == 503 and "was not submitted" in form.get_data(as_text=True)
        assert client.get("/api/v1/documents").get_json()["documents"] == []  # nothing half-accepted
        ready = client.get("/ready").get_json()
        assert ready["status"] == "degraded" and "job queue" in ready["degraded"]["jobs"]
        assert ready["broker"] == "unreachable"
        assert "translator_jobs_broker_up 0.0" in client.get("/metrics").get_data(as_text=True)
    finally:
        app.extensions["translator_services"].jobs.shutdown()


def test_worker_task_reports_progress_and_refuses_other_models(tmp_path: Path) -> None:
    from translator.jobs.tasks import MISMATCH, run_task

    translator = _fake_translator(tmp_path, cache=False)
    text = "Titel\n\n" + " ".join(f"Satz Nummer {n} steht hier." for n in range(40))
    request = ArticleRequest(text, "de", "en")
    reports: list[dict[str, object]] = []
    result = run_task(translator, request, task_id_for(translator, request), reports.append)
    assert [(r["done"], r["total"]) for r in reports] == [(16, 41), (32, 41), (41, 41)]
    assert reports[0]["partial"] is not None  # the reader shows finished blocks while the worker runs
    assert all(r["partial"] is None for r in reports[1:])  # fast slices: progress only, no repeated document
    assert result["document"]["blocks"][0]["translation"] == "TITEL"
    other = run_task(translator, request, task_id_for(translator, ArticleRequest(text, "de", "fr")), reports.append)
    assert other == {"error": MISMATCH}


def test_worker_task_keeps_a_web_pages_metadata(tmp_path: Path) -> None:
    """A fetched page's metadata travels with the job (as JSON, like Celery sends it) into the document."""
    import json

    from translator.jobs.tasks import run_task

    translator = _fake_translator(tmp_path, cache=False)
    metadata = {"title": "Ein Bericht", "author": "A. Autorin", "url": "https://example.de/bericht"}
    request = ArticleRequest.from_dict(
        json.loads(json.dumps(ArticleRequest("Ein Satz.", "de", "en", metadata).to_dict()))
    )
    assert request.metadata == metadata
    assert task_id_for(translator, request) != task_id_for(translator, ArticleRequest("Ein Satz.", "de", "en"))
    result = run_task(translator, request, task_id_for(translator, request), lambda _report: None)
    assert result["document"]["metadata"] == metadata


def test_a_memory_answer_keeps_its_origin_when_a_glossary_is_used(tmp_path: Path) -> None:
    translator = _fake_translator(tmp_path, cache=False)
    assert translator.memory is not None
    translator.memory.put("de", "en", "Ein Satz.", "One sentence, corrected.", "edit")
    translator.glossaries.add("news", "Siemens", None, "de", "en")
    document = translator.translate_document(
        "Ein Satz. Siemens baut.", "de", "en", glossary=translator.glossary_named("news")
    )
    assert [(s.translation, s.origin) for s in document.sentences] == [
        ("One sentence, corrected.", "memory"),
        ("Siemens BAUT.", "model"),
    ]
