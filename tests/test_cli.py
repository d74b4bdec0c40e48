"""The command line, run as users run it: a subprocess with the environment as configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, SEED

pytestmark = pytest.mark.slow  # every test runs the CLI as a subprocess (seconds each)


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "translator", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def cli_env(tmp_path: Path, model_dir: Path) -> dict[str, str]:
    return {**os.environ, "TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR_MODEL_DIR": str(model_dir)}


def test_translate_seed_json(cli_env: dict[str, str]) -> None:
    result = run_cli("translate", str(SEED), "--json", env=cli_env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["blocks"]) == 9 and data["detected"]["language"] == "de"
    assert all(b["translation"] for b in data["blocks"])
    assert data["provenance"]["model"] == "translate-de_en-test"
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert [b["source"] for b in data["blocks"]] == lines
    again = json.loads(run_cli("translate", str(SEED), "--json", env=cli_env).stdout)
    assert all(s["cached"] for b in again["blocks"] for s in b["sentences"])


def test_translate_side_by_side(cli_env: dict[str, str]) -> None:
    result = run_cli("translate", str(SEED), env=cli_env)
    assert result.returncode == 0
    assert "[byline]" in result.stdout and "│" in result.stdout
    assert "Alibaba ist auf großem Expansionskurs" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01\x02binary\x00", "binary"), ("Größe".encode("latin-1"), "not UTF-8")],
)
def test_bad_files_give_a_message_and_exit_code(
    cli_env: dict[str, str], tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run_cli("translate", str(path), env=cli_env)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_missing_file(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("translate", str(tmp_path / "nope.txt"), env=cli_env)
    assert result.returncode == 2 and "Cannot read" in result.stderr


def test_no_model_installed(tmp_path: Path, cli_env: dict[str, str]) -> None:
    env = {**cli_env, "TRANSLATOR_MODEL_DIR": str(tmp_path / "empty")}
    result = run_cli("translate", str(SEED), env=env)
    assert result.returncode == 3
    assert "models install" in result.stderr and "Traceback" not in result.stderr


def test_models_install_and_list(tmp_path: Path, test_model_file: Path, cli_env: dict[str, str]) -> None:
    env = {**cli_env, "TRANSLATOR_MODEL_DIR": str(tmp_path / "models")}
    installed = run_cli("models", "install", str(test_model_file), env=env)
    assert installed.returncode == 0, installed.stderr
    listed = run_cli("models", "list", env=env)
    assert "de→en\ttranslate-de_en-test@1.0" in listed.stdout


def test_models_install_rejects_a_non_package(tmp_path: Path, cli_env: dict[str, str]) -> None:
    bogus = tmp_path / "bogus.argosmodel"
    bogus.write_text("not a zip")
    result = run_cli("models", "install", str(bogus), env=cli_env)
    assert result.returncode == 3 and "not an Argos model package" in result.stderr


def test_bad_setting_is_reported(cli_env: dict[str, str]) -> None:
    result = run_cli("translate", str(SEED), env={**cli_env, "TRANSLATOR_BEAM_SIZE": "many"})
    assert result.returncode == 1 and "TRANSLATOR_BEAM_SIZE must be an integer" in result.stderr


def test_every_setting_is_also_a_command_line_option(cli_env: dict[str, str]) -> None:
    from dataclasses import fields

    from translator import Settings

    help_text = run_cli("--help", env=cli_env).stdout
    for spec in fields(Settings):
        assert "--" + spec.name.replace("_", "-") in help_text


def test_option_overrides_environment(cli_env: dict[str, str]) -> None:
    bad = run_cli("--beam-size", "0", "translate", str(SEED), env=cli_env)
    assert bad.returncode == 1 and "TRANSLATOR_BEAM_SIZE must be at least 1" in bad.stderr
    first = json.loads(run_cli("--cache", "off", "translate", str(SEED), "--json", env=cli_env).stdout)
    second = json.loads(run_cli("--cache", "off", "translate", str(SEED), "--json", env=cli_env).stdout)
    assert not any(s["cached"] for doc in (first, second) for b in doc["blocks"] for s in b["sentences"])


def test_every_command_reports_core_errors_the_same_way(cli_env: dict[str, str]) -> None:
    """One handler for the whole group: message on stderr, exit code by kind, no traceback."""
    bad_limit = run_cli("keys", "add", "reader", "--limit", "lots", env=cli_env)
    assert bad_limit.returncode == 2 and bad_limit.stderr.startswith("error: 'lots' is not a rate limit")
    no_key = run_cli("keys", "remove", "nobody", env=cli_env)
    assert no_key.returncode == 2 and no_key.stderr == "error: No key named 'nobody'.\n"
    bad_setting = run_cli("--log-format", "xml", "models", "list", env=cli_env)
    assert bad_setting.returncode == 1 and "TRANSLATOR_LOG_FORMAT must be text or json" in bad_setting.stderr
    assert all("Traceback" not in r.stderr for r in (bad_limit, no_key, bad_setting))
