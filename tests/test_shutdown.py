"""SIGTERM on the real gunicorn server: in-flight requests finish, running jobs checkpoint and resume."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Gunicorn, call
from translator.storage.documents import DocumentStore

pytestmark = pytest.mark.slow  # a gunicorn server process, signalled


@pytest.mark.timeout(300)
def test_sigterm_finishes_requests_and_checkpoints_jobs(tmp_path: Path, model_dir: Path, seed_text: str) -> None:
    env = {**os.environ, "TRANSLATOR_DATA_DIR": str(tmp_path), "TRANSLATOR_MODEL_DIR": str(model_dir),
           "TRANSLATOR_RATE_LIMIT": "", "TRANSLATOR_MAX_CHARS": "2000000",
           "TRANSLATOR_API_MAX_BATCH": "200", "TRANSLATOR_API_MAX_CHARS": "100000"}  # fmt: skip
    server = Gunicorn(env)
    article = "\n\n".join(seed_text.replace("Alibaba", f"Alibaba {n}") for n in range(150))
    status, job = call(server.url + "/api/v1/documents", {"text": article, "source": "de", "async": True})
    assert status == 202, job
    doc_id = job["id"]
    deadline = time.monotonic() + 60
    while (progress := call(f"{server.url}/api/v1/documents/{doc_id}"))[1].get("done_sentences", 0) == 0:
        assert progress[0] == 200, progress
        assert time.monotonic() < deadline
        time.sleep(0.05)

    in_flight: dict[str, Any] = {}
    items = [f"Satz Nummer {n} über die Olympischen Spiele in Paris und ihre Sponsoren." for n in range(200)]

    def request() -> None:
        in_flight["result"] = call(server.url + "/translate", {"q": items, "source": "de", "target": "en"})

    thread = threading.Thread(target=request)
    thread.start()
    time.sleep(0.3)
    output = server.terminate()
    thread.join(timeout=60)
    assert server.process.returncode == 0, output
    assert "Traceback" not in output
    status, body = in_flight["result"]
    assert status == 200 and len(body["translatedText"]) == 200

    stored = DocumentStore(tmp_path / "documents.sqlite3").get(doc_id)
    assert stored is not None and stored.status == "queued", "the running job must be back in the queue"
    assert 0 < stored.done < stored.total
    done_before = stored.done

    restarted = Gunicorn(env)
    try:
        deadline = time.monotonic() + 180
        while (summary := call(f"{restarted.url}/api/v1/documents/{doc_id}")[1])["status"] != "done":
            assert summary["status"] in ("queued", "running") and time.monotonic() < deadline, summary
            time.sleep(0.2)
        status, document = call(f"{restarted.url}/api/v1/documents/{doc_id}/result")
        assert status == 200 and len(document["blocks"]) == 150 * 9
        cached = sum(s["cached"] for b in document["blocks"] for s in b["sentences"])
        assert cached >= done_before
    finally:
        assert "Traceback" not in restarted.terminate()
