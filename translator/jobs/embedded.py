"""Jobs in this process: a worker pool over the document store, and the embedded job backend.

A job is a stored document in status queued → running → done/failed/cancelled.
Progress is written to the store as sentence slices finish, so a page or an
API client can poll it; so is the half-translated document (at most every
PARTIAL_INTERVAL seconds), so a reader can show finished blocks early. On
start, jobs left queued or running by a previous process (crash, SIGKILL) are
resumed; the sentence cache makes the finished part free.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

from translator.document import Document
from translator.errors import StoreUnavailable, TranslatorError
from translator.jobs.base import DONE, FAILED, RUNNING, ArticleRequest, JobBackend, TaskState
from translator.pipeline import Translator
from translator.status import JobStatus, is_active
from translator.storage.documents import DocumentStore

log = logging.getLogger(__name__)
PROGRESS_SLICE = 16  # sentences per engine call in a job: progress granularity vs. batching
PARTIAL_INTERVAL = 0.5  # seconds between stored partial documents (each is a full JSON dump)


class JobCancelled(Exception):
    """Raised inside a job's progress callback to stop it."""


class JobInterrupted(Exception):
    """Raised inside a job when the process is shutting down: the job goes back to the queue."""


class JobRunner:
    def __init__(self, translator: Translator, store: DocumentStore, workers: int = 1) -> None:
        self.translator = translator
        self.store = store
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="translate-job")
        self._cancelled: set[str] = set()
        self._futures: dict[str, Future[None]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def submit(self, doc_id: str) -> None:
        with self._lock:
            self._cancelled.discard(doc_id)
            self._futures[doc_id] = self._pool.submit(self._run, doc_id)

    def resume_pending(self) -> list[str]:
        """Queue again every job a previous process left unfinished."""
        pending = self.store.active_ids()
        for doc_id in pending:
            self.submit(doc_id)
        return pending

    def cancel(self, doc_id: str) -> bool:
        stored = self.store.get(doc_id)
        if stored is None or not is_active(stored.status):
            return False
        with self._lock:
            self._cancelled.add(doc_id)
        self.store.set_status(doc_id, JobStatus.CANCELLED, "Cancelled by the user.")
        return True

    def wait(self, doc_id: str, timeout: float | None = None) -> None:
        future = self._futures.get(doc_id)
        if future is not None:
            future.result(timeout)

    def _run(self, doc_id: str) -> None:
        try:
            self._run_job(doc_id)
        except StoreUnavailable as error:  # the store is out of use (logged once with its path): nothing to record in
            log.warning("job %s stopped: %s", doc_id, error)

    def _run_job(self, doc_id: str) -> None:
        if self._stopping.is_set():
            return  # still queued in the store; the next process picks it up
        stored = self.store.get(doc_id)
        if stored is None or doc_id in self._cancelled or not is_active(stored.status):
            return
        self.store.mark_running(doc_id)
        try:
            glossary = self.translator.glossary_named(stored.glossary)
        except TranslatorError as error:  # removed since the job was queued
            self.store.set_status(doc_id, JobStatus.FAILED, str(error))
            return

        def progress(done: int, total: int) -> None:
            if doc_id in self._cancelled:
                raise JobCancelled
            self.store.set_progress(doc_id, done, total)
            if self._stopping.is_set():
                raise JobInterrupted

        last_partial = [-PARTIAL_INTERVAL]

        def partial(document: Document, done: int, total: int) -> None:
            if doc_id in self._cancelled:
                raise JobCancelled
            now = time.monotonic()
            if done < total and (done == 0 or now - last_partial[0] >= PARTIAL_INTERVAL):
                self.store.set_partial(doc_id, document, done, total)
                last_partial[0] = now

        try:
            document = self.translator.translate_document(
                stored.text,
                stored.requested_source,
                stored.target_language,
                progress,
                PROGRESS_SLICE,
                partial,
                metadata=stored.source_metadata,
                glossary=glossary,
            )
        except JobCancelled:
            return
        except JobInterrupted:
            # Finished slices are in the sentence cache: the next process resumes from there.
            self.store.set_status(doc_id, JobStatus.QUEUED, None)
            log.info("job %s checkpointed for shutdown", doc_id)
            return
        except TranslatorError as error:
            self.store.set_status(doc_id, JobStatus.FAILED, str(error))
            return
        except Exception as error:  # a job must never die silently; the message is kept, the trace is logged
            log.exception("job %s failed", doc_id)
            self.store.set_status(doc_id, JobStatus.FAILED, f"Internal error: {type(error).__name__}")
            return
        if doc_id not in self._cancelled:
            self.store.finish(doc_id, document)

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=not wait)

    def problem(self) -> str | None:
        return None  # nothing outside this process to be unreachable

    def stats(self) -> dict[str, float]:
        return {}

    def stop(self, timeout: float = 30.0) -> None:
        """Graceful shutdown: running jobs stop after their current slice and go back to the queue."""
        self._stopping.set()
        worker = threading.Thread(target=self._pool.shutdown, kwargs={"wait": True, "cancel_futures": True})
        worker.start()
        worker.join(timeout)


class EmbeddedBackend(JobBackend):
    """Tasks run on this process's thread pool with its Translator (the batch CLI without a broker)."""

    name = "embedded"
    poll_interval = 0.02  # in memory: cheap to read

    def __init__(self, translator: Translator, workers: int = 1) -> None:
        self.translator = translator
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="translate-task")
        self._states: dict[str, TaskState] = {}
        self._lock = threading.Lock()

    def submit(self, task_id: str, request: ArticleRequest) -> None:
        with self._lock:
            if task_id in self._states:
                return  # the same article, languages, model and options: one run serves every submitter
            self._states[task_id] = TaskState()
        self._pool.submit(self._run, task_id, request)

    def _run(self, task_id: str, request: ArticleRequest) -> None:
        state = self._states[task_id]

        def progress(done: int, total: int) -> None:
            state.state, state.done, state.total = RUNNING, done, total

        try:
            document = self.translator.translate_document(
                request.text,
                request.source,
                request.target,
                progress,
                metadata=request.metadata,
                glossary=request.glossary,
                memory=request.memory,  # what the submitter saw: the same document as on a Celery worker
            )
        except Exception as error:  # reported with the reason, like a worker's failure
            state.error = str(error) or type(error).__name__
            state.state = FAILED
            if not isinstance(error, TranslatorError):
                log.exception("task %s failed", task_id)
            return
        state.document = document.to_dict()
        state.state = DONE

    def state(self, task_id: str) -> TaskState:
        return self._states.get(task_id) or TaskState()

    def forget(self, task_id: str) -> None:
        with self._lock:
            self._states.pop(task_id, None)

    def close(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=not wait)
