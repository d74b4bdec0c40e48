"""The document library: every translated article, its job state and its result, in SQLite.

Rows are written as a job advances (status, progress), so a restarted process
can list unfinished jobs and run them again; finished sentences are in the
sentence cache, so a resumed job does not translate them twice.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from translator.config import Settings
from translator.document import Document
from translator.errors import ConflictError
from translator.files import translated_name
from translator.status import ACTIVE, JobStatus
from translator.storage.sqlite import Database, Migration, add_column

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
    owner TEXT,
    metadata TEXT
)
"""
# A document file's bytes (.docx, .po...), apart from the documents table so listings never read them.
ORIGINALS_SCHEMA = """
CREATE TABLE IF NOT EXISTS originals (
    id TEXT PRIMARY KEY,
    data BLOB NOT NULL
)
"""
# Version 1 is today's table (files from before versioning have it, perhaps without later columns);
# each later step adds what a release added.
MIGRATIONS: tuple[Migration, ...] = (
    SCHEMA,
    add_column("documents", "partial", "TEXT"),
    add_column("documents", "owner", "TEXT"),  # the API key's name that created it (NULL: no key)
    add_column("documents", "metadata", "TEXT"),  # JSON: a web article's source URL, site, author...
    add_column("documents", "glossary", "TEXT"),  # the glossary's name the request asked for (NULL: none)
    add_column("documents", "file_name", "TEXT"),  # the uploaded document file's name (NULL: an article)
    ORIGINALS_SCHEMA,
)
RECOVER_HINT = (
    "Translation still works. To get the document library back, stop the server and run: "
    "python -m translator store recover (it keeps the damaged file and salvages what it can)."
)
LISTING_COLUMNS = (
    "id, title, '' AS text, input_format, requested_source, source_language, target_language, word_count, status,"
    " done, total, error, NULL AS result, created, updated, started, NULL AS partial, owner, metadata,"
    " glossary, file_name"
)
# An article's library title becomes its own (the first heading) once read; a document file keeps its name
# (or the title the request gave): "brief.docx" says more in a library than a letter's first line.
KEPT_TITLE = "CASE WHEN file_name IS NULL THEN ? ELSE title END"
ANY_OWNER = None  # the ``owner`` argument that does not filter (keys off, or an admin key)
Changed = TypeVar("Changed")


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
    owner: str | None = None
    metadata: str | None = None  # JSON: the page's metadata (source URL, site, author...), for web articles
    glossary: str | None = None  # the glossary's name, looked up when the job runs (or is sent to a worker)
    file_name: str | None = None  # the document file it was read from (its bytes: ``DocumentStore.original``)

    @property
    def translated_file_name(self) -> str | None:
        """``brief.en.docx`` for a document read from ``brief.docx``; None for an article."""
        return translated_name(self.file_name, self.target_language) if self.file_name else None

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
        if self.status == JobStatus.DONE:
            return 100.0
        return round(100.0 * self.done / self.total, 1) if self.total else 0.0

    @property
    def eta_seconds(self) -> float | None:
        if self.status != JobStatus.RUNNING or not self.started or not self.done or not self.total:
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


def document_store_path(settings: Settings) -> Path:
    return settings.data_dir / "documents.sqlite3"


