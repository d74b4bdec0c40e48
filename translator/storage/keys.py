"""API keys: a small SQLite store in the data directory (the ``keys`` command manages it).

Only a SHA-256 hash of each key is stored (keys are long random tokens, so a
plain hash cannot be guessed back); the key itself is printed once, when it is
created. A key may carry its own rate limit, which replaces
``TRANSLATOR_RATE_LIMIT`` for requests made with it.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from translator.config import Settings, check_rate_limit
from translator.errors import InputError
from translator.storage.sqlite import connect

SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    name TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    rate_limit TEXT,
    created REAL NOT NULL
)
"""


@dataclass(frozen=True)
class ApiKey:
    name: str
    created: float
    rate_limit: str | None = None


def key_store_path(settings: Settings) -> Path:
    return settings.data_dir / "keys.sqlite3"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class KeyStore:
    """Thread-safe key lookups for the server; the CLI writes to the same file from another process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = connect(path)
        self._db.execute(SCHEMA)

    def add(self, name: str, rate_limit: str | None = None) -> str:
        """Create a key called ``name``; returns the key, which is not stored and cannot be shown again."""
        name = name.strip()
        if not name or len(name) > 100:
            raise InputError("A key name must be 1 to 100 characters long.")
        limit = check_rate_limit(rate_limit) if rate_limit else None
        key = secrets.token_urlsafe(32)
        try:
            with self._lock:
                self._db.execute(
                    "INSERT INTO api_keys (name, key_hash, rate_limit, created) VALUES (?, ?, ?, ?)",
                    (name, hash_key(key), limit, time.time()),
                )
        except sqlite3.IntegrityError:
            raise InputError(f"A key named {name!r} already exists; remove it first or choose another name.") from None
        return key

    def lookup(self, key: str) -> ApiKey | None:
        with self._lock:
            row = self._db.execute(
                "SELECT name, created, rate_limit FROM api_keys WHERE key_hash = ?", (hash_key(key),)
            ).fetchone()
        return ApiKey(*row) if row else None

    def has_keys(self) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM api_keys LIMIT 1").fetchone() is not None

    def all(self) -> list[ApiKey]:
        with self._lock:
            rows = self._db.execute("SELECT name, created, rate_limit FROM api_keys ORDER BY name").fetchall()
        return [ApiKey(*row) for row in rows]

    def remove(self, name: str) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM api_keys WHERE name = ?", (name,)).rowcount > 0

    def close(self) -> None:
        with self._lock:
            self._db.close()
