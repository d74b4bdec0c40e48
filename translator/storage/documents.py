"""The document library: every translated article, its job state and its result, in SQLite.

Rows are written as a job advances (status, progress), so a restarted process
can list unfinished jobs and run them again; finished sentences are in the
sentence cache, so a resumed job does not translate them twice.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translator.document import Document
from translator.storage.sqlite import connect

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    input_format TEXT NOT NULL DEFAULT 'text',
    requested_source TEXT NOT NULL,
    source_language TEXT NOT NULL DEFAULT '',
    target_language TEXT NOT NULL,
    word_count INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    result TEXT,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    started REAL,
    partial TEXT,
    metadata TEXT
)
"""
MIGRATIONS = {  # columns added after the first release
    "partial": "ALTER TABLE documents ADD COLUMN partial TEXT",
    "metadata": "ALTER TABLE documents ADD COLUMN metadata TEXT",
}  # columns added after the first release
LISTING_COLUMNS = (
    "id, title, '' AS text, input_format, requested_source, source_language, target_language, word_count, status,"
    " done, total, error, NULL AS result, created, updated, started, NULL AS partial, metadata"
)
ACTIVE = ("queued", "running")
STATUSES = ("queued", "running", "done", "failed", "cancelled")


@dataclass
class StoredDocument:
    id: str
    title: str
    text: str
    input_format: str
    requested_source: str
    source_language: str
    target_language: str
    word_count: int
    status: str
    done: int
    total: int
    error: str | None
    result: str | None
    created: float
    updated: float
    started: float | None
    partial: str | None = None
    metadata: str | None = None  # JSON: the page's metadata (source URL, site, author...), for web articles

    @property
    def source_metadata(self) -> dict[str, str]:
        """Where the article came from (empty for pasted text and plain files)."""
        return json.loads(self.metadata) if self.metadata else {}

    @property
    def source_url(self) -> str:
        meta = self.source_metadata
        return meta.get("source_url") or meta.get("url") or ""

    @property
    def progress(self) -> float:
        """Percentage of sentences done (100 when finished)."""
        if self.status == "done":
            return 100.0
        return round(100.0 * self.done / self.total, 1) if self.total else 0.0

    @property
    def eta_seconds(self) -> float | None:
        if self.status != "running" or not self.started or not self.done or not self.total:
            return None
        elapsed = time.time() - self.started
        return round(elapsed / self.done * (self.total - self.done), 1)

    def document(self) -> Document | None:
        return Document.from_dict(json.loads(self.result)) if self.result else None

    def partial_document(self) -> tuple[Document, int] | None:
        """While a job runs: the document as far as it got, and how many sentences (in order) are translated."""
        if not self.partial:
            return None
        data = json.loads(self.partial)
        return Document.from_dict(data["document"]), int(data["done"])

    def summary(self) -> dict[str, Any]:
        """Everything but the text and the result: for listings and job status."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "progress": self.progress,
            "eta_seconds": self.eta_seconds,
            "done_sentences": self.done,
            "total_sentences": self.total,
            "source_language": self.source_language or self.requested_source,
            "target_language": self.target_language,
            "word_count": self.word_count,
            "source_url": self.source_url or None,
            "error": self.error,
            "created": self.created,
            "updated": self.updated,
        }


class DocumentStore:
    """Thread-safe access to the documents table (WAL, busy timeout, one lock per store)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = connect(path)
        self._db.row_factory = sqlite3.Row
        self._db.execute(SCHEMA)
        columns = {row["name"] for row in self._db.execute("PRAGMA table_info(documents)")}
        for column, sql in MIGRATIONS.items():
            if column not in columns:
                self._db.execute(sql)

    def _execute(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def create(
        self,
        text: str,
        source: str,
        target: str,
        input_format: str = "text",
        title: str = "",
        metadata: dict[str, str] | None = None,
    ) -> str:
        doc_id = uuid.uuid4().hex[:16]
        now = time.time()
        meta = json.dumps(metadata, ensure_ascii=False) if metadata else None
        self._execute(
            "INSERT INTO documents (id, title, text, input_format, requested_source, target_language, word_count,"
            " status, created, updated, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)",
            (doc_id, title, text, input_format, source, target, len(text.split()), now, now, meta),
        )
        return doc_id

    def get(self, doc_id: str) -> StoredDocument | None:
        rows = self._execute("SELECT * FROM documents WHERE id = ?", (doc_id,))
        return StoredDocument(**dict(rows[0])) if rows else None

    def recent(self, limit: int = 500, with_content: bool = True) -> list[StoredDocument]:
        """Newest first; ``with_content=False`` leaves out text, result and partial (listings stay cheap)."""
        columns = "*" if with_content else LISTING_COLUMNS
        rows = self._execute(f"SELECT {columns} FROM documents ORDER BY created DESC LIMIT ?", (limit,))
        return [StoredDocument(**dict(row)) for row in rows]

    def active_ids(self) -> list[str]:
        rows = self._execute("SELECT id FROM documents WHERE status IN ('queued', 'running') ORDER BY created")
        return [row["id"] for row in rows]

    def delete(self, doc_id: str) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount > 0

    def mark_running(self, doc_id: str) -> None:
        now = time.time()
        self._execute(
            "UPDATE documents SET status='running', started=?, updated=?, error=NULL WHERE id=?", (now, now, doc_id)
        )

    def set_progress(self, doc_id: str, done: int, total: int) -> None:
        self._execute("UPDATE documents SET done=?, total=?, updated=? WHERE id=?", (done, total, time.time(), doc_id))

    def set_partial(self, doc_id: str, document: Document, done: int, total: int) -> None:
        """Keep the half-translated document so a reader can show finished blocks while the job runs."""
        partial = json.dumps({"done": done, "document": document.to_dict()}, ensure_ascii=False)
        self._execute(
            "UPDATE documents SET partial=?, title=?, source_language=?, done=?, total=?, updated=? WHERE id=?",
            (partial, document.title[:300], document.source_language, done, total, time.time(), doc_id),
        )

    def finish(self, doc_id: str, document: Document) -> None:
        total = len(document.sentences)
        self._execute(
            "UPDATE documents SET status='done', result=?, title=?, source_language=?, done=?, total=?, updated=?,"
            " error=NULL, partial=NULL WHERE id=?",
            (
                json.dumps(document.to_dict(), ensure_ascii=False),
                document.title[:300],
                document.source_language,
                total,
                total,
                time.time(),
                doc_id,
            ),
        )

    def set_status(self, doc_id: str, status: str, error: str | None = None) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status}")
        self._execute(
            "UPDATE documents SET status=?, error=?, updated=? WHERE id=?", (status, error, time.time(), doc_id)
        )

    def requeue(self, doc_id: str) -> None:
        self._execute(
            "UPDATE documents SET status='queued', done=0, result=NULL, partial=NULL, error=NULL, updated=? WHERE id=?",
            (time.time(), doc_id),
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()
