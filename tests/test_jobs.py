"""Background jobs over the document store: progress, results, cancel, resume after a crash."""

from __future__ import annotations

from pathlib import Path

from translator import Translator
from translator.document import Document
from translator.jobs import JobRunner
from translator.storage.documents import SCHEMA, DocumentStore


def test_job_runs_to_done_with_progress(translator: Translator, seed_text: str, tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "docs.sqlite3")
    runner = JobRunner(translator, store)
    doc_id = store.create(seed_text, "auto", "en")
    runner.submit(doc_id)
    runner.wait(doc_id, timeout=120)
    stored = store.get(doc_id)
    assert stored is not None and stored.status == "done" and stored.progress == 100.0
    document = stored.document()
    assert document is not None and len(document.blocks) == 9
    assert stored.title == "Alibaba ist auf großem Expansionskurs" and stored.source_language == "de"
    assert stored.summary()["total_sentences"] == len(document.sentences)


def test_failed_job_keeps_the_message(translator: Translator, tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "docs.sqlite3")
    runner = JobRunner(translator, store)
    doc_id = store.create("Ein deutscher Satz über das Wetter von heute.", "de", "fr")
    runner.submit(doc_id)
    runner.wait(doc_id, timeout=60)
    stored = store.get(doc_id)
    assert stored is not None and stored.status == "failed" and "translates into French" in (stored.error or "")


def test_unfinished_jobs_resume_in_a_new_runner(translator: Translator, seed_text: str, tmp_path: Path) -> None:
    path = tmp_path / "docs.sqlite3"
    store = DocumentStore(path)
    doc_id = store.create(seed_text, "auto", "en")
    store.mark_running(doc_id)  # as if the process died mid-job
    store.close()
    reopened = DocumentStore(path)
    runner = JobRunner(translator, reopened)
    assert runner.resume_pending() == [doc_id]
    runner.wait(doc_id, timeout=120)
    assert reopened.get(doc_id).status == "done"  # type: ignore[union-attr]


def test_cancel_and_delete(translator: Translator, seed_text: str, tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "docs.sqlite3")
    runner = JobRunner(translator, store)
    doc_id = store.create(seed_text, "auto", "en")
    assert runner.cancel(doc_id)
    runner.submit(doc_id)
    runner.wait(doc_id, timeout=60)
    assert store.get(doc_id).status == "cancelled"  # type: ignore[union-attr]
    assert store.delete(doc_id) and store.get(doc_id) is None and not store.delete(doc_id)


def test_running_job_stores_partial_documents(translator: Translator, seed_text: str, tmp_path: Path) -> None:
    class RecordingStore(DocumentStore):
        def set_partial(self, doc_id: str, document: Document, done: int, total: int) -> None:
            super().set_partial(doc_id, document, done, total)
            stored = self.get(doc_id)
            assert stored is not None and stored.status == "running"
            partial = stored.partial_document()
            assert partial is not None and partial[1] == done and len(partial[0].blocks) == 9
            seen.append(done)

    seen: list[int] = []
    store = RecordingStore(tmp_path / "docs.sqlite3")
    doc_id = store.create(seed_text, "auto", "en")
    runner = JobRunner(translator, store)
    runner.submit(doc_id)
    runner.wait(doc_id, timeout=120)
    stored = store.get(doc_id)
    assert seen and seen[0] == 0  # the segmented article is stored before any sentence is translated
    assert stored is not None and stored.status == "done" and stored.partial is None  # finish drops the partial
    DocumentStore.set_partial(store, doc_id, stored.document(), 3, 25)  # type: ignore[arg-type]
    store.requeue(doc_id)
    assert store.get(doc_id).partial is None  # type: ignore[union-attr]


def test_store_adds_the_partial_column_to_an_old_database(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite3"
    old_schema = SCHEMA.replace(",\n    partial TEXT", "")
    assert "partial" not in old_schema
    with sqlite3.connect(path) as db:
        db.execute(old_schema)
    store = DocumentStore(path)
    doc_id = store.create("Ein Satz.", "auto", "en")
    assert store.get(doc_id).partial is None  # type: ignore[union-attr]
    assert [d.id for d in store.recent(with_content=False)] == [doc_id]
    assert store.recent(with_content=False)[0].text == ""
