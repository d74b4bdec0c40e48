"""Real LibreTranslate clients, unmodified, against a server on a free localhost port."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from deep_translator import LibreTranslator
from deep_translator.exceptions import AuthorizationException
from libretranslatepy import LibreTranslateAPI
from werkzeug.serving import make_server

from translator import Settings
from translator.storage.keys import KeyStore, key_store_path

GERMAN = "Die Regierung hat am Montag ein neues Gesetz beschlossen."


@pytest.fixture
def serve(settings: Settings) -> Iterator[Callable[..., str]]:
    """Start the app in a thread on port 0 (the OS picks a free port); returns its base URL."""
    from app import create_app

    running: list[tuple[Any, Any, threading.Thread]] = []

    def start(**overrides: Any) -> str:
        app = create_app(
            {"TRANSLATOR_SETTINGS": settings.with_overrides(**overrides), "TESTING": True, "WTF_CSRF_ENABLED": False}
        )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        running.append((app, server, thread))
        return f"http://127.0.0.1:{server.server_port}/"

    yield start
    for app, server, thread in running:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["translator_services"].jobs.shutdown(wait=True)


def test_libretranslatepy(serve: Callable[..., str]) -> None:
    api = LibreTranslateAPI(serve())
    translated = api.translate(GERMAN, "de", "en", timeout=60)
    assert isinstance(translated, str) and translated
    assert isinstance(api.translate(GERMAN, "auto", "en", timeout=60), str)
    detected = api.detect(GERMAN, timeout=60)
    assert detected[0]["language"] == "de" and detected[0]["confidence"] > 0
    languages = api.languages(timeout=60)
    assert {"code": "de", "name": "German (demo model)", "targets": ["en"]} in languages  # the test model is the demo


def test_libretranslatepy_with_a_required_key(serve: Callable[..., str], settings: Settings) -> None:
    store = KeyStore(key_store_path(settings))
    key = store.add("client")
    store.close()
    url = serve(api_keys_required=True)
    assert isinstance(LibreTranslateAPI(url, api_key=key).translate(GERMAN, "de", "en", timeout=60), str)
    with pytest.raises(Exception, match="403"):
        LibreTranslateAPI(url, api_key="wrong").translate(GERMAN, "de", "en", timeout=60)


def test_deep_translator(serve: Callable[..., str]) -> None:
    # deep-translator insists on an api_key; a server without keys ignores it, as LibreTranslate does.
    translator = LibreTranslator(source="de", target="en", api_key="unused", custom_url=serve())
    translated = translator.translate(GERMAN)
    assert isinstance(translated, str) and translated
    batch = translator.translate_batch([GERMAN, "Guten Morgen."])
    assert len(batch) == 2 and all(isinstance(text, str) for text in batch)


def test_deep_translator_bad_key_is_refused(serve: Callable[..., str]) -> None:
    translator = LibreTranslator(source="de", target="en", api_key="wrong", custom_url=serve(api_keys_required=True))
    with pytest.raises(AuthorizationException):
        translator.translate(GERMAN)
