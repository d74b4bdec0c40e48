"""Paths and small helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TEST_MODEL = ROOT / ".cache" / "test-model" / "translate-de_en-test.argosmodel"
SEED = FIXTURES / "alibaba_de.txt"

# An article whose every line tries to run script in a page that shows it.
HOSTILE = (
    "Böse Überschrift <script>window.__pwned = 1; alert('title')</script>\n\n"
    'Ein Absatz mit einem Bild <img src=x onerror="window.__pwned = 2; alert(2)"> und einem '
    '<a href="javascript:window.__pwned = 3">Link</a> im Text. '
    "Noch ein Satz mit <svg onload=alert(4)></svg> und <iframe src=javascript:alert(5)></iframe> darin.\n"
)


def run_concurrently(work: Callable[[int], None], count: int) -> list[BaseException]:
    """Run work(0..count-1) in threads at once; return what they raised (tests assert it is empty)."""
    errors: list[BaseException] = []

    def guarded(number: int) -> None:
        try:
            work(number)
        except BaseException as error:  # collected for the caller's assertion
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def overwrite_pages(path: Path, every: int = 3, first: int = 0, page_size: int = 4096) -> int:
    """Damage a file as a failing disk would: overwrite every ``every``-th page from page ``first`` (0-based).

    Page 0 holds SQLite's header (first=0 gives 'file is not a database'); from
    first=2 the header survives and the damage is found when a query reads a
    damaged page ('database disk image is malformed'). Returns the pages hit.
    """
    garbage = bytes(range(256)) * (page_size // 256)
    pages = range(first, path.stat().st_size // page_size, every)
    with path.open("r+b") as file:
        for page in pages:
            file.seek(page * page_size)
            file.write(garbage)
    return len(pages)


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
    """The production server (gunicorn.conf.py) on a free port, started and waited for until /ready answers 200."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind",
                   f"127.0.0.1:{self.port}", "app:create_app()"]  # fmt: skip
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


class RedisServer:
    """Debian's redis-server on a free port on 127.0.0.1, with its append-only file in ``directory``.

    Persistence is on (as in production): a stop with SIGTERM writes the file and a start on the same
    directory brings back the queue and the results.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
                   "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--protected-mode", "yes"]  # fmt: skip
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=20)
        self.process = None


def start_worker(name: str, data_dir: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``python -m translator worker`` in its own data directory (no shared files with others)."""
    command = [sys.executable, "-m", "translator", "--data-dir", str(data_dir), "worker", "--hostname", f"{name}@test"]
    with log.open("ab") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
