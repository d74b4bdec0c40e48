"""The translation memory: approved human translations, and suggestions waiting for approval, in SQLite.

Keyed by language pair and normalized source sentence (Unicode NFC, runs of
whitespace as one space), never by model: a human translation outlives every
model. The engine chain (``translator.engine.MemoryEngine``) consults it before
the sentence cache and the model, so every way in (reader, APIs, batch) uses it.

It holds people's work, so it follows the data policy of ``Database``: a damaged
file stops the memory (translation goes on without it) rather than being replaced.
Every write is one transaction and bumps a revision number, which the document
cache key includes: an article translated before an edit is translated again after it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from translator.storage.sqlite import Database, Migration

MEMORY_SCHEMA = """
CREATE TABLE IF NOT EXISTS memory (
    source_language TEXT NOT NULL,
    target_language TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    origin TEXT NOT NULL, -- how it came in (edit, tmx, suggestion): informative, every entry is approved
    changed REAL NOT NULL,
    PRIMARY KEY (source_language, target_language, source)
) WITHOUT ROWID
"""
SUGGESTION_SCHEMA = """
CREATE TABLE IF NOT EXISTS suggestions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_language TEXT NOT NULL,
    target_language TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    submitter TEXT,
    created REAL NOT NULL
)
"""


def _revision_table(connection: sqlite3.Connection) -> None:
    connection.execute("CREATE TABLE IF NOT EXISTS revision (id INTEGER PRIMARY KEY CHECK (id = 1), number INTEGER)")
    connection.execute("INSERT OR IGNORE INTO revision VALUES (1, 0)")


MIGRATIONS: tuple[Migration, ...] = (MEMORY_SCHEMA, SUGGESTION_SCHEMA, _revision_table)
REMEDY = (
    "Translation still works, without the memory. Stop the server, keep a copy of the file, "
    "and restore the memory from a TMX export or a backup."
)
CHUNK = 500  # host parameters per IN (...) query, well under SQLite's limit


def normalize_source(text: str) -> str:
    """The memory's key for a sentence: NFC, whitespace runs as one space, no outer space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass(frozen=True)
class Entry:
    source_language: str
    target_language: str
    source: str
    translation: str
    origin: str
    changed: float


@dataclass(frozen=True)
class Suggestion:
    id: int
    source_language: str
    target_language: str
    source: str
    translation: str
    submitter: str | None
    created: float


class ApprovedTranslations(Protocol):
    """What the engine chain asks a memory (``MemoryEngine``): the file, or a snapshot a job carries."""

    def lookup(self, source_language: str, target_language: str, sources: Sequence[str]) -> dict[str, str]: ...
    def revision(self) -> int | str: ...


@dataclass(frozen=True)
class MemorySnapshot:
    """The approved translations of one article's sentences, taken from the submitter's memory for a job.

    A worker on another machine answers from it instead of its own memory (it has none of the submitter's
    corrections), so every worker translates the article as the submitter's memory says, and nothing else.
    """

    source_language: str = ""
    target_language: str = ""
    entries: dict[str, str] = field(default_factory=dict)  # normalized source -> approved translation

    def lookup(self, source_language: str, target_language: str, sources: Sequence[str]) -> dict[str, str]:
        if (source_language, target_language) != (self.source_language, self.target_language):
            return {}
        return {source: self.entries[source] for source in sources if source in self.entries}

    def revision(self) -> str:
        """Changes with any entry (the document cache key's part for the memory)."""
        return hashlib.sha256(json.dumps(self.key_part(), ensure_ascii=False).encode("utf-8")).hexdigest()

    def key_part(self) -> list[Any]:
        """What identifies the snapshot (entries sorted: the order they were found in does not matter)."""
        return [self.source_language, self.target_language, sorted(self.entries.items())]

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source_language, "target": self.target_language, "entries": dict(self.entries)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> MemorySnapshot:
        """A snapshot from its JSON form; nothing (an older submitter's request) is an empty one."""
        if not data:
            return cls()
        entries = {str(source): str(text) for source, text in (data.get("entries") or {}).items()}
        return cls(str(data.get("source") or ""), str(data.get("target") or ""), entries)


def memory_path(data_dir: Path) -> Path:
    return data_dir / "memory.sqlite3"


