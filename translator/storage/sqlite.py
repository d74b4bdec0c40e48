"""One way to use the project's SQLite files: the sentence cache, the document store and the key store.

A ``Database`` is one file shared by the threads of a process (one connection
behind a lock; SQLite serialises writers anyway) and by other processes (WAL,
a 30 s busy timeout). Its schema grows by numbered migrations recorded in
``PRAGMA user_version``. Before each use it checks that the path still names
the file it opened: a store deleted or replaced under a running server must
not swallow writes into an unlinked file.

Storage faults (a damaged file, a file deleted or replaced under the process)
are handled by policy. A cache (``recreate=True``) moves a damaged file aside
as ``<name>.corrupt-<timestamp>``, logs where it went and starts afresh. A
store that holds data (``recreate=False``) stops answering: every use raises
``StoreUnavailable`` with a message naming the file and what to do, until the
process restarts, so nothing is lost quietly.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, NoReturn

from translator.errors import StoreUnavailable

log = logging.getLogger(__name__)

# A migration is one SQL statement or a function of the connection. Version N of a file has run the first N.
# Files made before versioning are at version 0 with tables present: each step must tolerate that.
Migration = str | Callable[[sqlite3.Connection], None]
CORRUPTION_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
SIDE_FILES = ("-wal", "-shm")  # SQLite's companions of a WAL-mode file, named after it


def connect(path: Path) -> sqlite3.Connection:
    """Autocommit connection in WAL mode with a 30 s busy timeout; callers serialise use with their own lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, check_same_thread=False, timeout=30, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
    except BaseException:
        connection.close()
        raise
    return connection


