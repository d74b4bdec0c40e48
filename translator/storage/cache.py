"""Persistent per-sentence translation cache in SQLite.

Keyed by model name + version + decoding options + language pair + source
sentence, so a repeated sentence (in one article, or across an archive) is
translated once. WAL mode and a busy timeout let several threads and
processes share one file.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from contextlib import suppress
from pathlib import Path

from translator.errors import StoreUnavailable
from translator.storage.sqlite import Database, Migration

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
# Whole translated articles (the document-level cache); called "documents" before version 2,
# a name that belongs to the document store.
DOCUMENT_TABLE = "translated_documents"
DOCUMENT_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {DOCUMENT_TABLE} (
    key TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    created REAL NOT NULL
)
"""


def _rename_document_table(connection: sqlite3.Connection) -> None:
    """Version 2: the old ``documents`` table keeps its rows under its new name."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "documents" in tables and DOCUMENT_TABLE not in tables:
        connection.execute(f"ALTER TABLE documents RENAME TO {DOCUMENT_TABLE}")
    else:
        connection.execute(DOCUMENT_SCHEMA)


MIGRATIONS: tuple[Migration, ...] = (SCHEMA, _rename_document_table)


def cache_key(model_key: str, source_language: str, target_language: str, sentence: str) -> str:
    raw = "\x1f".join((model_key, source_language, target_language, sentence))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class SentenceCache:
    """A thread-safe sentence cache that never stops translation.

    A damaged file is moved aside and a fresh one started (``Database``'s cache
    policy); the lookup that found the damage counts as a miss, so the sentences
    are translated again. A file deleted or replaced under the process is reopened.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = Database(path, MIGRATIONS, label=f"sentence cache ({path.name})", recreate=True)
        self._counts = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        try:
            with self._db.use() as connection:
                for offset in range(0, len(keys), 500):
                    chunk = list(keys[offset : offset + 500])
                    marks = ",".join("?" * len(chunk))
                    query = f"SELECT key, translation FROM translations WHERE key IN ({marks})"
                    found.update(connection.execute(query, chunk).fetchall())
        except StoreUnavailable:
            found = {}  # nothing read from a damaged file counts
        with self._counts:
            self.hits += sum(1 for key in keys if key in found)
            self.misses += sum(1 for key in keys if key not in found)
        return found

    def put_many(self, rows: Iterable[tuple[str, str, str, str, str, str]]) -> None:
        """Rows are (key, model, source_language, target_language, source, translation)."""
        now = time.time()
        values = [(*row, now) for row in rows]
        try:
            with self._db.transaction() as connection:
                connection.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?, ?)", values)
        except StoreUnavailable:
            pass  # a cache that could not keep them: the next run translates them again

    def get_document(self, key: str) -> str | None:
        """A whole translated article (JSON) by its key: a repeated article skips segmentation and detection too."""
        try:
            rows = self._db.execute(f"SELECT document FROM {DOCUMENT_TABLE} WHERE key = ?", (key,))
        except StoreUnavailable:
            return None
        return str(rows[0][0]) if rows else None

    def put_document(self, key: str, document: str) -> None:
        with suppress(StoreUnavailable):
            self._db.change(f"INSERT OR REPLACE INTO {DOCUMENT_TABLE} VALUES (?, ?, ?)", (key, document, time.time()))

    def problem(self) -> str | None:
        """Why the cache is out of use (None while it works); damage found here is repaired here."""
        return self._db.problem()

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM translations")[0][0])

    def close(self) -> None:
        self._db.close()
