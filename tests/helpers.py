"""Paths and small helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from translator.cli.serve import gunicorn_command

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
    """The production server (what `translator serve` runs) on a free port, waited for until /ready answers 200."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = gunicorn_command(f"127.0.0.1:{self.port}")
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
