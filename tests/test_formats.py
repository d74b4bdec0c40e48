"""Accepted input suffixes: one list for uploads, named files and folder walks."""

from __future__ import annotations

from pathlib import Path

from translator.batch.inputs import discover
from translator.sources.sniff import SUFFIX_FORMATS


def test_a_folder_walk_takes_every_suffix_a_named_file_may_have(tmp_path: Path) -> None:
    """One list of suffixes: the batch folder walk once skipped .text files that the reader accepts."""
    folder = tmp_path / "in"
    folder.mkdir()
    for index, suffix in enumerate(SUFFIX_FORMATS):
        (folder / f"article{index}{suffix.upper() if index % 2 else suffix}").write_text("Ein Satz.")
    (folder / "notes.pdf").write_text("not an article")
    items, _, _ = discover([str(folder)], tmp_path / "out")
    assert sorted(Path(item.key).suffix.lower() for item in items) == sorted(SUFFIX_FORMATS)
