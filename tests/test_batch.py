"""The batch command, run as users run it (a subprocess), including being killed and resumed."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.helpers import FIXTURES, ROOT, SEED
from translator.batch.inputs import Item, discover
from translator.batch.manifest import JOURNAL_NAME, MANIFEST_NAME, Manifest, locked
from translator.batch.progress import BarProgress
from translator.batch.work import read_input
from translator.cli import main
from translator.textio import write_atomic

ALL_FORMATS = "html,md,tsv,json,xliff"
EXTENSIONS = ("html", "md", "tsv", "json", "xlf")
HTML_ARTICLE = """<!doctype html><html lang="de"><head><title>Hafen erweitert</title>
<script>window.tracking = true;</script></head><body><nav><a href="/">Startseite</a></nav><article>
<h1>Der Hamburger Hafen wird erweitert</h1>
<p>Von Anna Beispiel - 12.03.2021</p>
<p>Der Senat hat am Dienstag den Ausbau des Hafens beschlossen. Die Arbeiten sollen im Herbst beginnen.</p>
<h2>Kritik der Umweltverbände</h2>
<p>Umweltverbände warnen vor den Folgen für die Elbe. Sie fordern ein neues Gutachten.</p>
</article></body></html>
"""


# --- helpers -----------------------------------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path, model_dir: Path) -> dict[str, str]:
    return {**os.environ, "TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR_MODEL_DIR": str(model_dir)}


def batch_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "translator", "batch", *args]


def run_batch(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(batch_command(*args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def start_batch(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        batch_command(*args), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def manifest_files(out: Path) -> dict[str, Any]:
    """The entries as a resuming run sees them: the manifest file with its journal replayed."""
    return Manifest.load(out)[0].files


def done_entries(out: Path) -> dict[str, Any]:
    return {key: entry for key, entry in manifest_files(out).items() if entry["status"] == "done"}


def wait_for_done(out: Path, process: subprocess.Popen[str], count: int, timeout: float = 120) -> None:
    """Poll the manifest (replaced atomically; journal lines are whole or skipped) until count files are finished."""
    deadline = time.monotonic() + timeout
    while len(done_entries(out)) < count:
        assert process.poll() is None, "the batch ended before it could be interrupted"
        assert time.monotonic() < deadline, "the batch made no progress"
        time.sleep(0.02)


def outputs(out: Path) -> dict[str, bytes]:
    """Every visible file under out (outputs), by relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def check_parses(name: str, content: bytes) -> None:
    """An output is complete: it parses, to its last byte, in its format."""
    text = content.decode("utf-8")
    if name.endswith(".json"):
        data = json.loads(text)
        assert data["blocks"] and "timings" not in data
        assert all("cached" not in s for b in data["blocks"] for s in b["sentences"])
    elif name.endswith(".xlf"):
        assert ET.fromstring(content).findall(".//{urn:oasis:names:tc:xliff:document:1.2}trans-unit")
    elif name.endswith(".tsv"):
        rows = text.splitlines()
        assert text.endswith("\n") and len(rows) > 1 and all(row.count("\t") == 3 for row in rows)
    elif name.endswith(".html"):
        assert text.rstrip().endswith("</html>") and "<table>" in text
    else:
        assert name.endswith(".md") and text.endswith("\n") and text.startswith("# ")


