"""LibreTranslate's file endpoints: /translate_file answers a download URL; /download_file serves it for a while."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tests.helpers import zip_of
from translator.files import SUPPORTED_SUFFIXES
from translator.storage.keys import KeyStore, key_store_path

SRT = "1\n00:00:01,000 --> 00:00:02,000\nDie Regierung hat heute entschieden.\n\n2\n00:00:03,000 --> 00:00:04,000\nMehr unter https://example.com.\n"


def _send(client: Any, data: bytes, name: str, **fields: str) -> Any:
    form = {"source": "de", "target": "en", **fields, "file": (io.BytesIO(data), name)}
    return client.post("/translate_file", data=form, content_type="multipart/form-data")


def test_translate_then_download(client: Any) -> None:
    response = _send(client, SRT.encode(), "nachrichten.srt")
    assert response.status_code == 200, response.get_json()
    url = response.get_json()["translatedFileUrl"]
    assert url.startswith("http://localhost/download_file/") and url.endswith(".nachrichten.en.srt")
    download = client.get(urlparse(url).path)
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == "attachment; filename=nachrichten.en.srt"
    text = download.data.decode()
    assert [line for line in text.splitlines() if "-->" in line] == [cue for cue in SRT.splitlines() if "-->" in cue]
    assert text.count("https://example.com") == 1


def test_names_are_unguessable_and_distinct(client: Any) -> None:
    first = _send(client, SRT.encode(), "a.srt").get_json()["translatedFileUrl"]
    second = _send(client, SRT.encode(), "a.srt").get_json()["translatedFileUrl"]
    assert first != second and len(urlparse(first).path.split("/")[-1].split(".")[0]) == 32


def test_expired_files_are_gone(make_app: Any, settings: Any) -> None:
    client = make_app(file_keep_seconds=60).test_client()
    path = urlparse(_send(client, SRT.encode(), "a.srt").get_json()["translatedFileUrl"]).path
    stored = settings.data_dir / "translated-files" / path.split("/")[-1]
    assert stored.exists()
    old = time.time() - 120
    os.utime(stored, (old, old))
    response = client.get(path)
    assert response.status_code == 404 and "expired" in response.get_json()["error"]
    assert not stored.exists()


def test_unknown_and_malformed_names_are_404(client: Any) -> None:
    for name in ("nothing.srt", "..%2F..%2Fetc%2Fpasswd", "A" * 32 + ".x.srt"):
        response = client.get(f"/download_file/{name}")
        assert response.status_code == 404 and "error" in response.get_json()


def test_bad_requests_and_files_get_a_json_reason(client: Any) -> None:
    cases = [
        (client.post("/translate_file", data={"source": "de", "target": "en"}), "missing file"),
        (_send(client, b"x", "a.pdf"), "unsupported file type"),
        (_send(client, SRT.encode(), "a.srt", target="xx"), "xx is not supported"),
        (_send(client, b"MZ" + b"\0" * 100, "report.docx"), "Windows program"),
        (_send(client, zip_of({"word/document.xml": b"<a/>", "x.bin": b"\0" * 30_000_000}), "b.docx"), "zip bomb"),
        (_send(client, b'msgid "a"\nmsgstr "b"\nmsgid "c" nonsense\n', "x.po"), "not a valid gettext file"),
    ]
    for response, reason in cases:
        assert response.status_code == 400 and reason in response.get_json()["error"], response.get_json()
        assert "/" not in response.get_json()["error"].replace("https://", "").split(":")[0]


def test_text_limit_applies_before_translating(make_app: Any) -> None:
    client = make_app(file_max_chars=20).test_client()
    response = _send(client, SRT.encode(), "a.srt")
    assert response.status_code == 400 and "the limit is 20" in response.get_json()["error"]


def test_keys_are_checked_but_downloads_need_none(make_app: Any, settings: Any) -> None:
    store = KeyStore(key_store_path(settings))
    key = store.add("files")
    store.close()
    client = make_app(api_keys_required=True).test_client()
    assert _send(client, SRT.encode(), "a.srt").status_code == 403
    answer = _send(client, SRT.encode(), "a.srt", api_key=key)
    assert answer.status_code == 200
    assert client.get(urlparse(answer.get_json()["translatedFileUrl"]).path).status_code == 200  # the URL is the key


def test_frontend_settings_announce_files(client: Any) -> None:
    settings = client.get("/frontend/settings").get_json()
    assert settings["filesTranslation"] is True and settings["supportedFilesFormat"] == list(SUPPORTED_SUFFIXES)
    assert ".docx" in settings["supportedFilesFormat"] and ".po" in settings["supportedFilesFormat"]


def test_auto_source_is_detected(client: Any, tmp_path: Path) -> None:
    response = _send(client, SRT.encode(), "a.srt", source="auto")
    assert response.status_code == 200


def test_text_and_html_files_as_in_libretranslate(client: Any) -> None:
    text = "Erste Zeile mit {name}.\n\n  Zweite Zeile, eingerückt.\n"
    url = _send(client, text.encode(), "notiz.txt").get_json()["translatedFileUrl"]
    translated = client.get(urlparse(url).path).get_data(as_text=True)
    assert translated.count("\n") == 3 and "\n\n  " in translated and translated.count("{name}") == 1
    page = '<!DOCTYPE html><html><body><p class="x">Das ist <b>sehr</b> gut.</p></body></html>'
    url = _send(client, page.encode(), "seite.html").get_json()["translatedFileUrl"]
    html = client.get(urlparse(url).path).get_data(as_text=True)
    assert html.startswith("<!DOCTYPE html>") and '<html><body><p class="x">' in html and html.count("<b>") == 1
