"""The production layout (issue 12, item 2): Debian's nginx with docker/nginx.conf in front of gunicorn.

Twelve clients that send a request's headers and then its body at one byte per
second hold every request thread of a bare gunicorn (gthread: a thread waits for
the whole request), so /health stops answering. Behind nginx, which reads whole
requests before passing them on, /health keeps answering within a second.
docker-compose.yml is checked for the same layout (no Docker daemon here).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT
from translator.cli.serve import gunicorn_command

pytestmark = pytest.mark.slow

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TEMPLATE = ROOT / "docker" / "nginx.conf"
COMPOSE = ROOT / "docker-compose.yml"
UPLOAD_MAX_BYTES = 2 * 1024 * 1024  # the default; nginx is rendered with the same value the app runs with
SLOW_CLIENTS = 12


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def render(template: str, values: dict[str, str]) -> str:
    """What the nginx image's envsubst step does to a template: ${NAME} filled in, nginx's $variables kept."""
    rendered = re.sub(r"\$\{([A-Z_]+)\}", lambda match: values[match.group(1)], template)
    assert "${" not in rendered
    return rendered


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{process.args!r} exited with {process.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Iterator[int]:
    """The production server (what `translator serve` runs) on a free port, as compose runs it (TRANSLATOR_PROXY_HOPS=1)."""
    port = free_port()
    env = {
        **os.environ,
        "TRANSLATOR_DATA_DIR": str(tmp_path_factory.mktemp("proxy-data")),
        "TRANSLATOR_MODEL_DIR": str(model_dir),
        "TRANSLATOR_PROXY_HOPS": "1",
        "TRANSLATOR_UPLOAD_MAX_BYTES": str(UPLOAD_MAX_BYTES),
    }
    command = gunicorn_command(f"127.0.0.1:{port}")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process)
        yield port
    finally:
        stop(process)


@pytest.fixture(scope="module")
def nginx(gunicorn: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """Debian's nginx (tools/ensure-nginx.sh installs it) with docker/nginx.conf rendered for these ports."""
    assert Path(NGINX).exists(), "nginx is missing: run tools/ensure-nginx.sh (make test does)"
    port = free_port()
    directory = tmp_path_factory.mktemp("nginx")
    values = {
        "NGINX_PORT": f"127.0.0.1:{port}",
        "TRANSLATOR_UPSTREAM": f"127.0.0.1:{gunicorn}",
        "TRANSLATOR_UPLOAD_MAX_BYTES": str(UPLOAD_MAX_BYTES),
    }
    (directory / "translator.conf").write_text(render(TEMPLATE.read_text(encoding="utf-8"), values))
    # The main context the nginx image has, with its paths in the test's directory.
    (directory / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {directory}/nginx.pid;\nerror_log {directory}/error.log;\nworker_processes 1;\n"
        + "events { worker_connections 256; }\n"
        + f"http {{ access_log off; client_body_temp_path {directory}/body; proxy_temp_path {directory}/proxy;\n"
        + f"include {directory}/translator.conf; }}\n"
    )
    command = [NGINX, "-p", str(directory), "-c", str(directory / "nginx.conf"), "-e", str(directory / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process)
        yield port
    finally:
        stop(process)


class SlowClients:
    """Connections that send a POST's headers (Content-Length: 100000), then one byte of body per second."""

    def __init__(self, port: int, count: int = SLOW_CLIENTS) -> None:
        self.sockets = []
        for _ in range(count):
            connection = socket.create_connection(("127.0.0.1", port), timeout=5)
            connection.sendall(
                b"POST /translate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Content-Length: 100000\r\n\r\n{"
            )
            self.sockets.append(connection)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._drip, daemon=True)
        self.thread.start()

    def _drip(self) -> None:
        while not self.stopped.wait(1.0):
            for connection in self.sockets:
                with contextlib.suppress(OSError):  # a connection the server closed: the others go on
                    connection.sendall(b" ")

    def __enter__(self) -> SlowClients:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join()
        for connection in self.sockets:
            connection.close()


