"""The reader in a real browser: Debian's Chromium driven by Playwright against the app on a local port.

Screenshots and the downloaded TSV go to ``test-output/browser/`` under the repository root (gitignored).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from tests.helpers import HOSTILE, ROOT
from translator import Document, Settings
from translator.tmx import read_tmx

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


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """The app on a free port of 127.0.0.1 in a thread (its base URL), stopped with its jobs afterwards."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, name="browser-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
        app.extensions["translator_services"].jobs.shutdown()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Iterator[tuple[str, Any]]:
    """The real app (CSRF on, as deployed) on a free localhost port, served from a background thread."""

    from app import create_app

    settings = Settings(data_dir=tmp_path_factory.mktemp("browser") / "data", model_dir=model_dir)
    app = create_app({"TRANSLATOR_SETTINGS": settings})
    with serving(app) as base:
        yield base, app


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
    expect(page.locator("progress.job-bar")).to_have_js_property("value", 40)  # the template or the poll set it
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

    from app import create_app
    from translator.storage.keys import KeyStore, key_store_path

    settings = Settings(data_dir=tmp_path / "data", model_dir=model_dir, api_keys_required=True)
    keys = KeyStore(key_store_path(settings))
    key = keys.add("reporter")
    keys.close()
    with serving(create_app({"TRANSLATOR_SETTINGS": settings})) as base:
        yield base, key


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


# --- Corrections and the translation memory (issue 15), and accessibility checked by axe-core.

AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now (each: rule, impact, elements)."""
    assert AXE.exists(), "axe-core is missing: run tools/ensure-axe.sh (make test does)"
    page.evaluate(AXE.read_text(encoding="utf-8"))  # through DevTools: the page's CSP (script-src 'self') stays on
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_correct_a_sentence_in_place_and_reuse_it(
    watched: Watched, server: tuple[str, Any], seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect

    base, app = server
    page = watched.page
    page.goto(base + "/")
    assert serious_violations(page) == []
    doc_id = paste_and_open(watched, base, seed_text)
    assert serious_violations(page) == []  # the reader, with its quiet labels

    sentence = page.locator('.tgt .s[data-pair="b2-s1"]')
    machine = sentence.inner_text()
    sentence.dblclick()  # Escape cancels: nothing changes
    page.keyboard.type(" and more")
    page.keyboard.press("Escape")
    expect(page.locator(".inline-edit")).to_have_count(0)
    expect(sentence).to_have_text(machine)
    expect(sentence).to_be_focused()

    title = page.locator('.tgt .s[data-pair="b1-s1"]')
    title.focus()
    page.keyboard.press("Enter")  # the keyboard way in
    editor = page.locator(".inline-edit textarea")
    expect(editor).to_be_focused()
    assert serious_violations(page) == []  # editing included
    editor.fill("Alibaba sets out to grow <script>window.__pwned = 1</script>")
    page.keyboard.press("Enter")
    edited = page.locator('.tgt .s[data-pair="b1-s1"]')
    expect(edited).to_have_class(re.compile(r"\bo-human\b"))
    expect(edited).to_have_text("Alibaba sets out to grow <script>window.__pwned = 1</script>")  # inert text
    expect(edited).to_be_focused()

    page.reload()
    expect(page.locator('.tgt .s.o-human[data-pair="b1-s1"]')).to_have_text(re.compile("^Alibaba sets out to grow"))
    expect(page.locator("#b1 .tip.people")).to_have_attribute("aria-label", re.compile("machine version"))
    assert page.evaluate("window.__pwned") is None

    with page.expect_download() as download_info:
        page.click('.exports a[data-format="xliff"]')
    xliff = ET.fromstring(Path(download_info.value.path()).read_bytes())
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    units = xliff.findall(".//x:trans-unit", ns)
    edited_target, machine_target = units[0].find("x:target", ns), units[1].find("x:target", ns)
    assert edited_target is not None and machine_target is not None
    assert edited_target.get("state") == "translated" and (edited_target.text or "").startswith("Alibaba sets out")
    assert units[0].find("x:alt-trans/x:target", ns) is not None  # the machine version, for comparison
    assert machine_target.get("state") == "needs-review-translation"

    # A second article sharing the title: it comes from the memory, the model never sees it.
    model = app.extensions["translator_services"].translator.merger.engine
    seen: list[str] = []
    original = model.translate_batch

    def counting(sentences: list[str], source: str, target: str) -> Any:
        seen.extend(sentences)
        return original(sentences, source, target)

    monkeypatch.setattr(model, "translate_batch", counting)
    second = seed_text.split("\n")[0] + "\n\nEin neuer Absatz über etwas ganz anderes."
    paste_and_open(watched, base, second)
    reused = page.locator('.tgt .s[data-pair="b1-s1"]')
    expect(reused).to_have_class(re.compile(r"\bo-memory\b"))
    expect(reused).to_have_text(re.compile("^Alibaba sets out to grow"))
    assert seen and seed_text.split("\n")[0] not in seen
    page.goto(base + "/documents")
    assert serious_violations(page) == []  # the library

    page.goto(f"{base}/documents/{doc_id}/blocks/2/edit")  # the form without script
    assert serious_violations(page) == []
    memory = app.extensions["translator_services"].translator.memory
    memory.suggest("de", "en", "Ein Vorschlag.", "A suggestion.", None)
    page.goto(base + "/documents")
    page.click("text=Translation memory")
    expect(page.locator(".suggestions tbody tr")).to_have_count(1)
    assert serious_violations(page) == []
    page.click(".suggestions button:has-text('Approve')")
    expect(page.locator(".flash")).to_contain_text("Approved suggestion")
    with page.expect_download() as download_info:
        page.click("text=Download TMX")
    memory_units = set(read_tmx(Path(download_info.value.path()).read_bytes()))
    assert ("de", "en", "Ein Vorschlag.", "A suggestion.") in memory_units
    assert any(
        source == seed_text.split("\n")[0] and text.startswith("Alibaba sets out")
        for _, _, source, text in memory_units
    )
    assert watched.dialogs == [] and watched.errors == []
