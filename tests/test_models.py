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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.helpers import ROOT
from translator import models as models_module
from translator.cli import main
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


# --- hostile packages (issue 12) ---------------------------------------------------------------------------------


def package_files(root: str = "pkg", **metadata: object) -> dict[str, str]:
    """The entries of a minimal package that passes every check unless metadata says otherwise."""
    meta = {"from_code": "de", "to_code": "en", **metadata}
    return {
        f"{root}/metadata.json": json.dumps(meta),
        f"{root}/model/model.bin": "x",
        f"{root}/sentencepiece.model": "x",
    }


def test_metadata_that_is_not_an_object_is_refused_cleanly(tmp_path: Path, model_dir: Path) -> None:
    package = make_zip(tmp_path / "p.argosmodel", {**package_files(), "pkg/metadata.json": '["de", "en"]'})
    with pytest.raises(ModelError, match="must hold a JSON object, not list"):
        check_package_file(package)
    result = CliRunner().invoke(main, ["--model-dir", str(tmp_path / "models"), "models", "install", str(package)])
    assert result.exit_code == 3 and "JSON object" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    shutil.copytree(next(model_dir.iterdir()), tmp_path / "models" / "good")  # a package put there by hand...
    (tmp_path / "models" / "array").mkdir()
    (tmp_path / "models" / "array" / "metadata.json").write_text("[1, 2]", encoding="utf-8")  # ...and a broken one
    models, problems = list_models(tmp_path / "models")
    assert [m.key for m in models] == ["translate-de_en-test@1.0"] and "JSON object" in problems[0]


@pytest.mark.parametrize("prefix", ["./", "./pkg/", "pkg/./", "pkg//", "/", "pkg\\..\\"])
def test_entry_names_with_dot_or_empty_parts_are_refused(tmp_path: Path, prefix: str) -> None:
    files = {name.replace("pkg/", prefix, 1): content for name, content in package_files().items()}
    package = make_zip(tmp_path / "p.argosmodel", files)
    with pytest.raises(ModelError, match="unsafe paths"):
        install_from_file(package, tmp_path / "models")
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())


NOT_CODES = ["../../etc", "en\n", "EN", "auto", "", 7, "de_DE; rm -rf /"]


@pytest.mark.parametrize("code", NOT_CODES)
def test_language_codes_must_be_codes(tmp_path: Path, code: object) -> None:
    for field in ("from_code", "to_code"):
        metadata = json.dumps({"from_code": "de", "to_code": "en", field: code})
        package = make_zip(tmp_path / "p.argosmodel", {**package_files(), "pkg/metadata.json": metadata})
        with pytest.raises(ModelError, match=field):
            check_package_file(package)


def test_folders_with_bad_codes_never_reach_languages(tmp_path: Path, make_app: Any, model_dir: Path) -> None:
    models = tmp_path / "models"
    shutil.copytree(next(model_dir.iterdir()), models / "good")
    metadata = json.loads((models / "good" / "metadata.json").read_text(encoding="utf-8"))
    for number, code in enumerate(NOT_CODES):  # folders put in place by hand, not through install
        shutil.copytree(models / "good", models / f"evil-{number}")
        evil = {**metadata, "to_code": code} if number % 2 else {**metadata, "from_code": code}
        (models / f"evil-{number}" / "metadata.json").write_text(json.dumps(evil), encoding="utf-8")
    languages = make_app(model_dir=models).test_client().get("/languages").get_json()
    assert sorted(language["code"] for language in languages) == ["de", "en"]
    assert len(list_models(models)[1]) == len(NOT_CODES)  # each one reported as a problem


