"""The reader in a real browser: Debian's Chromium driven by Playwright against the app on a local port.

Screenshots and the downloaded TSV go to ``test-output/browser/`` under the repository root (gitignored).
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import HOSTILE, ROOT
from translator import Document, Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
OUTPUT = ROOT / "test-output" / "browser"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Iterator[tuple[str, Any]]:
    """The real app (CSRF on, as deployed) on a free localhost port, served from a background thread."""
    from werkzeug.serving import make_server

    from app import create_app

    settings = Settings(data_dir=tmp_path_factory.mktemp("browser") / "data", model_dir=model_dir)
    app = create_app({"TRANSLATOR_SETTINGS": settings})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, name="browser-test-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", app
    httpd.shutdown()
    thread.join(timeout=10)
    app.extensions["translator_services"].jobs.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (make test does it via tools/ensure-chromium.sh)"
        print(f"SKIP browser tests: {reason}")
        pytest.skip(reason)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - playwright is in requirements-dev
        print(f"SKIP browser tests: playwright is not installed ({error})")
        pytest.skip(f"playwright is not installed: {error}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page plus everything that should never happen on it: dialogs, script errors, console errors."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield Watched(page)
    context.close()


def paste_and_open(watched: Watched, base: str, text: str) -> str:
    """Use the home page like a person: paste, submit, land on the reader; returns the document id."""
    page = watched.page
    page.goto(base + "/")
    page.fill("#text", text)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/documents/[0-9a-f]+$"))
    page.wait_for_selector('#live[data-status="done"]')
    return str(page.url.rsplit("/", 1)[1])


def test_seed_article_in_the_reader(watched: Watched, server: tuple[str, Any], seed_text: str) -> None:
    from playwright.sync_api import expect

    base, _ = server
    page = watched.page
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.goto(base + "/")
    page.fill("#text", seed_text)
    expect(page.locator("#detected")).to_contain_text("Detected German")
    paste_and_open(watched, base, seed_text)

    pairs = page.locator(".pairs > .pair")
    expect(pairs).to_have_count(9)
    expect(page.locator('.pairs > .pair[data-state="ready"]')).to_have_count(9)
    for index in range(9):
        source, target = pairs.nth(index).locator(".src"), pairs.nth(index).locator(".tgt")
        source_box, target_box = source.bounding_box(), target.bounding_box()
        assert source_box and target_box and source.inner_text().strip() and target.inner_text().strip()
        assert abs(source_box["y"] - target_box["y"]) < 1, f"block {index + 1} is not aligned"
        assert source_box["x"] + source_box["width"] <= target_box["x"], "original is left of the translation"

    german = page.locator('.src .s[data-pair="b4-s2"]')
    english = page.locator('.tgt .s[data-pair="b4-s2"]')
    german.hover()
    expect(english).to_have_class(re.compile(r"\bhl\b"))
    expect(german).to_have_class(re.compile(r"\bhl\b"))
    expect(page.locator(".s.hl")).to_have_count(2)
    page.screenshot(path=str(OUTPUT / "reader-hover.png"))
    page.mouse.move(0, 0)  # a keyboard user's pointer rests nowhere (the focused block may scroll under it)
    page.locator('.tgt .s[data-pair="b7-s1"]').focus()  # keyboard: focus works like hover, both ways
    expect(page.locator('.src .s[data-pair="b7-s1"]')).to_have_class(re.compile(r"\bhl\b"))

    page.click('.views [data-view="translation"]')
    expect(page.locator(".pair .src").first).to_be_hidden()
    expect(page.locator(".pair .tgt").first).to_be_visible()
    expect(page.locator('.views [data-view="translation"]')).to_have_attribute("aria-current", "true")
    assert page.url.endswith("?view=translation")

    with page.expect_download() as download_info:
        page.click('.exports a[data-format="tsv"]')
    download = download_info.value
    assert download.suggested_filename == "alibaba-ist-auf-grossem-expansionskurs.de-en.tsv"
    saved = OUTPUT / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8")), delimiter="\t"))
    assert rows[0] == ["block", "kind", "de", "en"] and len(rows) == 1 + 25

    page.screenshot(path=str(OUTPUT / "reader-translation-only.png"), full_page=True)
    page.click('.views [data-view="both"]')
    page.screenshot(path=str(OUTPUT / "reader.png"), full_page=True)
    assert watched.dialogs == [] and watched.errors == []


def test_narrow_screen_interleaves_pairs(watched: Watched, server: tuple[str, Any], seed_text: str) -> None:
    base, _ = server
    page = watched.page
    page.set_viewport_size({"width": 400, "height": 860})
    paste_and_open(watched, base, seed_text)
    for index in (0, 3, 8):
        pair = page.locator(".pairs > .pair").nth(index)
        source_box, target_box = pair.locator(".src").bounding_box(), pair.locator(".tgt").bounding_box()
        assert source_box and target_box and target_box["y"] >= source_box["y"] + source_box["height"] - 1
    document_width = page.evaluate("document.documentElement.scrollWidth")
    assert document_width <= 400, "no horizontal scrolling on a phone"
    page.screenshot(path=str(OUTPUT / "reader-narrow.png"))
    assert watched.dialogs == [] and watched.errors == []


def test_hostile_article_renders_inertly(watched: Watched, server: tuple[str, Any]) -> None:
    base, _ = server
    page = watched.page
    paste_and_open(watched, base, HOSTILE)
    page.hover('.src .s[data-pair="b2-s1"]')
    page.wait_for_timeout(300)  # give any injected onerror/onload handler its chance to run
    assert watched.dialogs == [], watched.dialogs
    assert page.evaluate("typeof window.__pwned") == "undefined"
    reader = page.locator("#reader")
    assert reader.locator("img, svg, iframe, script, a[href^='javascript']").count() == 0
    text = reader.inner_text()
    assert "<script>window.__pwned = 1; alert('title')</script>" in text and "onerror=" in text
    assert "<script>" in page.title()
    page.screenshot(path=str(OUTPUT / "hostile.png"))
    assert watched.errors == []


def test_reader_fills_in_while_the_job_runs(
    watched: Watched, server: tuple[str, Any], seed_text: str, tmp_path: Path
) -> None:
    """A running job's page shows finished blocks and progress, then fills in without a reload."""
    from playwright.sync_api import expect

    from translator import Translator

    base, app = server
    store = app.extensions["translator_services"].store
    snapshots: dict[int, str] = {}
    translator = Translator(
        Settings(data_dir=tmp_path / "data", model_dir=app.extensions["translator_services"].settings.model_dir)
    )

    def keep(document: Document, done: int, total: int) -> None:
        snapshots.setdefault(done, json.dumps(document.to_dict()))

    final = translator.translate_document(seed_text, progress_slice=5, partial=keep)
    doc_id = store.create(seed_text, "auto", "en", "text", "Alibaba")  # not submitted: the test plays the job
    store.mark_running(doc_id)
    store.set_partial(doc_id, Document.from_dict(json.loads(snapshots[10])), 10, 25)
    page = watched.page
    page.goto(f"{base}/documents/{doc_id}")
    expect(page.locator('.pair[data-state="ready"]')).to_have_count(4)
    expect(page.locator('.pair[data-state="pending"]')).to_have_count(5)
    expect(page.locator("progress.job-bar")).to_have_attribute("value", "40.0")
    page.evaluate("window.__sameDocument = true")
    page.screenshot(path=str(OUTPUT / "reader-running.png"))

    store.set_progress(doc_id, 20, 25)
    expect(page.locator(".job-percent")).to_have_text("80%")
    store.finish(doc_id, final)
    expect(page.locator('.pair[data-state="ready"]')).to_have_count(9)
    expect(page.locator("#live")).to_have_attribute("data-status", "done")
    expect(page.locator(".job")).to_have_count(0)
    expect(page.locator(".doc-footer .model")).to_have_text("translate-de_en-test")
    expect(page.locator(".exports")).not_to_have_class(re.compile("not-ready"))
    assert page.evaluate("window.__sameDocument") is True  # filled in place, not reloaded
    assert watched.dialogs == [] and watched.errors == []