def health_seconds(port: int, timeout: float) -> float:
    """Seconds /health took to answer 200 (raises TimeoutError when it did not within ``timeout``)."""
    started = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=timeout) as response:
        assert response.status == 200
    return time.monotonic() - started


def test_slow_uploads_through_nginx_leave_health_answering(nginx: int, gunicorn: int) -> None:
    with SlowClients(nginx):
        time.sleep(2)  # every slow client has sent headers and started its body
        answers = []
        for _ in range(3):
            answers.append(health_seconds(nginx, timeout=5))
            time.sleep(0.5)
    assert max(answers) < 1.0, answers
    # The same attack on gunicorn without nginx holds all of its request threads: the reason for nginx.
    with SlowClients(gunicorn), pytest.raises((TimeoutError, urllib.error.URLError)):
        time.sleep(2)
        health_seconds(gunicorn, timeout=2)


@pytest.mark.parametrize("via", ["nginx", "gunicorn"])
def test_chunked_body_over_the_limit_is_413_json(via: str, request: pytest.FixtureRequest) -> None:
    """nginx's client_max_body_size matches the app's limit; gunicorn alone answers 413 too (item 15)."""
    port = request.getfixturevalue(via)
    body = json.dumps({"q": "x" * 3_000_000, "source": "de", "target": "en"}).encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))
        connection.request(
            "POST", "/translate", body=chunks, headers={"Content-Type": "application/json"}, encode_chunked=True
        )
        response = connection.getresponse()
        error = json.loads(response.read())["error"]
    except (BrokenPipeError, ConnectionResetError):
        pytest.fail(f"{via} closed the connection instead of answering 413")
    finally:
        connection.close()
    assert response.status == 413 and f"{UPLOAD_MAX_BYTES}" in error.replace(",", "")


def test_compose_file_is_consistent() -> None:
    """No `docker compose config` here: the file is interpolated with its defaults, loaded, and checked by hand."""
    text = COMPOSE.read_text(encoding="utf-8")
    compose = yaml.safe_load(re.sub(r"\$\{(\w+):-([^}]*)\}", lambda match: match.group(2), text))
    assert "${" not in json.dumps(compose)
    services = compose["services"]
    assert {"web", "nginx"} <= set(services)  # the workers and Redis: tests/test_compose.py
    web, proxy = services["web"], services["nginx"]
    assert web["build"]["context"] == "." and (ROOT / "Dockerfile").exists()
    assert "ports" not in web, "gunicorn must only be reachable through nginx"
    assert web["environment"]["TRANSLATOR_PROXY_HOPS"] == "1"
    assert web["environment"]["TRANSLATOR_UPLOAD_MAX_BYTES"] == proxy["environment"]["TRANSLATOR_UPLOAD_MAX_BYTES"]
    assert "web" in proxy["depends_on"]
    upstream_host, upstream_port = proxy["environment"]["TRANSLATOR_UPSTREAM"].split(":")
    assert upstream_host == "web" and upstream_port in web["expose"]
    assert re.search(r"--bind\", \"0\.0\.0\.0:" + upstream_port, (ROOT / "Dockerfile").read_text())
    published = [port.split(":") for port in proxy["ports"]]
    assert published == [[proxy["environment"]["NGINX_PORT"]] * 2]
    for service in services.values():
        for volume in service.get("volumes", []):
            source, target = volume.split(":")[:2]
            assert source in compose.get("volumes", {}) or (ROOT / source).exists(), source
            assert target.startswith("/")
    template_mount = next(v for v in proxy["volumes"] if "nginx.conf" in v)
    assert template_mount.split(":")[1].startswith("/etc/nginx/templates/") and template_mount.endswith(".template:ro")
    # Every placeholder in the template is set for the nginx service.
    placeholders = set(re.findall(r"\$\{([A-Z_]+)\}", TEMPLATE.read_text(encoding="utf-8")))
    assert placeholders == set(proxy["environment"])
