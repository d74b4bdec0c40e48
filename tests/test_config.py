"""Settings: each setting's limits live in its field; the table is read back the same way everywhere."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import get_type_hints

import pytest

from translator.config import Settings, env_name
from translator.errors import ConfigError, InputError
from translator.storage.keys import KeyStore


def test_to_env_reads_back_as_the_same_settings(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", model_dir=tmp_path / "models", cache=False, beam_size=3, rate_limit=""
    )
    assert Settings.from_env(settings.to_env()) == settings
    assert settings.to_env()["TRANSLATOR_CACHE"] == "off" and "TRANSLATOR_RATE_LIMIT" in settings.to_env()
    assert "TRANSLATOR_MODEL_DIR" not in Settings(data_dir=tmp_path).to_env()  # unset stays unset


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"beam_size": 0}, "TRANSLATOR_BEAM_SIZE must be at least 1, got 0"),
        ({"proxy_hops": -1}, "TRANSLATOR_PROXY_HOPS must be at least 0, got -1"),
        ({"log_format": "xml"}, "TRANSLATOR_LOG_FORMAT must be text or json, got 'xml'"),
        ({"rate_limit": "lots"}, "TRANSLATOR_RATE_LIMIT: 'lots' is not a rate limit"),
    ],
)
def test_settings_are_checked_however_they_are_made(overrides: dict[str, object], message: str) -> None:
    """Also settings built in code: an app made from them cannot start with a limit that means nothing."""
    with pytest.raises(ConfigError, match=message):
        Settings(**overrides)  # type: ignore[arg-type]
    environ = {env_name(name): str(value) for name, value in overrides.items()}
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(environ)


def test_every_number_declares_its_minimum() -> None:
    hints = get_type_hints(Settings)
    numbers = [spec for spec in fields(Settings) if hints[spec.name] is int]
    assert len(numbers) >= 10 and all(spec.metadata["minimum"] is not None for spec in numbers)


def test_a_key_and_the_setting_accept_the_same_rate_limits(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.sqlite3")
    try:
        store.add("ok", "10/second;100/hour")
        assert Settings(rate_limit="10/second;100/hour").rate_limit == "10/second;100/hour"
        with pytest.raises(InputError, match="'lots' is not a rate limit"):
            store.add("bad", "lots")
    finally:
        store.close()
