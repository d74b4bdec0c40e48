"""Shared fixtures: the tiny real Argos test model, installed once per session, and isolated data dirs."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from tests.helpers import ROOT, SEED, TEST_MODEL, RedisServer
from translator import Settings, Translator
from translator.models import DEMO_KEY, check_package_file, install_from_file

# CI explores the same examples every run (a red main must mean a change broke something);
# local runs keep exploring new ones, which is how new edge cases are found.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session", autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep argostranslate's and our state out of the real home directory."""
    home = tmp_path_factory.mktemp("home")
    saved = {
        k: os.environ.get(k) for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "TRANSLATOR_DATA_DIR")
    }
    os.environ["XDG_DATA_HOME"] = str(home / "share")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    os.environ["TRANSLATOR_DATA_DIR"] = str(home / "translator")
    yield home
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def test_model_file() -> Path:
    """The tiny random-weight Argos package; `make test` builds it, this builds it if missing or out of date."""
    if not TEST_MODEL.exists() or check_package_file(TEST_MODEL).get(DEMO_KEY) is not True:
        sys.path.insert(0, str(ROOT / "tools"))
        from build_test_model import build_package

        build_package(TEST_MODEL)
    return TEST_MODEL


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory, test_model_file: Path) -> Path:
    """A model directory with the test model installed through the same code users run."""
    directory = tmp_path_factory.mktemp("models")
    install_from_file(test_model_file, directory)
    return directory


@pytest.fixture
def settings(tmp_path: Path, model_dir: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", model_dir=model_dir)


@pytest.fixture
def translator(settings: Settings) -> Translator:
    return Translator(settings)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A fresh real redis-server on a free port on 127.0.0.1 (stopped afterwards; tests may stop and start it)."""
    server = RedisServer(tmp_path / "redis", persistent=False).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def app(settings: Settings) -> Iterator[Any]:
    """The Flask app on the test model, CSRF off (a dedicated test checks CSRF with it on)."""
    from app import create_app

    application = create_app({"TRANSLATOR_SETTINGS": settings, "TESTING": True, "WTF_CSRF_ENABLED": False})
    yield application
    application.extensions["translator_services"].jobs.shutdown(wait=True)


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def make_app(settings: Settings) -> Iterator[Callable[..., Any]]:
    """Apps with settings overrides (CSRF off); their job runners are shut down afterwards."""
    from app import create_app

    apps: list[Any] = []

    def build(**overrides: Any) -> Any:
        config = {"TRANSLATOR_SETTINGS": settings.with_overrides(**overrides), "TESTING": True}
        apps.append(create_app({**config, "WTF_CSRF_ENABLED": False}))
        return apps[-1]

    yield build
    for application in apps:
        application.extensions["translator_services"].jobs.shutdown(wait=True)
