"""Jobs on Celery workers over a real Redis: the web job runner and the batch CLI, two worker processes.

Every test starts its own redis-server (persistence on, as in production) and
two ``python -m translator worker`` processes with separate data directories
(no shared files: results travel through Redis only). One worker is killed with
SIGKILL in the middle of an article, Redis is stopped mid-batch and started
again, and every article must still complete, once, with outputs byte-identical
to the embedded backend's.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.helpers import ROOT, SEED, RedisServer, start_worker, stop_processes, wait_until_ready
from translator.config import Settings
from translator.exports import render
from translator.pipeline import Translator

pytestmark = pytest.mark.slow
VISIBILITY_TIMEOUT = "4"  # seconds before a killed worker's article goes to the other one
MANIFEST_JOURNAL = ".translator-manifest.journal"
RECEIVED = re.compile(r"Task translator\.translate_article\[(article-[0-9a-f]+)\] received")
SUCCEEDED = re.compile(r"Task translator\.translate_article\[(article-[0-9a-f]+)\] succeeded")


def _sentences() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 25]


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and 30 small articles made of its sentences (each different)."""
    directory = tmp_path_factory.mktemp("articles")
    (directory / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    sentences = _sentences()
    for number in range(30):
        picked = [sentences[(number * 3 + k) % len(sentences)] for k in range(2 + number % 4)]
        title = f"Meldung {number + 1}: {' '.join(picked[0].split()[:5])}"
        body = "\n\n".join([" ".join(picked[:2]), " ".join(picked[2:])]).strip()
        (directory / f"meldung-{number + 1:02d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return directory


def _env(model_dir: Path, data_dir: Path, broker: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")}
    env.update(TRANSLATOR_MODEL_DIR=str(model_dir), TRANSLATOR_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    if broker:
        env.update(TRANSLATOR_BROKER_URL=broker, TRANSLATOR_BROKER_VISIBILITY_TIMEOUT=VISIBILITY_TIMEOUT)
    return env


def _batch(articles: Path, out: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "translator", "batch", str(articles), "--out", str(out), "--format", "html,json"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file() and not p.name.startswith(".")}


@pytest.fixture(scope="module")
def embedded_outputs(articles: Path, model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The batch outputs of the embedded backend (no broker): what the workers must reproduce byte for byte."""
    base = tmp_path_factory.mktemp("embedded")
    process = _batch(articles, base / "out", _env(model_dir, base / "data"))
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    outputs = _outputs(base / "out")
    assert len(outputs) == 2 * 31
    return outputs


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


class Workers:
    """Two worker processes, each with its own data directory and log."""

    def __init__(self, tmp_path: Path, model_dir: Path, broker: str) -> None:
        self.logs = {name: tmp_path / f"{name}.log" for name in ("w1", "w2")}
        self.processes = {
            name: start_worker(name, tmp_path / name, _env(model_dir, tmp_path / name, broker), log)
            for name, log in self.logs.items()
        }
        wait_until_ready(self.processes, self.logs)

    def log(self, name: str) -> str:
        return self.logs[name].read_text(errors="replace")

    def received(self, name: str) -> list[str]:
        return RECEIVED.findall(self.log(name))

    def kill_in_the_middle(self, name: str, timeout: float = 120) -> str:
        """SIGKILL the worker while it holds an article it has not finished; returns that task's id."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            log = self.log(name)
            received, succeeded = RECEIVED.findall(log), set(SUCCEEDED.findall(log))
            if len(received) >= 2 and received[-1] not in succeeded:
                self.processes[name].send_signal(signal.SIGKILL)
                self.processes[name].wait(timeout=10)
                return received[-1]
            time.sleep(0.002)
        raise AssertionError(f"{name} never held an article:\n{self.log(name)[-3000:]}")

    def stop(self) -> None:
        stop_processes(self.processes.values())


@pytest.fixture
def workers(tmp_path: Path, model_dir: Path, redis_server: RedisServer) -> Iterator[Workers]:
    started = Workers(tmp_path, model_dir, redis_server.url)
    yield started
    started.stop()


def _journal_lines(out: Path) -> int:
    journal = out / MANIFEST_JOURNAL
    return len(journal.read_text(encoding="utf-8").splitlines()) if journal.exists() else 0


def _wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_batch_on_two_workers_one_killed_matches_embedded(
    articles: Path, embedded_outputs: dict[str, bytes], workers: Workers, redis_server: RedisServer,
    model_dir: Path, tmp_path: Path,
) -> None:  # fmt: skip
    out = tmp_path / "out"
    batch = _batch(articles, out, _env(model_dir, tmp_path / "submitter", redis_server.url))
    victim = workers.kill_in_the_middle("w1")
    output, _ = batch.communicate(timeout=180)
    assert batch.returncode == 0, output
    assert "Summary: 31 translated, 0 unchanged (skipped), 0 failed, of 31 files" in output
    assert _outputs(out) == embedded_outputs
    assert victim in workers.received("w2"), "the killed worker's article was not redelivered to the other"


def test_batch_killed_then_redis_stopped_resumes_with_nothing_lost(
    articles: Path, embedded_outputs: dict[str, bytes], workers: Workers, redis_server: RedisServer,
    model_dir: Path, tmp_path: Path,
) -> None:  # fmt: skip
    out = tmp_path / "out"
    env = _env(model_dir, tmp_path / "submitter", redis_server.url)
    first = _batch(articles, out, env)
    _wait_for(lambda: _journal_lines(out) >= 3, 120, "three files recorded")
    first.send_signal(signal.SIGKILL)  # no chance to clean up: the manifest journal is all that is left
    first.wait(timeout=10)
    recorded = _journal_lines(out)
    client = redis.Redis.from_url(redis_server.url)
    _wait_for(lambda: client.llen("celery") == 0 and client.hlen("unacked") == 0, 120, "the workers to drain")
    executed = len(workers.received("w1")) + len(workers.received("w2"))

    # Restarted: the finished results are collected from Redis, not translated again.
    second = _batch(articles, out, env)
    output, _ = second.communicate(timeout=180)
    assert second.returncode == 0, output
    assert f"{31 - recorded} translated, {recorded} unchanged (skipped), 0 failed" in output
    assert len(workers.received("w1")) + len(workers.received("w2")) == executed
    assert _outputs(out) == embedded_outputs

    # Redis goes away mid-batch: the CLI says so and exits 4; once it is back a re-run finishes the rest.
    out2 = tmp_path / "out2"
    third = _batch(articles, out2, _env(model_dir, tmp_path / "submitter2", redis_server.url))
    _wait_for(lambda: _journal_lines(out2) >= 2, 120, "two files recorded")
    redis_server.stop()
    output, _ = third.communicate(timeout=120)
    assert third.returncode == 4, output
    assert "job queue (TRANSLATOR_BROKER_URL) does not answer" in output and "Traceback" not in output
    refused = _batch(articles, out2, _env(model_dir, tmp_path / "submitter2", redis_server.url))
    output, _ = refused.communicate(timeout=120)
    assert refused.returncode == 4, output
    redis_server.start()
    fourth = _batch(articles, out2, _env(model_dir, tmp_path / "submitter2", redis_server.url))
    output, _ = fourth.communicate(timeout=180)
    assert fourth.returncode == 0, output
    assert _outputs(out2) == embedded_outputs


def test_web_jobs_on_two_workers_survive_a_kill_a_restart_and_a_broker_outage(
    articles: Path, workers: Workers, redis_server: RedisServer, model_dir: Path, tmp_path: Path
) -> None:
    from app import create_app

    settings = Settings(data_dir=tmp_path / "web", model_dir=model_dir, broker_url=redis_server.url)
    config = {"TRANSLATOR_SETTINGS": settings, "TESTING": True, "WTF_CSRF_ENABLED": False}
    first = create_app(config)
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(articles.iterdir())}
    ids = {}
    for name, text in texts.items():
        response = first.test_client().post("/api/v1/documents", json={"text": text, "async": True})
        assert response.status_code == 202, response.get_json()
        ids[name] = response.get_json()["id"]
    workers.kill_in_the_middle("w1")  # its article comes back only after the visibility timeout
    first.extensions["translator_services"].jobs.shutdown()  # the server restarts with jobs in flight
    collected_before = first.extensions["translator_services"].jobs.outcomes["done"]
    app = create_app(config)  # resubmits the unfinished documents (same task ids) and follows them
    services = app.extensions["translator_services"]
    client = app.test_client()
    try:
        assert any(services.store.get(i).status != "done" for i in ids.values())
        redis_server.stop()
        refused = client.post("/api/v1/documents", json={"text": texts["seed.txt"] + " Neu.", "async": True})
        assert refused.status_code == 503 and "job queue" in refused.get_json()["error"]
        form = client.post("/documents", data={"text": texts["seed.txt"] + " Neu.", "source": "auto", "target": "en"})
        assert form.status_code == 503 and "job queue" in form.get_data(as_text=True)
        ready = client.get("/ready").get_json()
        assert ready["status"] == "degraded" and "job queue" in ready["degraded"]["jobs"]
        time.sleep(1)
        redis_server.start()
        _wait_for(lambda: all(services.store.get(i).status == "done" for i in ids.values()), 180, "every job")
        assert collected_before + services.jobs.outcomes["done"] == len(texts)  # each collected and stored once
        assert len(services.store.recent(limit=100)) == len(texts)  # the refused ones were not kept
        reference = Translator(Settings(data_dir=tmp_path / "embedded", model_dir=model_dir))
        for name, doc_id in ids.items():
            stored = services.store.get(doc_id).document()
            expected = reference.translate_document(texts[name])
            assert render(stored, "json").content == render(expected, "json").content, name
        metrics = client.get("/metrics").get_data(as_text=True)
        assert f'translator_jobs_outcomes_total{{outcome="done"}} {31 - collected_before}.0' in metrics
        assert "translator_jobs_queue_depth 0.0" in metrics and "translator_jobs_broker_up 1.0" in metrics
        assert client.get("/ready").get_json() == {"status": "ready", "pairs": ["de-en"], "broker": "reachable"}
    finally:
        services.jobs.shutdown()
