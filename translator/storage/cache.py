"""Persistent per-sentence translation cache in SQLite.

Keyed by model name + version + decoding options + language pair + source
sentence, so a repeated sentence (in one article, or across an archive) is
translated once. WAL mode and a busy timeout let several threads and
processes share one file.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from translator.storage.sqlite import connect

SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    source_language TEXT NOT NULL,
    target_language TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    created REAL NOT NULL
)
"""
DOCUMENT_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    key TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    created REAL NOT NULL
)
"""


def cache_key(model_key: str, source_language: str, target_language: str, sentence: str) -> str:
    raw = "\x1f".join((model_key, source_language, target_language, sentence))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class SentenceCache:
    """A thread-safe sentence cache; one connection guarded by a lock (SQLite serialises writes anyway)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._connection = connect(path)
        self._connection.execute(SCHEMA)
        self._connection.execute(DOCUMENT_SCHEMA)
        self.hits = 0
        self.misses = 0

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        with self._lock:
            for offset in range(0, len(keys), 500):
                chunk = list(keys[offset : offset + 500])
                marks = ",".join("?" * len(chunk))
                rows = self._connection.execute(
                    f"SELECT key, translation FROM translations WHERE key IN ({marks})", chunk
                )
                found.update(rows.fetchall())
            self.hits += sum(1 for key in keys if key in found)
            self.misses += sum(1 for key in keys if key not in found)
        return found

    def put_many(self, rows: Iterable[tuple[str, str, str, str, str, str]]) -> None:
        """Rows are (key, model, source_language, target_language, source, translation)."""
        now = time.time()
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                self._connection.executemany(
                    "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(*row, now) for row in rows],
                )
                self._connection.execute("COMMIT")
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise

    def get_document(self, key: str) -> str | None:
        """A whole translated article (JSON) by its key: a repeated article skips segmentation and detection too."""
        with self._lock:
            row = self._connection.execute("SELECT document FROM documents WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def put_document(self, key: str, document: str) -> None:
        with self._lock:
            self._connection.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)", (key, document, time.time()))

    def __len__(self) -> int:
        with self._lock:
            return int(self._connection.execute("SELECT COUNT(*) FROM translations").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._connection.close()
