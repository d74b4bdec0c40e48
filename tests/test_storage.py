"""The shared SQLite layer: migrations by user_version, transactions, and the stores' schemas built on it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.helpers import run_concurrently
from translator.storage import cache as cache_module
from translator.storage import documents as document_module
from translator.storage.cache import SentenceCache
from translator.storage.documents import DocumentStore
from translator.storage.keys import KeyStore
from translator.storage.sqlite import Database, Migration, add_column


def _user_version(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])


def test_migrations_run_once_in_order_and_record_the_version(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    calls: list[int] = []

    def second(connection: sqlite3.Connection) -> None:
        calls.append(2)
        connection.execute("INSERT INTO things VALUES ('made by step 2')")

    steps: list[Migration] = ["CREATE TABLE things (name TEXT)", second]
    Database(path, steps, label="test").close()
    Database(path, steps, label="test").close()
    assert calls == [2] and _user_version(path) == 2
    grown = Database(path, [*steps, add_column("things", "size", "INTEGER")], label="test")
    assert grown.execute("SELECT name, size FROM things") == [("made by step 2", None)]
    assert _user_version(path) == 3


def test_concurrent_first_opens_migrate_once(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    steps: list[Migration] = [
        "CREATE TABLE things (name TEXT)",
        add_column("things", "size", "INTEGER"),
        "INSERT INTO things VALUES ('once', 1)",
    ]

    assert run_concurrently(lambda _: Database(path, steps, label="test").close(), 6) == []
    assert Database(path, steps, label="test").execute("SELECT COUNT(*) FROM things")[0][0] == 1


def test_transaction_commits_or_rolls_back_as_a_whole(tmp_path: Path) -> None:
    database = Database(tmp_path / "x.sqlite3", ["CREATE TABLE things (name TEXT)"], label="test")
    with database.transaction() as connection:
        connection.execute("INSERT INTO things VALUES ('kept')")
    with pytest.raises(RuntimeError), database.transaction() as connection:
        connection.execute("INSERT INTO things VALUES ('dropped')")
        raise RuntimeError("half way")
    assert database.execute("SELECT name FROM things") == [("kept",)]


def test_cache_document_table_is_renamed_and_keeps_its_rows(tmp_path: Path) -> None:
    """A cache file from before versioning: its ``documents`` table (whole articles) gets its own name."""
    path = tmp_path / "cache.sqlite3"
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE documents (key TEXT PRIMARY KEY, document TEXT NOT NULL, created REAL NOT NULL)")
        old.execute("INSERT INTO documents VALUES ('k', '{\"blocks\": []}', 1.0)")
    cache = SentenceCache(path)
    assert cache.get_document("k") == '{"blocks": []}'
    cache.put_document("k2", "{}")
    with sqlite3.connect(path) as reopened:
        tables = {row[0] for row in reopened.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"translations", cache_module.DOCUMENT_TABLE} and "documents" not in tables
    assert _user_version(path) == len(cache_module.MIGRATIONS)


def test_the_three_stores_are_versioned(tmp_path: Path) -> None:
    for store in (
        SentenceCache(tmp_path / "c.sqlite3"),
        DocumentStore(tmp_path / "d.sqlite3"),
        KeyStore(tmp_path / "k.sqlite3"),
    ):
        store.close()
        assert _user_version(store.path) >= 1


def test_a_document_store_of_the_previous_version_gains_document_files(tmp_path: Path) -> None:
    """A library written before document files: its rows stay, and it can keep originals from now on."""
    path = tmp_path / "d.sqlite3"
    earlier = document_module.MIGRATIONS[:-2]  # before file_name and the originals table
    Database(path, earlier, label="test").close()
    with sqlite3.connect(path) as old:
        old.execute(
            "INSERT INTO documents (id, text, requested_source, target_language, status, created, updated)"
            " VALUES ('old', 'Ein Satz.', 'de', 'en', 'done', 1.0, 1.0)"
        )
    store = DocumentStore(path)
    old_document = store.get("old")
    assert old_document is not None and old_document.file_name is None and store.original("old") is None
    new = store.create("Ein Satz.", "de", "en", original=("brief.docx", b"PK\x03\x04 bytes"))
    stored = store.get(new)
    assert stored is not None and stored.translated_file_name == "brief.en.docx"
    assert store.original(new) == b"PK\x03\x04 bytes"
    assert _user_version(path) == len(document_module.MIGRATIONS)
    assert store.delete(new) and store.original(new) is None
