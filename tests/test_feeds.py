"""``batch --feed``: a feed's entries are fetched, extracted and translated; a re-run does only what is new."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.helpers import FIXTURES, PageServer, loopback_only
from translator import Settings
from translator.cli.main import main

PAGES = FIXTURES / "web" / "pages"
ENTRIES = {
    "/2019/ikigai": "brigitte.de.ikigai.html",
    "/2019/kindersitze": "adac.de.kindersitze.html",
    "/2019/tweets": "basicthinking.de.tweets.html",
}


def rss(paths: list[str]) -> bytes:
    items = "".join(f"<item><title>Artikel {n}</title><link>{{base}}{path}</link><guid>{path}</guid></item>"
                    for n, path in enumerate(paths))  # fmt: skip
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test</title>{items}</channel></rss>'.encode()


@pytest.fixture
def env(tmp_path: Path, settings: Settings) -> dict[str, str]:
    return {"TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR_MODEL_DIR": str(settings.resolved_model_dir),
            "TRANSLATOR_FETCH_ALLOW_PRIVATE": "on", "TRANSLATOR_FETCH_TIMEOUT": "2"}  # fmt: skip


def test_feed_rerun_translates_only_the_new_entry(tmp_path: Path, env: dict[str, str]) -> None:
    routes: dict[str, Any] = {
        path: (200, {"Content-Type": "text/html"}, (PAGES / name).read_bytes()) for path, name in ENTRIES.items()
    }
    first_two = list(ENTRIES)[:2]
    with PageServer(routes) as server, loopback_only() as attempts:
        routes["/feed.xml"] = (
            200,
            {"Content-Type": "application/rss+xml"},
            rss(first_two).replace(b"{base}", server.base.encode()),
        )
        out = tmp_path / "out"
        args = ["batch", "--feed", server.url("/feed.xml"), "--out", str(out), "--source", "de", "--format", "json"]
        first = CliRunner().invoke(main, args, env=env)
        assert first.exit_code == 0, first.output
        assert "Summary: 2 translated, 0 unchanged (skipped), 0 failed, of 2 files" in first.output
        host = "127.0.0.1-" + server.base.rsplit(":", 1)[1]
        written = json.loads((out / host / "2019-ikigai.de-en.json").read_text(encoding="utf-8"))
        assert written["metadata"]["source_url"] == server.url("/2019/ikigai")
        assert written["blocks"][0]["kind"] == "title"

        routes["/feed.xml"] = (
            200,
            {"Content-Type": "application/rss+xml"},
            rss(list(ENTRIES)).replace(b"{base}", server.base.encode()),
        )
        server.requests.clear()
        second = CliRunner().invoke(main, args, env=env)
        assert second.exit_code == 0, second.output
        assert "Summary: 1 translated, 2 unchanged (skipped), 0 failed, of 3 files" in second.output
        assert (out / host / "2019-tweets.de-en.json").is_file()
        assert server.requests.count("/2019/tweets") == 1  # fetched once, for its translation
        assert attempts == []
    manifest = json.loads((out / ".translator-manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {server.url(path) for path in ENTRIES}


def test_feed_from_a_file_and_url_list(tmp_path: Path, env: dict[str, str]) -> None:
    routes: dict[str, Any] = {
        "/2019/ikigai": (200, {"Content-Type": "text/html"}, (PAGES / ENTRIES["/2019/ikigai"]).read_bytes())
    }
    with PageServer(routes) as server, loopback_only() as attempts:
        feed = tmp_path / "feed.xml"
        feed.write_bytes(rss(["/2019/ikigai"]).replace(b"{base}", server.base.encode()))
        listing = tmp_path / "urls.txt"
        listing.write_text(f"# Artikel\n{server.url('/2019/ikigai')}\n\n{server.url('/fehlt')}\n", encoding="utf-8")
        out = tmp_path / "out"
        result = CliRunner().invoke(main, ["batch", "--feed", str(feed), "--urls", str(listing), "--out", str(out),
                                           "--source", "de", "--format", "md"], env=env)  # fmt: skip
        assert result.exit_code == 1, result.output  # one address fails, with its reason
        assert "Summary: 1 translated, 0 unchanged (skipped), 1 failed, of 2 files" in result.output
        assert "answered 404" in result.output and "Traceback" not in result.output
        assert attempts == []
    not_a_feed = tmp_path / "leer.xml"
    not_a_feed.write_text("<html><body>kein Feed</body></html>", encoding="utf-8")
    refused = CliRunner().invoke(main, ["batch", "--feed", str(not_a_feed), "--out", str(out)], env=env)
    assert refused.exit_code == 2 and "not an RSS or Atom feed" in refused.output
