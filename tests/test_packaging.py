"""The project installs as a package: ``pip install .`` gives a ``translator`` command that serves from anywhere."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LEFT_OUT = shutil.ignore_patterns(
    ".git", ".venv", ".cache", "data", "test-output", "__pycache__", "*.egg-info", "build"
)


def test_dependencies_are_the_names_in_requirements_in() -> None:
    # names with their extras (celery[redis]: an installed worker needs the Redis transport too)
    names = [re.split(r"[\s#;=<>]", line.strip(), maxsplit=1)[0] for line in (ROOT / "requirements.in").open()]
    assert PYPROJECT["project"]["dependencies"] == [name for name in names if name]


def test_every_package_of_the_checkout_is_installed() -> None:
    packages = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for top in ("translator", "web")
        for path in (ROOT / top).rglob("__init__.py")
    }
    declared = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert packages <= declared, f"add {sorted(packages - declared)} to pyproject.toml"
    mapped = PYPROJECT["tool"]["setuptools"]["package-dir"]
    assert all((ROOT / folder).is_dir() for folder in mapped.values())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return int(error.code), ""


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_pip_install_gives_a_translator_command_that_serves_outside_the_checkout(
    tmp_path: Path, model_dir: Path
) -> None:
    """Installed into a fresh venv (the locked dependencies reused through a .pth file, no network), run elsewhere."""
    source, venv, elsewhere = tmp_path / "source", tmp_path / "venv", tmp_path / "elsewhere"
    shutil.copytree(ROOT, source, ignore=LEFT_OUT)  # the build must not write into the checkout
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(purelib) / "locked-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-build-isolation",
         "--no-index", "--quiet", str(source)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    shutil.rmtree(source)  # nothing may still come from the source tree
    where = subprocess.run(
        [python, "-I", "-c", "import app, translator, web; print(app.__file__, translator.__file__, web.__file__)"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert where.returncode == 0 and all(path.startswith(purelib) for path in where.stdout.split()), where

    elsewhere.mkdir()
    (elsewhere / "app.py").write_text("raise SystemExit('the wrong app.py was imported')\n")  # a user's own app.py
    command = venv / "bin" / "translator"
    env = {**os.environ, "TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR_MODEL_DIR": str(model_dir)}
    env.pop("PYTHONPATH", None)
    help_text = subprocess.run([command, "--help"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60)
    assert help_text.returncode == 0 and "serve" in help_text.stdout and "batch" in help_text.stdout, help_text.stderr

    port = _free_port()
    server = subprocess.Popen(
        [command, "--threads", "2", "serve", "--bind", f"127.0.0.1:{port}"],
        cwd=elsewhere, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline, status = time.monotonic() + 120, 0
        while status != 200 and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.3)
            try:
                status, _ = _get(f"http://127.0.0.1:{port}/health")
            except OSError:
                status = 0
        home_status, home = _get(f"http://127.0.0.1:{port}/") if status == 200 else (0, "")
        css_status, _ = _get(f"http://127.0.0.1:{port}/static/css/app.css") if status == 200 else (0, "")
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=90)
    assert status == 200, output
    assert home_status == 200 and "<form" in home and css_status == 200, output  # templates and static installed
    assert server.returncode == 0 and "Traceback" not in output, output
