"""The translation caches: one interface, and the default implementation in SQLite.

Keyed by model name + version + decoding options + language pair + source
sentence, so a repeated sentence (in one article, or across an archive) is
translated once. The SQLite cache lives in the data directory (WAL mode and a
busy timeout let several threads and processes share one file); with
``TRANSLATOR_CACHE_URL`` the same entries live in Redis instead
(translator/storage/redis_cache.py), shared by workers on many machines.
Neither ever stops a translation: a cache that cannot answer is a miss.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from pathlib import Path

from translator.config import Settings
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


# (key, model, source_language, target_language, source, translation)
CacheRow = tuple[str, str, str, str, str, str]


class TranslationCache(ABC):
    """What the pipeline needs from a cache, wherever it lives; counts what metrics report.

    ``hits``/``misses`` count sentences looked up; ``errors`` counts operations the
    cache could not serve (damaged file, unreachable server): each was a miss or a
    lost write, never a failed translation.
    """

    def __init__(self) -> None:
        self._counts = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.errors = 0

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the entries live, for provenance and logs (no password)."""

    @abstractmethod
    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        """The cached translations of those keys that have one."""

    @abstractmethod
    def put_many(self, rows: Iterable[CacheRow]) -> None:
        """Keep new translations (best effort)."""

    @abstractmethod
    def get_document(self, key: str) -> str | None:
        """A whole translated article (JSON) by its key: a repeated article skips segmentation and detection too."""

    @abstractmethod
    def put_document(self, key: str, document: str) -> None:
        """Keep a whole translated article (best effort)."""

    @abstractmethod
    def problem(self) -> str | None:
        """Why the cache is out of use (None while it works)."""

    @abstractmethod
    def close(self) -> None:
        """Release files or connections."""

    def _count(self, keys: Sequence[str], found: dict[str, str]) -> None:
        with self._counts:
            hits = sum(1 for key in keys if key in found)
            self.hits += hits
            self.misses += len(keys) - hits

    def _count_error(self) -> None:
        with self._counts:
            self.errors += 1


def open_cache(settings: Settings) -> TranslationCache | None:
    """The cache these settings ask for: none, Redis (``TRANSLATOR_CACHE_URL``) or SQLite in the data directory."""
    if not settings.cache:
        return None
    if settings.cache_url:
        from translator.storage.redis_cache import RedisCache  # redis-py is imported only when configured

        return RedisCache(settings.cache_url)
    return SentenceCache(settings.cache_path)


class SentenceCache(TranslationCache):
    """A thread-safe sentence cache in SQLite that never stops translation.

    A damaged file is moved aside and a fresh one started (``Database``'s cache
    policy); the lookup that found the damage counts as a miss, so the sentences
    are translated again. A file deleted or replaced under the process is reopened.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._db = Database(path, MIGRATIONS, label=f"sentence cache ({path.name})", recreate=True)

    @property
    def location(self) -> str:
        return str(self.path)

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
            self._count_error()
        self._count(keys, found)
        return found

    def put_many(self, rows: Iterable[CacheRow]) -> None:
        now = time.time()
        values = [(*row, now) for row in rows]
        try:
            with self._db.transaction() as connection:
                connection.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?, ?)", values)
        except StoreUnavailable:
            self._count_error()  # a cache that could not keep them: the next run translates them again

    def get_document(self, key: str) -> str | None:
        try:
            rows = self._db.execute(f"SELECT document FROM {DOCUMENT_TABLE} WHERE key = ?", (key,))
        except StoreUnavailable:
            self._count_error()
            return None
        return str(rows[0][0]) if rows else None

    def put_document(self, key: str, document: str) -> None:
        try:
            self._db.change(f"INSERT OR REPLACE INTO {DOCUMENT_TABLE} VALUES (?, ?, ?)", (key, document, time.time()))
        except StoreUnavailable:
            self._count_error()

    def problem(self) -> str | None:
        """Why the cache is out of use (None while it works); damage found here is repaired here."""
        return self._db.problem()

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM translations")[0][0])

    def close(self) -> None:
        self._db.close()