@pytest.fixture
def keyed_server(tmp_path: Path, model_dir: Path) -> Iterator[tuple[str, str]]:
    """The real app with keys required, and one key to sign in with."""
    from werkzeug.serving import make_server

    from app import create_app
    from translator.storage.keys import KeyStore, key_store_path

    settings = Settings(data_dir=tmp_path / "data", model_dir=model_dir, api_keys_required=True)
    keys = KeyStore(key_store_path(settings))
    key = keys.add("reporter")
    keys.close()
    app = create_app({"TRANSLATOR_SETTINGS": settings})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, name="keyed-test-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", key
    httpd.shutdown()
    thread.join(timeout=10)
    app.extensions["translator_services"].jobs.shutdown()


def test_sign_in_with_a_key_then_translate(watched: Watched, keyed_server: tuple[str, str]) -> None:
    """With keys required a person signs in once (the cookie carries the session), translates, signs out."""
    from playwright.sync_api import expect

    base, key = keyed_server
    page = watched.page
    page.goto(base + "/documents")
    page.wait_for_url(re.compile(r"/signin\?next="))
    page.fill("#key", "wrong")
    page.click(".signin-form button[type=submit]")
    expect(page.locator(".alert")).to_contain_text("not a valid API key")
    assert [error for error in watched.errors if "403" not in error] == []  # the refused key's page is a 403
    watched.errors.clear()
    page.fill("#key", key)
    page.click(".signin-form button[type=submit]")
    page.wait_for_url(base + "/documents")
    expect(page.locator(".signed-in")).to_have_text("reporter")
    cookie = next(c for c in page.context.cookies() if c["name"] == "session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.goto(base + "/")
    page.fill("#text", "Die Regierung hat am Montag ein neues Gesetz beschlossen. Es tritt im Sommer in Kraft.")
    page.click(".compose-form button[type=submit]")
    page.wait_for_url(re.compile(r"/documents/[0-9a-f]+$"))
    page.wait_for_selector('#live[data-status="done"]')  # the reader's polls carry the session too
    page.click(".signout button[type=submit]")
    page.wait_for_url(re.compile(r"/signin$"))
    page.goto(base + "/documents")
    page.wait_for_url(re.compile(r"/signin\?next="))
    assert watched.dialogs == [] and watched.errors == []
