"""Batch --format same: each input translated into its own format, with the manifest, atomic writes and resume."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import docx
import polib
from bs4 import BeautifulSoup
from click.testing import CliRunner

from translator.batch.manifest import MANIFEST_NAME
from translator.cli.main import main

PAGE = '<html><body><article><h1 class="t">Die Überschrift</h1><p>Das ist <b>sehr</b> gut.</p></article></body></html>'
SRT = "1\n00:00:01,000 --> 00:00:02,000\nDie Regierung hat entschieden.\n"


def _folder(root: Path) -> Path:
    folder = root / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "bericht.md").write_text("# Titel\n\nDie Regierung hat entschieden. Siehe https://example.com.\n")
    (folder / "seite.html").write_text(PAGE)
    (folder / "sub" / "film.srt").write_text(SRT)
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalog.append(polib.POEntry(msgid="Datei %s öffnen", flags=["c-format"]))
    catalog.save(str(folder / "app.pot"))
    document = docx.Document()
    document.add_paragraph("Ein Absatz mit ").add_run("fettem").bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    (folder / "brief.docx").write_bytes(buffer.getvalue())
    (folder / "kaputt.po").write_text('msgid "a"\nmsgstr "b"\nmsgid "c" nonsense\n')
    return folder


def test_same_format_outputs_beside_bilingual_ones_and_resume(tmp_path: Path, model_dir: Path) -> None:
    env = {"TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR_MODEL_DIR": str(model_dir)}
    folder, out = _folder(tmp_path), tmp_path / "out"
    args = ["batch", str(folder), "--out", str(out), "--source", "de", "--format", "html,same"]
    first = CliRunner().invoke(main, args, env=env)
    assert first.exit_code == 1, first.output  # kaputt.po failed; the rest carried on
    assert "kaputt.po" in first.output and "not a valid gettext file" in first.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name[0] != ".")
    assert written == [
        "app.en.po", "bericht.de-en.html", "bericht.en.md", "brief.en.docx", "seite.de-en.html", "seite.en.html",
        "sub/film.en.srt",
    ]  # fmt: skip
    page = BeautifulSoup((out / "seite.en.html").read_text(), "html.parser")
    assert page.find("h1", class_="t") is not None and page.article is not None and page.b is not None
    assert (out / "bericht.en.md").read_text().count("https://example.com") == 1
    assert "00:00:01,000 --> 00:00:02,000" in (out / "sub" / "film.en.srt").read_text()
    check = subprocess.run(["msgfmt", "-c", "--use-fuzzy", "-o", "/dev/null", str(out / "app.en.po")])
    assert check.returncode == 0
    assert any(r.bold for r in docx.Document(str(out / "brief.en.docx")).paragraphs[0].runs)
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert manifest["files"]["brief.docx"]["outputs"] == ["brief.en.docx"]
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != MANIFEST_NAME}
    again = CliRunner().invoke(main, args, env=env)
    assert again.exit_code == 1 and "kaputt.po" in again.output
    assert "1 to translate, 5 unchanged (skipped)" in again.output  # resumed: only the broken file is retried
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != MANIFEST_NAME} == before


def test_documents_need_format_same(tmp_path: Path, model_dir: Path) -> None:
    env = {"TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR_MODEL_DIR": str(model_dir)}
    folder = _folder(tmp_path)
    result = CliRunner().invoke(main, ["batch", str(folder / "brief.docx"), "--out", str(tmp_path / "o")], env=env)
    assert result.exit_code == 1 and "add --format same" in result.output