class DocumentStore:
    """Thread-safe access to the documents table.

    A damaged file, or one deleted or replaced under the server, puts the store
    out of use: every method raises ``StoreUnavailable`` (the web answers 503)
    rather than lose writes; translation without the library keeps working.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = Database(path, MIGRATIONS, label=f"document store ({path.name})", remedy=RECOVER_HINT, rows=True)

    def _execute(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        return self._db.execute(sql, args)

    def problem(self) -> str | None:
        """Why the document features are off (None while they work)."""
        return self._db.problem()

    def create(
        self,
        text: str,
        source: str,
        target: str,
        input_format: str = "text",
        title: str = "",
        owner: str | None = None,
        metadata: dict[str, str] | None = None,
        glossary: str | None = None,
        original: tuple[str, bytes] | None = None,
    ) -> str:
        """A queued document; ``original`` is the (name, bytes) of the document file its text was read from."""
        doc_id = uuid.uuid4().hex[:16]
        now = time.time()
        meta = json.dumps(metadata, ensure_ascii=False) if metadata else None
        file_name = original[0] if original else None
        with self._db.transaction() as connection:
            connection.execute(
                "INSERT INTO documents (id, title, text, input_format, requested_source, target_language, word_count,"
                " status, created, updated, owner, metadata, glossary, file_name)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc_id,
                    title,
                    text,
                    input_format,
                    source,
                    target,
                    len(text.split()),
                    JobStatus.QUEUED,
                    now,
                    now,
                    owner,
                    meta,
                    glossary,
                    file_name,
                ),
            )
            if original is not None:
                connection.execute("INSERT INTO originals (id, data) VALUES (?, ?)", (doc_id, original[1]))
        return doc_id

    def get(self, doc_id: str, owner: str | None = ANY_OWNER) -> StoredDocument | None:
        """The document, if it exists and (unless ``owner`` is ANY_OWNER) belongs to ``owner``."""
        rows = self._execute(
            "SELECT * FROM documents WHERE id = ? AND (? IS NULL OR owner = ?)", (doc_id, owner, owner)
        )
        return StoredDocument(**dict(rows[0])) if rows else None

    def recent(
        self, limit: int = 500, with_content: bool = True, owner: str | None = ANY_OWNER
    ) -> list[StoredDocument]:
        """Newest first, only ``owner``'s unless ANY_OWNER; ``with_content=False`` leaves out text, result, partial."""
        columns = "*" if with_content else LISTING_COLUMNS
        rows = self._execute(
            f"SELECT {columns} FROM documents WHERE ? IS NULL OR owner = ? ORDER BY created DESC LIMIT ?",
            (owner, owner, limit),
        )
        return [StoredDocument(**dict(row)) for row in rows]

    def active_ids(self) -> list[str]:
        marks = ", ".join("?" * len(ACTIVE))
        rows = self._execute(f"SELECT id FROM documents WHERE status IN ({marks}) ORDER BY created", ACTIVE)
        return [row["id"] for row in rows]

    def original(self, doc_id: str) -> bytes | None:
        """The bytes of the document file a document was read from (None for an article)."""
        rows = self._execute("SELECT data FROM originals WHERE id = ?", (doc_id,))
        return bytes(rows[0]["data"]) if rows else None

    def delete(self, doc_id: str) -> bool:
        """The document and its original file, in one transaction."""
        with self._db.transaction() as connection:
            connection.execute("DELETE FROM originals WHERE id = ?", (doc_id,))
            return connection.execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount > 0

    def mark_running(self, doc_id: str) -> None:
        now = time.time()
        self._execute(
            "UPDATE documents SET status=?, started=?, updated=?, error=NULL WHERE id=?",
            (JobStatus.RUNNING, now, now, doc_id),
        )

    def set_progress(self, doc_id: str, done: int, total: int) -> None:
        self._execute("UPDATE documents SET done=?, total=?, updated=? WHERE id=?", (done, total, time.time(), doc_id))

    def set_partial(self, doc_id: str, document: Document, done: int, total: int) -> None:
        """Keep the half-translated document so a reader can show finished blocks while the job runs."""
        partial = json.dumps({"done": done, "document": document.to_dict()}, ensure_ascii=False)
        self._execute(
            f"UPDATE documents SET partial=?, title={KEPT_TITLE}, source_language=?, done=?, total=?, updated=?"
            " WHERE id=?",
            (partial, document.title[:300], document.source_language, done, total, time.time(), doc_id),
        )

    def finish(self, doc_id: str, document: Document) -> None:
        total = len(document.sentences)
        self._execute(
            f"UPDATE documents SET status=?, result=?, title={KEPT_TITLE}, source_language=?, done=?, total=?,"
            " updated=?,"
            " error=NULL, partial=NULL WHERE id=?",
            (
                JobStatus.DONE,
                json.dumps(document.to_dict(), ensure_ascii=False),
                document.title[:300],
                document.source_language,
                total,
                total,
                time.time(),
                doc_id,
            ),
        )

    def edit(
        self, doc_id: str, change: Callable[[Document], Changed], owner: str | None = ANY_OWNER
    ) -> tuple[Document, Changed] | None:
        """Change a finished document's translation in one transaction (concurrent edits never lose each other).

        None when there is no such document (for ``owner``); ``ConflictError`` while it is being translated.
        """
        with self._db.transaction() as connection:
            row = connection.execute(
                "SELECT status, result FROM documents WHERE id = ? AND (? IS NULL OR owner = ?)", (doc_id, owner, owner)
            ).fetchone()
            if row is None:
                return None
            status, result = row[0], row[1]
            if status != JobStatus.DONE or not result:
                raise ConflictError(
                    "This document is still being translated (or has no finished translation): "
                    "edit it when the translation is done."
                )
            document = Document.from_dict(json.loads(result))
            changed = change(document)
            connection.execute(
                "UPDATE documents SET result = ?, updated = ? WHERE id = ?",
                (json.dumps(document.to_dict(), ensure_ascii=False), time.time(), doc_id),
            )
        return document, changed

    def set_status(self, doc_id: str, status: JobStatus, error: str | None = None) -> None:
        self._execute(
            "UPDATE documents SET status=?, error=?, updated=? WHERE id=?",
            (JobStatus(status), error, time.time(), doc_id),
        )

    def requeue(self, doc_id: str) -> None:
        self._execute(
            "UPDATE documents SET status=?, done=0, result=NULL, partial=NULL, error=NULL, updated=? WHERE id=?",
            (JobStatus.QUEUED, time.time(), doc_id),
        )

    def close(self) -> None:
        self._db.close()
