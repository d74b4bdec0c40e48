"""The batch manifest's journal (pure logic on a temp directory): durable per file, linear in total, crash-safe."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from translator.batch import manifest as batch_manifest
from translator.batch.manifest import JOURNAL_NAME, MANIFEST_NAME, Manifest


def entry(n: int, status: str = "done") -> dict[str, Any]:
    return {"status": status, "sha256": f"{n:064x}", "outputs": [f"file{n}.json"]}


def test_each_file_is_one_journal_line_and_survives_a_kill(tmp_path: Path) -> None:
    manifest, _ = Manifest.load(tmp_path)
    for n in range(3):
        manifest.record(f"f{n}", entry(n))
    assert not (tmp_path / MANIFEST_NAME).exists(), "recording a file must not rewrite the manifest"
    assert len((tmp_path / JOURNAL_NAME).read_text(encoding="utf-8").splitlines()) == 3
    reloaded, warning = Manifest.load(tmp_path)  # what a run after SIGKILL sees
    assert warning is None
    assert reloaded.files == {f"f{n}": entry(n) for n in range(3)}


def test_a_torn_last_line_is_skipped(tmp_path: Path) -> None:
    manifest, _ = Manifest.load(tmp_path)
    manifest.record("a", entry(1))
    with open(tmp_path / JOURNAL_NAME, "a", encoding="utf-8") as journal:
        journal.write('{"sequence": 2, "key": "b", "entr')  # killed in the middle of a write
    assert Manifest.load(tmp_path)[0].files == {"a": entry(1)}


def test_a_crash_between_fold_and_journal_removal_replays_nothing_stale(tmp_path: Path) -> None:
    manifest, _ = Manifest.load(tmp_path)
    manifest.record("a", entry(1, "failed"))
    stale_journal = (tmp_path / JOURNAL_NAME).read_text(encoding="utf-8")
    manifest.record("a", entry(1, "done"))
    manifest.fold()
    assert not (tmp_path / JOURNAL_NAME).exists()
    (tmp_path / JOURNAL_NAME).write_text(stale_journal, encoding="utf-8")  # as if the removal never happened
    assert Manifest.load(tmp_path)[0].files == {"a": entry(1, "done")}


def test_writes_stay_linear_for_a_large_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """1,000 files: a handful of manifest rewrites (when the journal is as long as the manifest), not 1,000."""
    folds: list[int] = []
    write_atomic = batch_manifest.write_atomic

    def counting_write(path: Path, content: str | bytes) -> None:
        folds.append(len(json.loads(content)["files"]))
        write_atomic(path, content)

    monkeypatch.setattr(batch_manifest, "write_atomic", counting_write)
    manifest, _ = Manifest.load(tmp_path)
    for n in range(1000):
        manifest.record(f"f{n}", entry(n))
        assert manifest.journal_lines < max(batch_manifest.FOLD_AT_LEAST, len(manifest.files))
    manifest.fold()
    assert len(folds) <= 6, folds
    assert not (tmp_path / JOURNAL_NAME).exists()
    data = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert data["sequence"] == 1000 and len(data["files"]) == 1000
    assert Manifest.load(tmp_path)[0].files == manifest.files
