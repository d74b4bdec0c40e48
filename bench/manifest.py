"""Batch manifest: cost of recording finished files for a large archive, journal against rewrite-per-file.

Baseline: the whole manifest rewritten atomically after every file (what the batch tool did before the
journal). Ours: ``Manifest.record`` (one fsynced journal line per file) plus the fold at the end of a run.
Both write the same entries to a fresh directory on the same disk, taking turns.
Usage: python bench/manifest.py [--files N] [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import median, report, timed_rounds


def entry(number: int) -> dict[str, Any]:
    """An entry of the size the batch tool writes (hash, outputs, model, options)."""
    return {
        "status": "done", "sha256": f"{number:064x}", "source": "auto", "source_language": "de", "target": "en",
        "model": "translate-de_en@1.9", "engine": {"beam_size": 2, "compute_type": "int8"}, "formats": ["html"],
        "outputs": [f"sub/file{number}.de-en.html"], "base": f"sub/file{number}", "finished": "2026-11-26T01:00:00Z",
    }  # fmt: skip


def journal(files: int) -> None:
    from translator.batch.manifest import Manifest

    manifest, _ = Manifest.load(Path(tempfile.mkdtemp(prefix="manifest-bench-")))
    for number in range(files):
        manifest.record(f"sub/file{number}.md", entry(number))
    manifest.fold()


def rewrite_per_file(files: int) -> None:
    from translator.batch.manifest import Manifest

    manifest, _ = Manifest.load(Path(tempfile.mkdtemp(prefix="manifest-bench-")))
    for number in range(files):
        manifest.files[f"sub/file{number}.md"] = entry(number)
        manifest.sequence += 1
        manifest._fold()  # the whole manifest, atomically, every time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    runs = timed_rounds(
        {"rewrite_per_file": lambda: rewrite_per_file(args.files), "journal": lambda: journal(args.files)},
        args.repeat,
    )
    seconds = {name: round(median(times), 3) for name, times in runs.items()}
    figures = {"files": args.files, "seconds": seconds,
               "rewrite_over_journal": round(seconds["rewrite_per_file"] / seconds["journal"], 1)}  # fmt: skip
    print(f"{args.files} files: rewrite per file {seconds['rewrite_per_file']} s, journal {seconds['journal']} s "
          f"({figures['rewrite_over_journal']}x)")  # fmt: skip
    report("manifest", figures)


if __name__ == "__main__":
    main()