class TranslationMemory:
    """Thread- and process-safe access to the memory file (one writer at a time, last write wins)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = Database(path, MIGRATIONS, label=f"translation memory ({path.name})", remedy=REMEDY)

    def lookup(self, source_language: str, target_language: str, sources: Sequence[str]) -> dict[str, str]:
        """Approved translations of the given normalized sentences (those that have one)."""
        unique = list(dict.fromkeys(sources))
        found: dict[str, str] = {}
        with self._db.use() as connection:
            for offset in range(0, len(unique), CHUNK):
                chunk = unique[offset : offset + CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = connection.execute(
                    "SELECT source, translation FROM memory WHERE source_language = ? AND target_language = ?"
                    f" AND source IN ({marks})",
                    (source_language, target_language, *chunk),
                ).fetchall()
                found.update(rows)
        return found

    def put(self, source_language: str, target_language: str, source: str, translation: str, origin: str) -> None:
        """Approve one translation (replacing the pair's earlier one for that sentence)."""
        self.put_many([(source_language, target_language, source, translation)], origin)

    def put_many(self, rows: Iterable[tuple[str, str, str, str]], origin: str) -> int:
        """Approve many (source language, target language, source, translation) rows in one transaction.

        All or nothing: an error, or the process killed, half-way leaves the memory as it was.
        """
        now = time.time()
        values = (
            (source_language, target_language, normalize_source(source), translation.strip(), origin, now)
            for source_language, target_language, source, translation in rows
        )
        with self._db.transaction() as connection:
            cursor = connection.executemany("INSERT OR REPLACE INTO memory VALUES (?, ?, ?, ?, ?, ?)", values)
            count = cursor.rowcount
            connection.execute("UPDATE revision SET number = number + 1")
        return count

    def delete(self, source_language: str, target_language: str, source: str) -> bool:
        with self._db.transaction() as connection:
            removed = connection.execute(
                "DELETE FROM memory WHERE source_language = ? AND target_language = ? AND source = ?",
                (source_language, target_language, normalize_source(source)),
            ).rowcount
            connection.execute("UPDATE revision SET number = number + 1")
        return removed > 0

    def entries(self, source_language: str | None = None, target_language: str | None = None) -> Iterator[Entry]:
        """Every entry (of one pair, or of all), in key order: exports are byte-stable."""
        rows = self._db.execute(
            "SELECT * FROM memory WHERE (? IS NULL OR source_language = ?) AND (? IS NULL OR target_language = ?)"
            " ORDER BY source_language, target_language, source",
            (source_language, source_language, target_language, target_language),
        )
        for row in rows:
            yield Entry(*row)

    def revision(self) -> int:
        """Grows with every write: part of the document cache key."""
        return int(self._db.execute("SELECT number FROM revision")[0][0])

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM memory")[0][0])

    # --- Suggestions (LibreTranslate's /suggest): kept apart until someone approves them.

    def suggest(
        self, source_language: str, target_language: str, source: str, translation: str, submitter: str | None
    ) -> int:
        with self._db.use() as connection:
            cursor = connection.execute(
                "INSERT INTO suggestions (source_language, target_language, source, translation, submitter, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (source_language, target_language, normalize_source(source), translation.strip(), submitter,
                 time.time()),
            )  # fmt: skip
            return int(cursor.lastrowid or 0)

    def suggestions(self, limit: int = 500) -> list[Suggestion]:
        rows = self._db.execute("SELECT * FROM suggestions ORDER BY id LIMIT ?", (limit,))
        return [Suggestion(*row) for row in rows]

    def approve(self, suggestion_id: int) -> Suggestion | None:
        """Move a suggestion into the memory (one transaction); None when there is no such suggestion."""
        with self._db.transaction() as connection:
            row = connection.execute("SELECT * FROM suggestions WHERE id = ?", (suggestion_id,)).fetchone()
            if row is None:
                return None
            suggestion = Suggestion(*row)
            connection.execute(
                "INSERT OR REPLACE INTO memory VALUES (?, ?, ?, ?, 'suggestion', ?)",
                (suggestion.source_language, suggestion.target_language, suggestion.source, suggestion.translation,
                 time.time()),
            )  # fmt: skip
            connection.execute("DELETE FROM suggestions WHERE id = ?", (suggestion_id,))
            connection.execute("UPDATE revision SET number = number + 1")
        return suggestion

    def reject(self, suggestion_id: int) -> bool:
        return self._db.change("DELETE FROM suggestions WHERE id = ?", (suggestion_id,)) > 0

    def problem(self) -> str | None:
        return self._db.problem()

    def close(self) -> None:
        self._db.close()
