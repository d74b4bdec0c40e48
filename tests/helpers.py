"""Paths and small helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import ipaddress
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from translator.cli.serve import gunicorn_command

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TEST_MODEL = ROOT / ".cache" / "test-model" / "translate-de_en-test.argosmodel"
SEED = FIXTURES / "alibaba_de.txt"
XLIFF_SCHEMAS = FIXTURES / "xliff-schemas"  # the OASIS XSDs and the W3C xml.xsd they import (see its README)

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


class RedisServer:
    """Debian's redis-server on a free port on 127.0.0.1; ``stop()`` and ``start()`` again keep the port.

    ``persistent`` (as in production, for the job tests): an append-only file in ``directory``, so a stop with
    SIGTERM and a start bring back the queue and the results. Without it (the cache tests) a restart is empty.
    """

    def __init__(self, directory: Path, persistent: bool = True) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            raise RuntimeError("redis-server is not installed: run tools/ensure-redis.sh (make test does)")
        self.executable = executable
        self.directory = directory
        self.persistent = persistent
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        append = ["--appendonly", "yes", "--appendfsync", "always"] if self.persistent else ["--appendonly", "no"]
        command = [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
                   "--save", "", *append, "--protected-mode", "yes", "--daemonize", "no"]  # fmt: skip
        with (self.directory / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self.process.poll() is None:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.02)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=20)
        self.process = None


def start_worker(
    name: str, data_dir: Path, env: dict[str, str], log: Path, cpus: set[int] | None = None
) -> subprocess.Popen[bytes]:
    """``python -m translator worker`` in its own data directory (no shared files with others).

    ``cpus``: pin the process (and every thread it starts) to these cores, as ``taskset -c`` would (bench/scaling.py).
    """
    command = [sys.executable, "-m", "translator", "--data-dir", str(data_dir), "worker", "--hostname", f"{name}@test"]
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    with log.open("ab") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, preexec_fn=pin)


def wait_until_ready(
    processes: dict[str, subprocess.Popen[bytes]], logs: dict[str, Path], seconds: float = 120
) -> None:
    """Until every worker's log (``start_worker``'s) says it is ready; fails with the logs if one exits or time runs out."""
    deadline = time.monotonic() + seconds
    while not all(f"{name}@test ready" in logs[name].read_text(errors="replace") for name in processes):
        dead = [name for name, process in processes.items() if process.poll() is not None]
        tails = {name: logs[name].read_text(errors="replace")[-2000:] for name in processes}
        assert not dead and time.monotonic() < deadline, tails
        time.sleep(0.1)


def stop_processes(processes: Iterable[subprocess.Popen[Any]], seconds: float = 15) -> None:
    """SIGTERM them all (they shut down together), then wait; one still running after ``seconds`` is killed."""
    processes = list(processes)
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- A local web server and a guard that no connection leaves the machine --------------------------

Route = tuple[int, dict[str, str], bytes | Callable[[Any], None]]  # status, headers, body or a writer


class PageServer:
    """Serves fixed routes on 127.0.0.1 (a free port) from a thread; ``url(path)`` is their address."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.requests: list[str] = []
        self.hosts: list[str] = []  # the Host header of each request
        self.agents: list[str] = []  # the User-Agent header of each request
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                server.hosts.append(self.headers.get("Host", ""))
                server.agents.append(self.headers.get("User-Agent", ""))
                status, headers, body = server.routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value.replace("{base}", server.base))
                if callable(body):
                    self.end_headers()
                    # the client may stop reading: that is what the size cap and the timeouts do
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        body(self.wfile)
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> PageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


_outside_attempts: list[str] = []
_guard_on = threading.Event()


def _loopback_hook(event: str, args: tuple[Any, ...]) -> None:
    """While the guard is on: any connect to a non-loopback address, or a DNS lookup of a name, is refused."""
    if not _guard_on.is_set():
        return
    if event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else ""
        if isinstance(address, tuple) and not ipaddress.ip_address(host.split("%")[0]).is_loopback:
            _outside_attempts.append(f"connect {address}")
            raise PermissionError(f"test tried to connect outside the machine: {address}")
    elif event == "socket.getaddrinfo":
        host = args[0].decode() if isinstance(args[0], bytes) else str(args[0])
        try:
            ipaddress.ip_address(host)
        except ValueError:
            if host != "localhost":
                _outside_attempts.append(f"resolve {host}")
                raise PermissionError(f"test tried to resolve {host} (DNS traffic)") from None


_hook_installed: list[bool] = []


