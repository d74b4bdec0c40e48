"""Package checks before install, and broken packages after."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT
from translator.errors import ModelError
from translator.models import check_package_file, find_model, install_from_file, list_models


def make_zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path


def test_real_package_passes(test_model_file: Path) -> None:
    metadata = check_package_file(test_model_file)
    assert (metadata["from_code"], metadata["to_code"]) == ("de", "en")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"pkg/README.md": "x"}, "no metadata.json"),
        ({"pkg/metadata.json": "{not json"}, "unreadable metadata"),
        ({"pkg/metadata.json": json.dumps({"from_code": "de"})}, "from_code and to_code"),
        ({"pkg/metadata.json": json.dumps({"from_code": "de", "to_code": "en"})}, "model/model.bin"),
        ({"pkg/../evil.txt": "x", "pkg/metadata.json": "{}"}, "unsafe paths"),
        ({"a/metadata.json": "{}", "b/metadata.json": "{}"}, "exactly one top-level folder"),
    ],
)
def test_bad_packages_are_refused(tmp_path: Path, files: dict[str, str], message: str) -> None:
    with pytest.raises(ModelError, match=message):
        check_package_file(make_zip(tmp_path / "p.argosmodel", files))


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="No model package"):
        check_package_file(tmp_path / "absent.argosmodel")


def test_broken_folder_is_reported_not_fatal(tmp_path: Path, test_model_file: Path) -> None:
    install_from_file(test_model_file, tmp_path)
    (tmp_path / "leftover").mkdir()
    models, problems = list_models(tmp_path)
    assert [m.key for m in models] == ["translate-de_en-test@1.0"]
    assert problems and "metadata.json is missing" in problems[0]
    assert find_model(tmp_path, "de", "en") is not None and find_model(tmp_path, "en", "de") is None


def install_from_index_cli(index_url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`models install de en` as `make run` calls it, with argostranslate pointed at index_url (its own variable)."""
    env = {
        **os.environ,
        "ARGOS_PACKAGE_INDEX": index_url,
        "XDG_DATA_HOME": str(tmp_path / "share"),  # argostranslate keeps its copy of the index there
        "XDG_CACHE_HOME": str(tmp_path / "cache"),  # and its downloads there
        "TRANSLATOR_DATA_DIR": str(tmp_path / "data"),
    }
    command = [sys.executable, "-m", "translator", "models", "install", "de", "en"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_unreachable_index_fails_at_once_with_a_clear_message(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = install_from_index_cli(f"http://127.0.0.1:{port}/", tmp_path)
    assert result.returncode == 3, result.stderr
    assert f"Could not reach the Argos package index (http://127.0.0.1:{port}/index.json)" in result.stderr
    assert result.stderr.count("Connection refused") <= 1  # one attempt, not argostranslate's endless retries
    assert not (tmp_path / "data" / "models").exists() or not list((tmp_path / "data" / "models").iterdir())


@pytest.mark.slow
def test_install_from_an_index(tmp_path: Path, test_model_file: Path) -> None:
    """A package index on 127.0.0.1 (the same files the Argos index serves): the pair is downloaded and installed."""
    served = tmp_path / "index"
    served.mkdir()
    shutil.copy(test_model_file, served / "de_en.argosmodel")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        metadata = check_package_file(test_model_file)
        (served / "index.json").write_text(json.dumps([{**metadata, "links": [base + "de_en.argosmodel"]}]))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            result = install_from_index_cli(base, tmp_path)
        finally:
            server.shutdown()
    assert result.returncode == 0, result.stderr
    assert "installed translate-de_en-test@1.0 (de→en)" in result.stdout
    assert "warning: Demo model" in result.stderr  # this package is the demo one, and says so
    assert find_model(tmp_path / "data" / "models", "de", "en") is not None