def is_corruption(error: sqlite3.Error) -> bool:
    """'file is not a database' or 'database disk image is malformed' (not: locked, full, read-only)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in CORRUPTION_CODES
    return "malformed" in str(error) or "not a database" in str(error)


def migrate(connection: sqlite3.Connection, migrations: Sequence[Migration]) -> None:
    """Run the steps past the file's ``user_version`` in one transaction (a second process waits, then skips)."""
    if connection.execute("PRAGMA user_version").fetchone()[0] >= len(migrations):
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        for step in migrations[version:]:
            if callable(step):
                step(connection)
            else:
                connection.execute(step)
        connection.execute(f"PRAGMA user_version = {max(version, len(migrations))}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def add_column(table: str, column: str, declaration: str) -> Callable[[sqlite3.Connection], None]:
    """A migration adding a column unless it is there (files from before versioning may have it)."""

    def step(connection: sqlite3.Connection) -> None:
        columns = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
        if column not in columns:
            connection.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")

    return step


def file_identity(path: Path | str) -> tuple[int, int] | None:
    """(device, inode) of the file now at ``path``; None when nothing is there."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino


def move_aside(path: Path) -> Path:
    """Rename a damaged file (and its -wal/-shm) to ``<name>.corrupt-<UTC timestamp>``; returns the new path."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
    os.replace(path, target)
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    return target


class Database:
    """One SQLite file: a locked connection, migrations, transactions, and a policy for storage faults.

    ``label`` names the file for people ("document store (documents.sqlite3)");
    ``remedy`` says what to do when it is damaged; ``recreate`` chooses the cache
    policy (move aside, start afresh) over the data policy (stop, say so).
    """

    def __init__(
        self,
        path: Path,
        migrations: Sequence[Migration],
        *,
        label: str,
        remedy: str = "",
        recreate: bool = False,
        rows: bool = False,
    ) -> None:
        self.path = path
        self._file = os.fspath(path)  # stat()ed before every use: skip pathlib's conversion each time
        self.label = label
        self.remedy = remedy
        self.recreate = recreate
        self.fault: str | None = None  # why this file is out of use (data policy), until the process restarts
        self._migrations = tuple(migrations)
        self._rows = rows
        self._lock = threading.RLock()
        self._connection: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        with suppress(StoreUnavailable), self.use():
            pass  # open now: a damaged file is reported (or replaced) at start, not at the first request

    @contextmanager
    def use(self) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock; a damaged or vanished file becomes ``StoreUnavailable``."""
        with self._lock:
            connection = self._ready()
            try:
                yield connection
            except sqlite3.DatabaseError as error:
                if not is_corruption(error):
                    raise
                raise self._damaged(error, self._identity) from error

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK when the block raises."""
        with self.use() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                if connection.in_transaction:
                    with suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def execute(self, sql: str, args: Sequence[object] = ()) -> list[Any]:
        """Run one statement and fetch every row."""
        with self.use() as connection:
            return connection.execute(sql, args).fetchall()

    def change(self, sql: str, args: Sequence[object] = ()) -> int:
        """Run one writing statement; the number of rows it changed."""
        with self.use() as connection:
            return connection.execute(sql, args).rowcount

    def problem(self) -> str | None:
        """Why the file cannot be used now (None when it can): a cheap probe for readiness checks."""
        with suppress(StoreUnavailable), self.use() as connection:
            connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return self.fault  # a cache that started afresh has none

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _ready(self) -> sqlite3.Connection:
        if self.fault is not None:
            raise StoreUnavailable(self.fault)
        if self._connection is not None and file_identity(self._file) != self._identity:
            self._file_changed()
        if self._connection is None:
            try:
                self._connection = self._open()
            except sqlite3.DatabaseError as error:
                if not is_corruption(error):
                    raise
                raise self._damaged(error, file_identity(self._file)) from error
        return self._connection

    def _open(self) -> sqlite3.Connection:
        connection = connect(self.path)
        try:
            if self._rows:
                connection.row_factory = sqlite3.Row
            migrate(connection, self._migrations)
        except BaseException:
            connection.close()
            raise
        self._identity = file_identity(self.path)
        return connection

    def _file_changed(self) -> None:
        gone = not self.path.exists()
        what = "deleted" if gone else "replaced by another file"
        self.close()
        if self.recreate:
            log.warning("The %s at %s was %s under this process; opening it afresh.", self.label, self.path, what)
            return
        self._stop(
            f"The {self.label} was {what} while the server was running. Nothing more is written to it, "
            f"so no change goes into a file that is gone. Restart the server to open the file now in its place "
            f"(put the old one back first if removing it was a mistake).",
            f"The {self.label} at {self.path} was {what} while the server was running",
        )

    def _damaged(self, error: sqlite3.DatabaseError, damaged: tuple[int, int] | None) -> StoreUnavailable:
        """Apply the policy to the damaged file ``damaged`` (its identity); the exception for the use that found it."""
        self.close()
        if self.recreate:
            if file_identity(self._file) != damaged:  # another process moved it aside already
                log.warning("The %s at %s is damaged (%s); it was already replaced.", self.label, self.path, error)
                return StoreUnavailable(f"The {self.label} was damaged and has been started afresh.")
            try:
                moved = move_aside(self.path)
            except OSError as move_error:
                self._stop(
                    f"The {self.label} is damaged ({error}) and could not be moved aside ({move_error.strerror}).",
                    f"The {self.label} at {self.path} is damaged ({error}) and could not be moved aside",
                )
            log.error("The %s at %s is damaged (%s): moved it to %s and started a fresh one.",
                      self.label, self.path, error, moved)  # fmt: skip
            return StoreUnavailable(f"The {self.label} was damaged and has been started afresh.")
        self._stop(f"The {self.label} is damaged ({error}). {self.remedy}".strip(),
                   f"The {self.label} at {self.path} is damaged ({error})")  # fmt: skip

    def _stop(self, message: str, logged: str) -> NoReturn:
        """Out of use until restart: every later use raises ``message`` (no server path); the log has the path."""
        self.close()
        self.fault = message
        log.error("%s. %s", logged, self.remedy)
        raise StoreUnavailable(message)
