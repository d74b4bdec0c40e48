"""SIGTERM on the real gunicorn server: in-flight requests finish, running jobs checkpoint and resume."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT
from translator.cli.serve import gunicorn_command
from translator.storage.documents import DocumentStore


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


class Gunicorn:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = gunicorn_command(f"127.0.0.1:{self.port}")  # what `translator serve` runs
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if call(self.url + "/ready")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.process.kill()
        raise AssertionError(self.process.communicate()[0].decode())

    def terminate(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        output, _ = self.process.communicate(timeout=90)
        return output.decode(errors="replace")


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
