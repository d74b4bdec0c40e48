"""Check and recover the SQLite files of an installation (what ``python -m translator store`` runs).

Recovering keeps the damaged file as it is (``<name>.corrupt-<timestamp>``),
copies every row that can still be read into a fresh file with the current
schema, and only then puts the fresh file in place (nothing half-built is ever
at the store's path). Rows are read one by one in rowid order; a damaged page
is stepped over rowid by rowid until rows read again, so one bad page costs
the rows on it, not the rest of the table. A cache is only moved
aside: its rows are cheaper to translate again than to trust.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translator.config import Settings
from translator.storage import cache, documents, keys
from translator.storage.sqlite import SIDE_FILES, Database, Migration, move_aside

DAMAGED_STRETCH = 20_000  # unreadable rowids in a row after which nothing more is expected (about 0.5 s of lookups)


@dataclass(frozen=True)
class StoreFile:
    name: str
    path: Path
    migrations: tuple[Migration, ...]
    salvage: bool  # copy readable rows into the fresh file (a cache starts empty instead)


@dataclass(frozen=True)
class Recovery:
    backup: Path  # the damaged file, kept as it was
    salvaged: dict[str, int]  # rows copied into the fresh file, by table


def store_files(settings: Settings) -> list[StoreFile]:
    """The installation's SQLite files, in the order they matter to people."""
    return [
        StoreFile("documents", documents.document_store_path(settings), documents.MIGRATIONS, salvage=True),
        StoreFile("keys", keys.key_store_path(settings), keys.MIGRATIONS, salvage=True),
        StoreFile("cache", settings.cache_path, cache.MIGRATIONS, salvage=False),
    ]


def check(path: Path) -> str | None:
    """What is wrong with the file (None when SQLite's integrity check passes, or when there is no file)."""
    if not path.exists():
        return None
    try:
        connection = sqlite3.connect(path, timeout=30)
        try:
            findings = [str(row[0]) for row in connection.execute("PRAGMA integrity_check(5)")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    if findings == ["ok"]:
        return None
    lines = [line.strip() for finding in findings for line in finding.splitlines()]
    return "; ".join(line for line in lines if line and not line.startswith("***"))  # one line, no banners


def recover(store: StoreFile) -> Recovery:
    """Move the damaged file aside and put a fresh one (with what could be read, unless a cache) in its place."""
    backup = move_aside(store.path)
    salvaged: dict[str, int] = {}
    if store.salvage:
        fresh_path = store.path.with_name(store.path.name + ".recovering")
        for leftover in (fresh_path, *(fresh_path.with_name(fresh_path.name + s) for s in SIDE_FILES)):
            leftover.unlink(missing_ok=True)
        fresh = Database(fresh_path, store.migrations, label=f"recovered {store.name} store")
        with tempfile.TemporaryDirectory(dir=store.path.parent) as scratch:
            copy = Path(scratch) / store.path.name  # reading may write (WAL replay): never touch the backup
            shutil.copyfile(backup, copy)
            wal = backup.with_name(backup.name + "-wal")
            if wal.exists():
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
            salvaged = copy_readable_rows(copy, fresh)
        fresh.close()
        os.replace(fresh_path, store.path)
    return Recovery(backup, salvaged)


def copy_readable_rows(source_path: Path, target: Database) -> dict[str, int]:
    """Every row of the target's tables that the damaged source still yields, by table."""
    counts: dict[str, int] = {}
    source = sqlite3.connect(source_path)
    try:
        with target.transaction() as connection:
            tables = [str(row[0]) for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]  # fmt: skip
            for table in tables:
                wanted = [str(row[1]) for row in connection.execute(f"PRAGMA table_info({table})")]
                try:
                    present = {str(row[1]) for row in source.execute(f"PRAGMA table_info({table})")}
                except sqlite3.DatabaseError:
                    present = set()  # the schema itself is unreadable: nothing of this table can be found
                columns = [column for column in wanted if column in present]
                insert = (
                    f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
                )
                counts[table] = 0
                for row in readable_rows(source, table, columns) if columns else ():
                    try:
                        connection.execute(insert, row)
                    except sqlite3.IntegrityError:
                        continue  # a damaged row that breaks a constraint is not worth keeping
                    counts[table] += 1
    finally:
        source.close()
    return counts


def readable_rows(source: sqlite3.Connection, table: str, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """The table's rows in rowid order, stepping over the ones SQLite cannot read.

    Where pages read, one range query per row; from a damaged stretch on, one
    lookup per rowid until a row reads again. Rowids are SQLite's own (1, 2, …),
    so the work is bounded by ``max(rowid)``; when that path is damaged too, a
    stretch of ``DAMAGED_STRETCH`` unreadable rowids in a row ends the search.
    """
    names = ", ".join(columns)
    next_row = f"SELECT rowid, {names} FROM {table} WHERE rowid >= ? ORDER BY rowid LIMIT 1"
    this_row = f"SELECT rowid, {names} FROM {table} WHERE rowid = ?"
    try:
        last = int(source.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0)
    except sqlite3.DatabaseError:
        last = 2**63 - 1
    rowid, unreadable = 1, 0
    while rowid <= last and unreadable < DAMAGED_STRETCH:
        try:
            row = source.execute(this_row if unreadable else next_row, (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            row = None
            unreadable += 1
        if row is not None:
            yield tuple(row[1:])
            rowid, unreadable = int(row[0]) + 1, 0
        elif unreadable:
            rowid += 1
        else:
            return  # no row at or after this rowid
