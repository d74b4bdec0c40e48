"""Proof that a full translation opens no network connection: an audit hook sees every socket call."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, ROOT, SEED, PageServer

GUARD = """
import sys
events = []
def hook(event, args):
    if event.startswith("socket.") and event not in ("socket.__new__",):
        events.append(event)
        raise PermissionError("network access attempted: " + event)
sys.addaudithook(hook)
from translator.cli import main
try:
    main(["translate", sys.argv[1], "--json"], standalone_mode=False)
finally:
    print("SOCKET_EVENTS=" + ",".join(events), file=sys.stderr)
"""


@pytest.mark.slow
def test_translation_makes_no_network_calls(tmp_path: Path, test_model_file: Path) -> None:
    env = {**os.environ, "TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path)}
    install = subprocess.run(
        [sys.executable, "-m", "translator", "models", "install", str(test_model_file)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    result = subprocess.run(
        [sys.executable, "-c", GUARD, str(SEED)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "SOCKET_EVENTS=\n" in result.stderr or result.stderr.rstrip().endswith("SOCKET_EVENTS=")
    assert len(json.loads(result.stdout)["blocks"]) == 9


def test_guard_would_catch_a_connection(tmp_path: Path) -> None:
    """The guard itself works: a script that connects is caught."""
    script = GUARD.replace(
        "from translator.cli import main", "import socket; socket.create_connection(('127.0.0.1', 9))"
    )
    result = subprocess.run([sys.executable, "-c", script, "x"], capture_output=True, text=True, timeout=60)
    assert "network access attempted" in result.stderr


URL_GUARD = """
import ipaddress, sys
import translator.sources as sources
events, in_fetch = [], [False]
def hook(event, args):
    if not event.startswith("socket.") or event == "socket.__new__":
        return
    if event == "socket.bind" and not in_fetch[0] and ipaddress.ip_address(args[1][0]).is_loopback:
        events.append("local " + event)  # urllib3's IPv6 probe on import (binds ::1, port 0): sends nothing
        return
    events.append(("fetch " if in_fetch[0] else "other ") + event)
    if not in_fetch[0]:
        raise PermissionError("network access outside the fetch: " + event)
    if event == "socket.connect" and not ipaddress.ip_address(args[1][0]).is_loopback:
        raise PermissionError("connection outside the machine: " + repr(args[1]))
real_fetch = sources.fetch_url
def fetch_url(*args, **kwargs):
    in_fetch[0] = True
    try:
        return real_fetch(*args, **kwargs)
    finally:
        in_fetch[0] = False
sources.fetch_url = fetch_url
sys.addaudithook(hook)
from translator.cli import main
try:
    main(["translate", sys.argv[1], "--json"], standalone_mode=False)
finally:
    print("SOCKET_EVENTS=" + ",".join(events), file=sys.stderr)
"""


@pytest.mark.slow
def test_url_job_opens_only_the_fetch_sockets(tmp_path: Path, test_model_file: Path) -> None:
    """Translating a URL: the fetch connects (to 127.0.0.1 here); extraction and translation open nothing."""
    env = {**os.environ, "TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path),
           "TRANSLATOR_FETCH_ALLOW_PRIVATE": "on"}  # fmt: skip
    install = subprocess.run(
        [sys.executable, "-m", "translator", "models", "install", str(test_model_file)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    page = (FIXTURES / "web" / "pages" / "brigitte.de.ikigai.html").read_bytes()
    with PageServer({"/artikel": (200, {"Content-Type": "text/html"}, page)}) as server:
        result = subprocess.run(
            [sys.executable, "-c", URL_GUARD, server.url("/artikel")],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    events = result.stderr.rsplit("SOCKET_EVENTS=", 1)[1].strip().split(",")
    assert "fetch socket.connect" in events and not [e for e in events if e.startswith("other ")], events
    document = json.loads(result.stdout)
    assert document["metadata"]["source_url"] == server.url("/artikel") and document["blocks"][0]["kind"] == "title"


@pytest.mark.slow
def test_file_translation_fetches_no_dtd(tmp_path: Path, test_model_file: Path) -> None:
    """XML naming an external DTD (XLIFF, an XHTML page) is translated without fetching it."""
    env = {**os.environ, "TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path)}
    install = subprocess.run(
        [sys.executable, "-m", "translator", "models", "install", str(test_model_file)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "app.xlf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE xliff SYSTEM "http://127.0.0.1:9/xliff.dtd">\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="de" '
        'datatype="plaintext" original="a"><body><trans-unit id="1"><source>Die Datei wurde gespeichert.</source>'
        "</trans-unit></body></file></xliff>"
    )
    script = GUARD.replace(
        'main(["translate", sys.argv[1], "--json"], standalone_mode=False)',
        'main(["batch", sys.argv[1], "--out", sys.argv[2], "--source", "de", "--format", "same"], '
        "standalone_mode=False)",
    )
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-c", script, str(folder), str(out)], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.rstrip().endswith("SOCKET_EVENTS=")
    assert "needs-review-translation" in (out / "app.en.xlf").read_text()