@contextlib.contextmanager
def loopback_only() -> Iterator[list[str]]:
    """Fail (raise in the caller) any connection attempt to anywhere but 127.0.0.1/::1 inside the block.

    An audit hook sees ``socket.connect`` before the system call, so a refused attempt sends no packet;
    the yielded list records attempts so a test can assert there were none (even if code swallowed the error).
    """
    if not _hook_installed:
        sys.addaudithook(_loopback_hook)
        _hook_installed.append(True)
    _outside_attempts.clear()
    _guard_on.set()
    try:
        yield _outside_attempts
    finally:
        _guard_on.clear()


def zip_of(members: dict[str, bytes]) -> bytes:
    """A zip archive (deflated) holding these members, built in memory: documents and packages for tests."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# Each XLIFF namespace, with the version attribute values it covers, and the official schema that validates it.
# XLIFF 2.1 and 2.2 keep 2.0's core namespace, and the 2.0 core schema leaves ``version`` untyped.
XLIFF_SCHEMA_FILES = {
    "urn:oasis:names:tc:xliff:document:1.2": (("1.2",), "xliff-core-1.2-strict.xsd"),
    "urn:oasis:names:tc:xliff:document:2.0": (("2.0", "2.1", "2.2"), "xliff-core-2.0.xsd"),
}
# Where the schemas import xml.xsd from: the W3C address (1.2) and OASIS' folder layout (2.0).
XML_XSD_LOCATIONS = ("http://www.w3.org/2001/xml.xsd", "/informativeCopiesOf3rdPartySchemas/w3c/xml.xsd")


class _LocalXmlXsd(etree.Resolver):
    """Answers the schemas' import of xml.xsd with the local copy, so validation never reaches the network."""

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> Any:
        if system_url and system_url.endswith(XML_XSD_LOCATIONS):
            return self.resolve_filename(str(XLIFF_SCHEMAS / "xml.xsd"), context)
        if system_url and Path(system_url).parent == XLIFF_SCHEMAS:
            return None  # the schema file itself, read from disk as usual
        raise AssertionError(f"an XLIFF schema imports {system_url!r}, which tests/fixtures/xliff-schemas lacks")


@functools.cache
def xliff_schema(filename: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalXmlXsd())
    return etree.XMLSchema(etree.parse(str(XLIFF_SCHEMAS / filename), parser))


def validate_xliff(data: bytes) -> None:
    """Fail unless ``data`` is XLIFF 1.2 or 2.x valid against the official OASIS schema of its namespace."""
    root = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    namespace, version = etree.QName(root).namespace, root.get("version")
    assert namespace in XLIFF_SCHEMA_FILES, f"not an XLIFF namespace: {root.tag}"
    versions, filename = XLIFF_SCHEMA_FILES[namespace]
    assert version in versions, f"XLIFF version {version!r} does not belong to namespace {namespace}"
    schema = xliff_schema(filename)
    assert schema.validate(root), f"invalid against {filename}:\n" + "\n".join(
        f"line {error.line}: {error.message}" for error in schema.error_log
    )


# A short letter: a heading, a plain paragraph, one with a bold word inside a sentence, and a table cell.
LETTER = (
    "Der neue Haushalt",
    "Die Stadt baut eine neue Brücke über den Fluss.",
    "Die Arbeiten beginnen im Mai.",
    "Die Kosten sind sehr hoch.",
    "Zelle mit Text",
)


def letter_docx() -> bytes:
    """``LETTER`` as a .docx built with python-docx (the bold run is the word ``sehr``)."""
    import docx

    document = docx.Document()
    document.add_heading(LETTER[0], level=1)
    document.add_paragraph(f"{LETTER[1]} {LETTER[2]}")
    paragraph = document.add_paragraph("Die Kosten sind ")
    paragraph.add_run("sehr").bold = True
    paragraph.add_run(" hoch.")
    document.add_table(rows=1, cols=1).rows[0].cells[0].text = LETTER[4]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def messages_po() -> bytes:
    """A small gettext catalogue built with polib: a placeholder, a context, a plural."""
    import polib

    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    catalog.append(polib.POEntry(msgid="Die Datei %s wurde gelöscht.", flags=["c-format"]))
    catalog.append(polib.POEntry(msgid="Öffnen", msgctxt="menu"))
    catalog.append(polib.POEntry(msgid="Eine Nachricht", msgid_plural="%d Nachrichten", flags=["c-format"],
                                 msgstr_plural={0: "", 1: ""}))  # fmt: skip
    return str(catalog).encode("utf-8")