def zip_bomb(path: Path, size: int) -> Path:
    """A package whose model.bin is `size` zero bytes: deflate shrinks it about a thousand times."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in package_files().items():
            if name.endswith("model.bin"):
                with archive.open(name, "w", force_zip64=True) as entry:
                    for _ in range(size // 2**20):
                        entry.write(bytes(2**20))
            else:
                archive.writestr(name, content)
    return path


def test_a_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    bomb = zip_bomb(tmp_path / "bomb.argosmodel", 64 * 2**20)
    assert bomb.stat().st_size < 2**18  # 64 MiB in less than 256 KB (the report's: 200 MiB in 614 KB)
    with pytest.raises(ModelError, match=r"compressed 1,0[0-9][0-9] times .* zip bomb"):
        install_from_file(bomb, tmp_path / "models")
    assert not (tmp_path / "models").exists()  # refused from the directory: nothing was written


def test_the_total_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, test_model_file: Path) -> None:
    monkeypatch.setattr(models_module, "MAX_UNPACKED_BYTES", 500_000)  # the test model unpacks to about 800 KB
    with zipfile.ZipFile(test_model_file) as archive:
        unpacked = sum(entry.file_size for entry in archive.infolist())
    with pytest.raises(ModelError, match=f"would unpack to {unpacked:,} bytes; the limit is 500,000"):
        install_from_file(test_model_file, tmp_path / "models")


def test_a_zip_directory_that_lies_is_caught_while_unpacking(tmp_path: Path) -> None:
    bomb = zip_bomb(tmp_path / "liar.argosmodel", 20 * 2**20).read_bytes()
    # Rewrite model.bin's uncompressed size in the central directory to look small (1 KB, nothing to see).
    header = bomb.index(b"PK\x01\x02")
    while not bomb[header + 46 : header + 46 + int.from_bytes(bomb[header + 28 : header + 30], "little")].endswith(
        b"model/model.bin"
    ):
        header = bomb.index(b"PK\x01\x02", header + 4)
    liar = bytearray(bomb)
    liar[header + 24 : header + 28] = (1024).to_bytes(4, "little")  # uncompressed size
    (tmp_path / "liar.argosmodel").write_bytes(bytes(liar))
    assert check_package_file(tmp_path / "liar.argosmodel")  # the directory alone looks fine
    with pytest.raises(ModelError, match=r"could not be unpacked: Bad CRC-32|unpacks to more"):
        install_from_file(tmp_path / "liar.argosmodel", tmp_path / "models")
    assert not any((tmp_path / "models").iterdir())  # the staging folder is gone, no package half-installed


def test_a_model_that_fails_to_load_does_not_tell_clients_where_it_is(
    tmp_path: Path, test_model_file: Path, make_app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    models = tmp_path / "private-models"
    installed = install_from_file(test_model_file, models)
    (installed.path / "model" / "model.bin").write_bytes(b"not a CTranslate2 model")
    client = make_app(model_dir=models).test_client()
    answers = [
        client.post("/translate", json={"q": "Hallo Welt.", "source": "de", "target": "en"}),
        client.post("/api/v1/documents", json={"text": "Hallo Welt.", "source": "de", "async": False}),
        client.get("/ready"),
    ]
    for answer in answers:
        assert answer.status_code >= 500 and answer.is_json
        body = answer.get_data(as_text=True)
        assert str(tmp_path) not in body and "private-models" not in body, body
        assert "translate-de_en-test@1.0 could not be loaded" in body
    assert str(installed.path) in caplog.text  # the operator still learns where and why


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def package_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    """A local Argos package index on 127.0.0.1 (a real HTTP server): its URL and the folder it serves."""
    from argostranslate import settings as argos_settings

    served = tmp_path / "served"
    served.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=served))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/"
    monkeypatch.setattr(argos_settings, "remote_package_index", url + "index.json")
    monkeypatch.setattr(argos_settings, "local_package_index", tmp_path / "index.json")
    (tmp_path / "downloads").mkdir()
    monkeypatch.setattr(argos_settings, "downloads_dir", tmp_path / "downloads")
    yield url, served
    server.shutdown()
    server.server_close()


def test_a_download_from_the_index_gets_the_same_checks(
    tmp_path: Path, package_index: tuple[str, Path], test_model_file: Path
) -> None:
    url, served = package_index
    zip_bomb(served / "bomb.argosmodel", 20 * 2**20)
    shutil.copy(test_model_file, served / "good.argosmodel")
    index = served / "index.json"
    entry = {"type": "translate", "package_version": "1.0", "from_code": "de", "to_code": "en"}
    index.write_text(json.dumps([{**entry, "links": [url + "bomb.argosmodel"]}]), encoding="utf-8")
    models = tmp_path / "models"
    install = ["--model-dir", str(models), "models", "install"]
    bomb = CliRunner().invoke(main, [*install, "de", "en"])
    assert bomb.exit_code == 3 and "zip bomb" in bomb.output, bomb.output
    assert [p.name for p in models.iterdir()] == [] and not any((tmp_path / "downloads").iterdir())
    evil = CliRunner().invoke(main, [*install, "../../x", "en"])
    assert evil.exit_code == 3 and "not a language code" in evil.output
    index.write_text(json.dumps([{**entry, "links": [url + "good.argosmodel"]}]), encoding="utf-8")
    good = CliRunner().invoke(main, [*install, "de", "en"])
    assert good.exit_code == 0 and "installed translate-de_en-test@1.0" in good.output, good.output
    assert not any((tmp_path / "downloads").iterdir())


def test_a_huge_metadata_file_is_not_read(tmp_path: Path) -> None:
    files = {**package_files(), "pkg/metadata.json": json.dumps({"from_code": "de", "to_code": "en", "x": "y" * 2**21})}
    with pytest.raises(ModelError, match=r"metadata\.json is larger than"):
        check_package_file(make_zip(tmp_path / "p.argosmodel", files))