def make_archive(directory: Path, count: int) -> None:
    """count small German articles: a unique title and sentence each, plus seed sentences shared across files."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if len(line.strip()) > 60]
    sentences = [s for line in lines for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])", line) if len(s) > 20]
    directory.mkdir(parents=True, exist_ok=True)
    for number in range(1, count + 1):
        shared = [sentences[(number * 3 + k) % len(sentences)] for k in range(4)]
        text = (
            f"Bericht Nummer {number} aus dem Archiv\n\n"
            f"Dies ist der Artikel Nummer {number} aus dem Archiv der Redaktion. {shared[0]} {shared[1]}\n\n"
            f"Im Jahr {1990 + number} berichtete die Zeitung zum {number}. Mal darüber. {shared[2]} {shared[3]}\n"
        )
        (directory / f"bericht-{number:02d}.txt").write_text(text, encoding="utf-8")


@pytest.fixture
def mixed_dir(tmp_path: Path) -> Path:
    """Three good articles (text, Markdown, HTML in a subfolder) and five bad files."""
    articles = tmp_path / "articles"
    (articles / "sub").mkdir(parents=True)
    (articles / "alibaba_de.txt").write_bytes(SEED.read_bytes())
    (articles / "markdown_de.md").write_bytes((FIXTURES / "markdown_de.md").read_bytes())
    (articles / "sub" / "hafen.html").write_text(HTML_ARTICLE, encoding="utf-8")
    (articles / "empty.txt").write_bytes(b"  \n")
    (articles / "sub" / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    (articles / "latin1.txt").write_bytes("Die Größe der Stadt wächst.".encode("latin-1"))
    (articles / "gone.txt").symlink_to(articles / "missing-target.txt")
    (articles / "notes.pdf").write_bytes(b"%PDF-1.4 ignored: not an article suffix")
    (articles / ".hidden.txt").write_text("Versteckt und ignoriert.", encoding="utf-8")
    return articles


# --- the "done when" tests ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_mixed_directory_gives_every_output_and_lists_failures(
    mixed_dir: Path, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    out = tmp_path / "out"
    result = run_batch(str(mixed_dir), "--out", str(out), "--format", ALL_FORMATS, "--jobs", "2", env=cli_env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    produced = outputs(out)
    expected = {f"{stem}.de-en.{ext}" for stem in ("alibaba_de", "markdown_de", "sub/hafen") for ext in EXTENSIONS}
    assert set(produced) == expected
    for name, content in produced.items():
        check_parses(name, content)
    hafen = json.loads(produced["sub/hafen.de-en.json"])
    assert hafen["title"] == "Der Hamburger Hafen wird erweitert" and "Startseite" not in json.dumps(hafen)
    assert "Summary: 3 translated, 0 unchanged (skipped), 4 failed, of 7 files" in result.stdout
    failures = result.stdout.split("Failed:", 1)[1]
    for name, reason in [
        ("empty.txt", "empty"),
        ("sub/binary.md", "binary"),
        ("latin1.txt", "not UTF-8"),
        ("gone.txt", "cannot read"),
    ]:
        assert re.search(rf"^  {re.escape(name)}: .*{reason}", failures, re.MULTILINE), failures
        assert f"FAILED {name}:" in result.stderr  # the per-file log line (stderr is not a terminal)
    manifest = manifest_files(out)
    assert {k for k, e in manifest.items() if e["status"] == "failed"} == {
        "empty.txt",
        "sub/binary.md",
        "latin1.txt",
        "gone.txt",
    }
    assert manifest["sub/hafen.html"]["model"] == "translate-de_en-test@1.0"

    # A re-run skips the good files, retries the bad ones, and sweeps a temp file a killed run left behind.
    stale = out / "sub" / ".hafen.de-en.html.k3j_x9q2.part"
    stale.write_bytes(b"<!doctype html><html><body>half")
    again = run_batch(str(mixed_dir), "--out", str(out), "--format", ALL_FORMATS, env=cli_env)
    assert again.returncode == 1
    assert "Summary: 0 translated, 3 unchanged (skipped), 4 failed, of 7 files" in again.stdout
    assert not stale.exists() and "Removed 1 temporary file" in again.stderr
    assert outputs(out) == produced

    # A dry run for another directory: the cache already holds every sentence, nothing is written.
    other = tmp_path / "other"
    dry = run_batch(str(mixed_dir), "--out", str(other), "--dry-run", env=cli_env)
    assert dry.returncode == 0, dry.stderr
    sentences = sum(e["sentences"] for e in done_entries(out).values())
    assert f"in {sentences} sentences; {sentences} of those sentences are already in the sentence cache" in dry.stdout
    assert "0 need the model" in dry.stdout and not other.exists()


@pytest.mark.slow
def test_sigkill_mid_run_then_resume_equals_an_uninterrupted_run(
    tmp_path: Path, model_dir: Path, cli_env: dict[str, str]
) -> None:
    archive = tmp_path / "archive"
    make_archive(archive, 40)
    reference = tmp_path / "reference"
    reference_env = {**cli_env, "TRANSLATOR_DATA_DIR": str(tmp_path / "reference-data")}
    clean = run_batch(str(archive), "--out", str(reference), "--format", ALL_FORMATS, env=reference_env)
    assert clean.returncode == 0, clean.stderr
    expected = outputs(reference)
    assert len(expected) == 40 * 5

    # The cache is shared across the archive: every distinct sentence was translated (and stored) once.
    distinct = {
        s["source"]
        for name, content in expected.items()
        if name.endswith(".json")
        for b in json.loads(content)["blocks"]
        for s in b["sentences"]
    }
    with sqlite3.connect(tmp_path / "reference-data" / "cache.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM translations").fetchone()[0] == len(distinct)
    assert sum(e["sentences"] for e in done_entries(reference).values()) > len(distinct)

    out = tmp_path / "out"
    args = (str(archive), "--out", str(out), "--format", ALL_FORMATS)
    process = start_batch(*args, env=cli_env)
    try:
        wait_for_done(out, process, 4)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    before = done_entries(out)
    assert 4 <= len(before) < 40, "the kill came too late to test anything"
    for name, content in outputs(out).items():  # nothing half-written under a final name
        assert content == expected[name], f"{name} differs from the uninterrupted run"
        check_parses(name, content)
    for key, entry in before.items():
        assert all((out / name).read_bytes() == expected[name] for name in entry["outputs"]), key

    resumed = run_batch(*args, env=cli_env)
    assert resumed.returncode == 0, resumed.stderr
    skipped = len(before)
    assert f"Summary: {40 - skipped} translated, {skipped} unchanged (skipped), 0 failed, of 40 files" in resumed.stdout
    after = done_entries(out)
    assert len(after) == 40
    for key, entry in before.items():
        assert after[key]["finished"] == entry["finished"], f"{key} was translated again"
        assert f"ok {key} " not in resumed.stderr
    assert outputs(out) == expected  # byte-identical to the uninterrupted run
    assert not list(out.rglob("*.part"))


@pytest.mark.slow
def test_sigint_stops_after_the_current_file_and_says_how_to_resume(tmp_path: Path, cli_env: dict[str, str]) -> None:
    archive = tmp_path / "archive"
    make_archive(archive, 40)
    out = tmp_path / "out"
    process = start_batch(str(archive), "--out", str(out), "--format", "json,xliff", env=cli_env)
    try:
        wait_for_done(out, process, 2)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    match = re.search(r"Interrupted: (\d+) of 40 files done\. Run the same command again to resume\.", stderr)
    assert match, stderr
    done = done_entries(out)
    assert int(match.group(1)) == len(done) and 2 <= len(done) < 40
    assert "Stopping after the current file" in stderr and "Traceback" not in stderr
    assert "Summary:" in stdout
    for entry in done.values():  # the manifest is consistent with the files on disk
        for name in entry["outputs"]:
            check_parses(name, (out / name).read_bytes())
    assert len(outputs(out)) == 2 * len(done)
    assert not list(out.rglob("*.part"))


@pytest.mark.slow
def test_changed_input_and_options_are_redone_unchanged_skipped(tmp_path: Path, cli_env: dict[str, str]) -> None:
    archive = tmp_path / "archive"
    make_archive(archive, 3)
    out = tmp_path / "out"
    first = run_batch(str(archive), "--out", str(out), env=cli_env)
    assert first.returncode == 0, first.stderr
    assert set(outputs(out)) == {f"bericht-0{n}.de-en.{ext}" for n in (1, 2, 3) for ext in ("html", "json")}
    before = done_entries(out)

    changed = archive / "bericht-02.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nEin neuer Absatz kam später hinzu.\n", "utf-8")
    second = run_batch(str(archive), "--out", str(out), env=cli_env)
    assert second.returncode == 0, second.stderr
    assert "Summary: 1 translated, 2 unchanged (skipped), 0 failed, of 3 files" in second.stdout
    after = done_entries(out)
    assert after["bericht-02.txt"]["sha256"] != before["bericht-02.txt"]["sha256"]
    assert after["bericht-02.txt"]["finished"] != before["bericht-02.txt"]["finished"]
    for key in ("bericht-01.txt", "bericht-03.txt"):
        assert after[key] == before[key]
    assert "Ein neuer Absatz" in (out / "bericht-02.de-en.html").read_text(encoding="utf-8")

    # Other formats are other outputs: everything is redone, and the dropped format's files removed.
    third = run_batch(str(archive), "--out", str(out), "--format", "tsv", env=cli_env)
    assert "Summary: 3 translated, 0 unchanged" in third.stdout
    assert set(outputs(out)) == {f"bericht-0{n}.de-en.tsv" for n in (1, 2, 3)}


@pytest.mark.slow
def test_dry_run_counts_and_writes_nothing(mixed_dir: Path, tmp_path: Path, cli_env: dict[str, str]) -> None:
    out = tmp_path / "out"
    result = run_batch(str(mixed_dir), "--out", str(out), "--dry-run", "--format", "all", env=cli_env)
    assert result.returncode == 0, result.stderr
    assert "Dry run: nothing was translated" in result.stdout
    assert (
        "7 files: 3 to translate, 0 unchanged since the last run (would be skipped), 4 that would fail."
        in result.stdout
    )
    assert re.search(r"To translate: \d+ words in \d+ sentences; 0 of those sentences are already", result.stdout)
    assert "This is an estimate" in result.stdout and "words/s" in result.stdout
    assert "would fail: empty.txt" in result.stdout
    assert not out.exists() and not (tmp_path / "data" / "cache.sqlite3").exists()


def test_identical_inputs_in_one_batch_give_byte_identical_outputs(tmp_path: Path, model_dir: Path) -> None:
    """The second copy of an article comes from the document cache; its files must not show it."""
    env = {"TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR_MODEL_DIR": str(model_dir)}
    articles = tmp_path / "in"
    articles.mkdir()
    for name in ("a.txt", "b.txt"):
        (articles / name).write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    result = invoke([str(articles), "--out", str(out), "--format", ALL_FORMATS], env)
    assert result.exit_code == 0, result.output
    produced = outputs(out)
    assert len(produced) == 2 * len(EXTENSIONS)
    for ext in EXTENSIONS:
        assert produced[f"a.de-en.{ext}"] == produced[f"b.de-en.{ext}"], ext


def test_files_finished_but_not_recorded_are_redone_byte_identically(tmp_path: Path, model_dir: Path) -> None:
    """What a SIGKILL between writing a file and recording it leaves: the redo comes from the document cache.

    Deterministic form of the race behind the SIGKILL test's old flakiness: the outputs must not show the cache hit.
    """
    env = {"TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR_MODEL_DIR": str(model_dir)}
    archive = tmp_path / "archive"
    make_archive(archive, 3)
    out = tmp_path / "out"
    args = [str(archive), "--out", str(out), "--format", ALL_FORMATS]
    assert invoke(args, env).exit_code == 0
    first = outputs(out)
    for name in (MANIFEST_NAME, JOURNAL_NAME):  # the run "never recorded" its files
        (out / name).unlink(missing_ok=True)
    again = invoke(args, env)
    assert again.exit_code == 0 and "3 translated, 0 unchanged" in again.stdout
    assert outputs(out) == first


# --- usage, naming and the pieces ----------------------------------------------------------------------------------


def invoke(args: list[str], env: dict[str, str]) -> Any:
    return CliRunner().invoke(main, ["batch", *args], env=env)


def test_usage_errors_exit_2_and_missing_model_exits_3(tmp_path: Path, model_dir: Path) -> None:
    env = {"TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR_MODEL_DIR": str(model_dir)}
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.pdf").write_bytes(b"%PDF")
    out = str(tmp_path / "out")
    nothing = invoke([str(tmp_path / "in"), "--out", out], env)
    assert nothing.exit_code == 2 and "No article files" in nothing.output
    same = invoke([str(tmp_path / "in"), "--out", str(tmp_path / "in")], env)
    assert same.exit_code == 2 and "is the output directory" in same.output
    missing = invoke([str(tmp_path / "nope.txt"), "--out", out], env)
    assert missing.exit_code == 2 and "no such file or directory" in missing.output
    assert invoke([str(SEED), "--out", out, "--format", "pdf"], env).exit_code == 2
    assert invoke([str(SEED), "--out", out, "--source", "Deutsch!"], env).exit_code == 2
    no_model = invoke([str(SEED), "--out", out], {**env, "TRANSLATOR_MODEL_DIR": str(tmp_path / "empty")})
    assert no_model.exit_code == 3 and "models install" in no_model.output
    assert invoke([str(SEED), "--out", out, "--source", "fr"], env).exit_code == 3
    with locked(tmp_path / "busy"):
        busy = invoke([str(SEED), "--out", str(tmp_path / "busy")], env)
    assert busy.exit_code == 2 and "Another batch is writing" in busy.output
    assert not (tmp_path / "out").exists()


def test_output_names_mirror_inputs_and_never_collide(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for name in ("a.txt", "a.md", "sub/b.txt", "sub/.secret.txt", ".git/c.txt", "out/old.de-en.md", "x.pdf"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("Text.", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.txt").write_text("Text.", encoding="utf-8")
    items, warnings, _ = discover([str(root), str(tmp_path / "elsewhere" / "b.txt"), str(root / "sub" / "b.txt"),
                                str(tmp_path / "*.none")], root / "out")  # fmt: skip
    assert [(i.key, i.base) for i in items] == [
        ("a.md", "a.md"),
        ("a.txt", "a.txt"),
        ("sub/b.txt", "sub/b"),
        ("b.txt", "b"),
    ]
    assert items[2].output_name("de", "en", "xlf") == "sub/b.de-en.xlf"
    assert warnings == [f"{tmp_path / '*.none'}: no article files match"]
    globbed = discover([str(tmp_path / "**" / "b.txt")], root / "out").items
    assert [(i.key, i.base) for i in globbed] == [("b.txt", "b"), ("b-2.txt", "b-2")]


def test_progress_bar_shows_files_and_sentence_rate() -> None:
    from translator.batch.inputs import Item
    from translator.batch.work import Outcome

    stream = io.StringIO()
    bar = BarProgress(2, stream)
    item = Item(Path("a.txt"), "a.txt", "a")
    bar.finished(Outcome(item, True, {}, sentences=12, seconds=0.5))
    bar.finished(Outcome(item, False, {}, error="a.txt is empty."))
    bar.close()
    text = stream.getvalue()
    assert "2/2" in text and "sentences/s" in text and "FAILED a.txt: a.txt is empty." in text


# --- hostile trees and names (issue 12) -------------------------------------------------------------------------


@pytest.mark.timeout(20)
def test_recursive_glob_ends_on_a_tree_with_symlink_loops(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.html").write_text("<p>Eins.</p>", encoding="utf-8")
    (root / "sub" / "b.html").write_text("<p>Zwei.</p>", encoding="utf-8")
    (root / "sub" / "up").symlink_to(root)  # two loops: following them, paths multiply at every level
    (root / "sub" / "here").symlink_to(root / "sub")
    globbed = discover([str(root / "**" / "*.html")], tmp_path / "out")[0]
    assert [item.path for item in globbed] == [root / "a.html", root / "sub" / "b.html"]
    walked = discover([str(root)], tmp_path / "out")[0]
    assert [item.key for item in walked] == ["a.html", "sub/b.html"]


def test_files_under_out_are_never_inputs_for_globs_and_files(tmp_path: Path) -> None:
    root = tmp_path / "in"
    out = root / "translated"
    (out / "sub").mkdir(parents=True)
    (root / "a1.html").write_text("<p>Eins.</p>", encoding="utf-8")
    (out / "a1.de-en.html").write_text("<p>One.</p>", encoding="utf-8")  # an earlier run's outputs
    (out / "sub" / "a2.de-en.html").write_text("<p>Two.</p>", encoding="utf-8")
    found = discover([str(root / "**" / "*.html"), str(root / "*"), str(out / "a1.de-en.html")], out)
    items, warnings = found[0], found[1]
    assert [item.path for item in items] == [root / "a1.html"]
    assert warnings == [f"{out / 'a1.de-en.html'} is inside the output directory; left out"]


def test_a_fifo_is_skipped_and_reported_never_opened(tmp_path: Path, cli_env: dict[str, str]) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_bytes(SEED.read_bytes())
    os.mkfifo(root / "fifo.txt")  # opening it for reading would wait for a writer forever
    for inputs in ([str(root)], [str(root / "*.txt"), str(root / "fifo.txt")]):
        out = tmp_path / f"out-{len(inputs)}"
        result = run_batch(*inputs, "--out", str(out), "--format", "json", env={**cli_env})
        assert result.returncode == 0, result.stderr
        assert (
            "Summary: 1 translated, 0 unchanged (skipped), 0 failed, of 1 files, 1 not regular files" in result.stdout
        )
        assert f"  {root / 'fifo.txt'} (a FIFO)" in result.stdout.split("Skipped, not regular files", 1)[1]
        assert list(outputs(out)) == ["a.de-en.json"]


@pytest.mark.timeout(10)
def test_reading_an_input_swapped_for_a_fifo_fails_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "late.txt")  # became a FIFO after discovery: the read must not block
    item = Item(tmp_path / "late.txt", "late.txt", "late")
    with pytest.raises(OSError, match="not a regular file"):
        read_input(item)


def test_file_names_are_printed_escaped_and_outputs_follow_the_umask(tmp_path: Path, cli_env: dict[str, str]) -> None:
    root = tmp_path / "in"
    root.mkdir()
    clear_screen = "bericht\x1b[2J\x1b]0;pwned\x07.txt"
    (root / clear_screen).write_bytes(SEED.read_bytes())
    (root / "leer\x1b[31m\nzeile.txt").write_bytes(b" \n")  # fails: named in the progress line and the summary
    out = tmp_path / "out"
    result = subprocess.run(
        batch_command(str(root), "--out", str(out), "--format", "html,json"),
        cwd=ROOT, env=cli_env, capture_output=True, text=True, timeout=180, umask=0o022,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    printed = result.stdout + result.stderr
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", printed), printed  # nothing a terminal would act on
    assert "ok bericht\\x1b[2J\\x1b]0;pwned\\x07.txt" in result.stderr
    assert "FAILED leer\\x1b[31m\\nzeile.txt: " in result.stderr
    assert "  leer\\x1b[31m\\nzeile.txt: " in result.stdout.split("Failed:", 1)[1]
    written = [p for p in out.rglob("*") if p.is_file() and not p.name.endswith(".lock")]
    assert {p.name for p in written} >= {".translator-manifest.json", "bericht\x1b[2J\x1b]0;pwned\x07.de-en.html"}
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in written} == {p.name: "0o644" for p in written}


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_write_atomic_follows_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    previous = os.umask(umask)
    try:
        write_atomic(tmp_path / "sub" / "out.json", "{}")
    finally:
        os.umask(previous)
    assert (tmp_path / "sub" / "out.json").stat().st_mode & 0o777 == mode
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["out.json"]  # no temp file left


def test_a_file_name_that_is_not_utf8_is_translated_and_recorded(tmp_path: Path, cli_env: dict[str, str]) -> None:
    root = tmp_path / "in"
    root.mkdir()
    name = os.fsdecode(b"bericht-\xff.txt")  # Latin-1 era name: not UTF-8
    (root / name).write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    for run in range(2):
        result = run_batch(str(root), "--out", str(out), "--format", "json", env=cli_env)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        assert f"{run} unchanged (skipped)" in result.stdout  # the manifest holds the name: a re-run skips it
    assert list(manifest_files(out)) == [name]
    assert "ok bericht-\\udcff.txt" in run_batch(str(root), "--out", str(tmp_path / "again"), env=cli_env).stderr
