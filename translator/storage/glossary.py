"""Glossaries in SQLite (<data dir>/glossaries.sqlite3): the CLI, the web library and the APIs share the file.

An import replaces or extends a glossary in one transaction: a file with one bad
line changes nothing (the error names the line), and a process killed in the
middle leaves the glossary as it was.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from translator.config import Settings
from translator.errors import InputError
from translator.glossary.entries import Glossary, check_entry, check_name
from translator.storage.sqlite import Database, Migration

MIGRATIONS: tuple[Migration, ...] = (
    """CREATE TABLE IF NOT EXISTS glossaries (
        name TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        created REAL NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS glossary_entries (
        glossary TEXT NOT NULL REFERENCES glossaries(name) ON DELETE CASCADE,
        source_term TEXT NOT NULL,
        target_term TEXT NOT NULL,
        PRIMARY KEY (glossary, source_term)
    )""",
)
RECOVER_HINT = "Stop the server and run: python -m translator store recover (it keeps the damaged file)."


@dataclass(frozen=True)
class GlossaryInfo:
    """A glossary without its entries, for listings."""

    name: str
    source: str
    target: str
    entries: int
    do_not_translate: int


def glossary_store_path(settings: Settings) -> Path:
    return settings.data_dir / "glossaries.sqlite3"


class GlossaryStore:
    """Thread-safe glossary reads and writes; other processes (the CLI) may write to the same file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = Database(path, MIGRATIONS, label=f"glossary store ({path.name})", remedy=RECOVER_HINT)
        # Glossaries read by name, kept while nothing changed the file: a request naming a glossary costs one
        # PRAGMA, not reading every entry again. data_version moves when another process (the CLI) commits;
        # this process's own writes bump _generation.
        self._lock = threading.Lock()
        self._cache: dict[str, Glossary] = {}
        self._seen_version: int | None = None
        self._generation = 0

    def all(self) -> list[GlossaryInfo]:
        rows = self._db.execute(
            "SELECT g.name, g.source, g.target, COUNT(e.source_term), COALESCE(SUM(e.source_term = e.target_term), 0)"
            " FROM glossaries g LEFT JOIN glossary_entries e ON e.glossary = g.name GROUP BY g.name ORDER BY g.name"
        )
        return [GlossaryInfo(*row) for row in rows]

    def get(self, name: str) -> Glossary | None:
        version = self._db.execute("PRAGMA data_version")[0][0]
        with self._lock:
            if version != self._seen_version:
                self._cache.clear()
                self._seen_version = version
            found = self._cache.get(name)
            generation = self._generation
        if found is not None:
            return found
        rows = self._db.execute("SELECT source, target FROM glossaries WHERE name = ?", (name,))
        if not rows:
            return None
        entries = self._db.execute(
            "SELECT source_term, target_term FROM glossary_entries WHERE glossary = ? ORDER BY source_term", (name,)
        )
        found = Glossary(name, rows[0][0], rows[0][1], dict(entries))
        with self._lock:
            if generation == self._generation:  # no write of ours in between: safe to keep
                self._cache[name] = found
        return found

    def _changed(self) -> None:
        with self._lock:
            self._generation += 1
            self._cache.clear()

    def require(self, name: str) -> Glossary:
        """The glossary called ``name``; InputError (naming it) when there is none."""
        found = self.get(name) if isinstance(name, str) else None
        if found is None:
            raise InputError(f"No glossary named {str(name)[:80]!r}; create it with: python -m translator glossary add")
        return found

    def add(self, name: str, source_term: str, target_term: str | None, source: str, target: str) -> Glossary:
        """Add or change one entry (no target: do not translate), creating the glossary if needed."""
        return self.put(name, {source_term: target_term or source_term}, source, target)

    def put(self, name: str, entries: Mapping[str, str], source: str, target: str, replace: bool = False) -> Glossary:
        """Add (or with ``replace``, replace all) entries in one transaction; the glossary is created if missing.

        Every entry is checked before anything is written; an existing glossary must be for the same pair.
        """
        check_name(name)
        source, target = _language(source, "source"), _language(target, "target")
        checked = dict(check_entry(source_term, target_term) for source_term, target_term in entries.items())
        with self._db.transaction() as connection:
            row = connection.execute("SELECT source, target FROM glossaries WHERE name = ?", (name,)).fetchone()
            if row is None:
                connection.execute(
                    "INSERT INTO glossaries (name, source, target, created) VALUES (?, ?, ?, ?)",
                    (name, source, target, time.time()),
                )
            elif tuple(row) != (source, target):
                raise InputError(f"The glossary {name!r} is for {row[0]}→{row[1]}, not {source}→{target}.")
            if replace:
                connection.execute("DELETE FROM glossary_entries WHERE glossary = ?", (name,))
            connection.executemany(
                "INSERT OR REPLACE INTO glossary_entries (glossary, source_term, target_term) VALUES (?, ?, ?)",
                [(name, source_term, target_term) for source_term, target_term in checked.items()],
            )
        self._changed()
        return self.require(name)

    def remove_term(self, name: str, source_term: str) -> bool:
        removed = self._db.change(
            "DELETE FROM glossary_entries WHERE glossary = ? AND source_term = ?", (name, source_term.strip())
        )
        self._changed()
        return removed > 0

    def remove(self, name: str) -> bool:
        """Delete a glossary and its entries."""
        with self._db.transaction() as connection:
            connection.execute("DELETE FROM glossary_entries WHERE glossary = ?", (name,))
            removed = connection.execute("DELETE FROM glossaries WHERE name = ?", (name,)).rowcount > 0
        self._changed()
        return removed

    def problem(self) -> str | None:
        return self._db.problem()

    def close(self) -> None:
        self._db.close()


def _language(code: str, what: str) -> str:
    normalised = code.strip().lower() if isinstance(code, str) else ""
    if not (2 <= len(normalised) <= 3 and normalised.isascii() and normalised.isalpha()):
        raise InputError(f"The glossary's {what} language must be a code such as 'de' or 'en', got {code!r}.")
    return normalised
