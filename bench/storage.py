"""SQLite layer: cost of the shared ``Database`` (file identity check, fault handling) on the hot paths.

Baseline: a bare connection behind a lock running the same SQL (what each store did before the shared
layer). Ours: ``SentenceCache.get_many``/``put_many`` (a job's 16-sentence slice) and
``DocumentStore.set_progress`` (written after every slice). Same files, same disk, paths taking turns.
Usage: python bench/storage.py [--calls N] [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import median, report, timed_rounds
from translator.storage import documents
from translator.storage.cache import SentenceCache, cache_key
from translator.storage.documents import DocumentStore
from translator.storage.sqlite import connect

SLICE = 16  # sentences per job slice (translator.jobs.PROGRESS_SLICE)


def rows(call: int) -> list[tuple[str, str, str, str, str, str]]:
    sentences = [f"Satz {call}-{n} über die Olympischen Spiele in Paris." for n in range(SLICE)]
    return [(cache_key("m@1", "de", "en", s), "m@1", "de", "en", s, s.upper()) for s in sentences]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="storage-bench-"))
    slices = [rows(call) for call in range(args.calls)]

    cache = SentenceCache(directory / "layer-cache.sqlite3")
    bare = connect(directory / "bare-cache.sqlite3")
    bare.execute(
        "CREATE TABLE translations (key TEXT PRIMARY KEY, model TEXT, source_language TEXT, target_language TEXT,"
        " source TEXT, translation TEXT, created REAL)"
    )
    lock = threading.Lock()

    def layer_cache() -> None:
        for chunk in slices:
            cache.get_many([row[0] for row in chunk])
            cache.put_many(chunk)

    def bare_cache() -> None:
        for chunk in slices:
            keys = [row[0] for row in chunk]
            with lock:
                bare.execute(f"SELECT key, translation FROM translations WHERE key IN ({','.join('?' * len(keys))})",
                             keys).fetchall()  # fmt: skip
            with lock:
                bare.execute("BEGIN IMMEDIATE")
                bare.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 [(*row, time.time()) for row in chunk])  # fmt: skip
                bare.execute("COMMIT")

    store = DocumentStore(directory / "layer-documents.sqlite3")
    doc_id = store.create("Ein Satz.", "de", "en")
    bare_store = connect(directory / "bare-documents.sqlite3")
    bare_store.execute(documents.SCHEMA)
    bare_store.execute("INSERT INTO documents (id, text, requested_source, target_language, status, created, updated)"
                       " VALUES (?, 'Ein Satz.', 'de', 'en', 'queued', 0, 0)", (doc_id,))  # fmt: skip

    def layer_progress() -> None:
        for call in range(args.calls):
            store.set_progress(doc_id, call, args.calls)

    def bare_progress() -> None:
        for call in range(args.calls):
            with lock:
                bare_store.execute("UPDATE documents SET done=?, total=?, updated=? WHERE id=?",
                                   (call, args.calls, time.time(), doc_id)).fetchall()  # fmt: skip

    times = timed_rounds(
        {"bare_cache": bare_cache, "layer_cache": layer_cache, "bare_progress": bare_progress,
         "layer_progress": layer_progress}, args.repeat)  # fmt: skip
    per_call = {name: round(median(values) / args.calls * 1e6, 1) for name, values in times.items()}
    figures = {
        "calls": args.calls,
        "us_per_call": per_call,
        "cache_ratio": round(per_call["layer_cache"] / per_call["bare_cache"], 3),
        "progress_ratio": round(per_call["layer_progress"] / per_call["bare_progress"], 3),
    }
    print(
        f"cache slice (get {SLICE} + put {SLICE}): layer {per_call['layer_cache']} µs, bare {per_call['bare_cache']} µs"
    )
    print(f"progress write: layer {per_call['layer_progress']} µs, bare {per_call['bare_progress']} µs")
    report("storage", figures)


if __name__ == "__main__":
    main()
