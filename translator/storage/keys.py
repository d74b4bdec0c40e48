"""API keys: a small SQLite store in the data directory (the ``keys`` command manages it).

Only a SHA-256 hash of each key is stored (keys are long random tokens, so a
plain hash cannot be guessed back); the key itself is printed once, when it is
created. A key may carry its own rate limit, which replaces
``TRANSLATOR_RATE_LIMIT`` for requests made with it. With keys required, each
key sees only the documents created with it; an admin key sees all of them.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from translator.config import Settings, check_rate_limit
from translator.errors import InputError
from translator.storage.sqlite import Database, Migration, add_column

SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    name TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    rate_limit TEXT,
    created REAL NOT NULL,
    admin INTEGER NOT NULL DEFAULT 0
)
"""
MIGRATIONS: tuple[Migration, ...] = (SCHEMA, add_column("api_keys", "admin", "INTEGER NOT NULL DEFAULT 0"))
COLUMNS = "name, created, rate_limit, admin"
RECOVER_HINT = "Stop the server and run: python -m translator store recover (it keeps the damaged file)."


@dataclass(frozen=True)
class ApiKey:
    name: str
    created: float
    rate_limit: str | None = None
    admin: bool = False

    @classmethod
    def from_row(cls, row: tuple[str, float, str | None, int]) -> ApiKey:
        name, created, rate_limit, admin = row
        return cls(name, created, rate_limit, bool(admin))


def key_store_path(settings: Settings) -> Path:
    return settings.data_dir / "keys.sqlite3"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class KeyStore:
    """Thread-safe key lookups for the server; the CLI writes to the same file from another process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = Database(path, MIGRATIONS, label=f"key store ({path.name})", remedy=RECOVER_HINT)

    def add(self, name: str, rate_limit: str | None = None, admin: bool = False) -> str:
        """Create a key called ``name``; returns the key, which is not stored and cannot be shown again."""
        name = name.strip()
        if not name or len(name) > 100:
            raise InputError("A key name must be 1 to 100 characters long.")
        limit = check_rate_limit(rate_limit) if rate_limit else None
        key = secrets.token_urlsafe(32)
        try:
            self._db.change(
                "INSERT INTO api_keys (name, key_hash, rate_limit, created, admin) VALUES (?, ?, ?, ?, ?)",
                (name, hash_key(key), limit, time.time(), int(admin)),
            )
        except sqlite3.IntegrityError:
            raise InputError(f"A key named {name!r} already exists; remove it first or choose another name.") from None
        return key

    def lookup(self, key: str) -> ApiKey | None:
        return self.lookup_hash(hash_key(key))

    def lookup_hash(self, key_hash: str) -> ApiKey | None:
        """The key whose hash this is (a browser session keeps the hash, never the key)."""
        rows = self._db.execute(f"SELECT {COLUMNS} FROM api_keys WHERE key_hash = ?", (key_hash,))
        return ApiKey.from_row(tuple(rows[0])) if rows else None

    def has_keys(self) -> bool:
        return bool(self._db.execute("SELECT 1 FROM api_keys LIMIT 1"))

    def all(self) -> list[ApiKey]:
        rows = self._db.execute(f"SELECT {COLUMNS} FROM api_keys ORDER BY name")
        return [ApiKey.from_row(tuple(row)) for row in rows]

    def remove(self, name: str) -> bool:
        return self._db.change("DELETE FROM api_keys WHERE name = ?", (name,)) > 0

    def problem(self) -> str | None:
        """Why keys cannot be checked (None while they can): the keyed API answers 503 meanwhile."""
        return self._db.problem()

    def close(self) -> None:
        self._db.close()
