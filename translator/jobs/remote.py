"""A document store's jobs run through a job backend (Celery workers): the web server with a broker.

The server submits a document's article, then one monitor thread follows every
job in flight: it copies progress and the half-translated document into the
store as the worker reports them, and stores the finished document once. When
the broker is away, submissions raise BrokerUnavailable (the views answer 503)
and documents already accepted wait: they are submitted again as soon as the
broker answers, and on every start.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from contextlib import suppress

from translator.document import Document
from translator.errors import BrokerUnavailable, StoreUnavailable, TranslatorError
from translator.jobs.base import DONE, FAILED, RUNNING, JobBackend, article_request, task_id_for
from translator.pipeline import Translator
from translator.status import JobStatus, is_active
from translator.storage.documents import DocumentStore

log = logging.getLogger(__name__)
POLL_INTERVAL = 0.25  # seconds between reads of the jobs in flight
RESCAN_EVERY = 30.0  # seconds between looks for queued documents nobody follows (another server's, a lost one)


class RemoteJobRunner:
    """Same calls as ``JobRunner``; the translating happens on the backend's workers."""

    def __init__(self, translator: Translator, store: DocumentStore, backend: JobBackend) -> None:
        self.translator = translator
        self.store = store
        self.backend = backend
        self.outcomes: Counter[str] = Counter()  # done, failed, cancelled: for /metrics
        self._inflight: dict[str, str] = {}  # doc id -> task id
        self._waiting: set[str] = set()  # accepted while the broker was away
        self._reported: dict[str, int] = {}  # doc id -> sentences done as last written to the store
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._monitor: threading.Thread | None = None

    def submit(self, doc_id: str) -> None:
        """Send the document's article to the workers; BrokerUnavailable leaves it waiting for the broker.

        The request carries this server's approved translations and glossary entries for the article, read
        now: a correction saved before a (re)submission is applied, whichever worker takes the task.
        """
        stored = self.store.get(doc_id)
        if stored is None or not is_active(stored.status):
            return
        try:
            glossary = self.translator.glossary_named(stored.glossary)
            request = article_request(
                self.translator,
                stored.text,
                stored.requested_source,
                stored.target_language,
                stored.source_metadata,
                glossary,
            )
            task_id = task_id_for(self.translator, request)
        except TranslatorError as error:  # the article's problem (or its glossary removed): as a job would fail
            self.store.set_status(doc_id, FAILED, str(error))
            self.outcomes["failed"] += 1
            return
        self._start_monitor()
        try:
            self.backend.submit(task_id, request)
        except BrokerUnavailable:
            with self._lock:
                self._waiting.add(doc_id)
            raise
        with self._lock:
            self._waiting.discard(doc_id)
            self._inflight[doc_id] = task_id

    def resume_pending(self) -> list[str]:
        """Submit every unfinished document again (idempotent: the same task ids)."""
        pending = self.store.active_ids()
        for doc_id in pending:
            with suppress(BrokerUnavailable):  # waiting; submitted when the broker answers
                self.submit(doc_id)
        self._start_monitor()
        return pending

    def cancel(self, doc_id: str) -> bool:
        """Stop following the job (its result, shared by equal articles, is simply not stored)."""
        stored = self.store.get(doc_id)
        if stored is None or not is_active(stored.status):
            return False
        with self._lock:
            self._inflight.pop(doc_id, None)
            self._waiting.discard(doc_id)
        self.store.set_status(doc_id, JobStatus.CANCELLED, "Cancelled by the user.")
        self.outcomes["cancelled"] += 1
        return True

    def wait(self, doc_id: str, timeout: float | None = None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while doc_id in self._inflight or doc_id in self._waiting:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"job {doc_id} still running")
            time.sleep(POLL_INTERVAL / 2)

    def problem(self) -> str | None:
        return self.backend.problem()

    def stats(self) -> dict[str, float]:
        return {**self.backend.stats(), "jobs_in_flight": float(len(self._inflight))}

    def shutdown(self, wait: bool = True) -> None:
        self.stop()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop following jobs; they go on on the workers, and the next start collects them."""
        self._stopping.set()
        if self._monitor is not None:
            self._monitor.join(timeout)
        self.backend.close()

    def _start_monitor(self) -> None:
        with self._lock:
            if self._monitor is None and not self._stopping.is_set():
                self._monitor = threading.Thread(target=self._follow, name="job-monitor", daemon=True)
                self._monitor.start()

    def _follow(self) -> None:
        last_scan = time.monotonic()
        broker_was_away = False
        while not self._stopping.wait(POLL_INTERVAL):
            try:
                if time.monotonic() - last_scan >= RESCAN_EVERY:
                    last_scan = time.monotonic()
                    self._rescan()
                if broker_was_away:  # a broker without persistence may have lost its queue: send again
                    self._rescan(everything=True)
                    broker_was_away = False
                if self._waiting and self.backend.problem() is None:
                    self._resubmit_waiting()
                self._poll()
            except BrokerUnavailable:
                broker_was_away = True  # logged by the backend; retried on the next round
            except StoreUnavailable as error:
                log.warning("job monitor: %s", error)
            except Exception:  # the monitor must outlive any one bad job
                log.exception("job monitor round failed")

    def _rescan(self, everything: bool = False) -> None:
        """Wait-list unfinished documents nobody follows (``everything``: the followed ones too, to resend)."""
        with self._lock:
            known = self._waiting if everything else set(self._inflight) | self._waiting
            self._waiting.update(doc_id for doc_id in self.store.active_ids() if doc_id not in known)

    def _resubmit_waiting(self) -> None:
        with self._lock:
            waiting = sorted(self._waiting)
        for doc_id in waiting:
            with self._lock:
                self._waiting.discard(doc_id)
            self.submit(doc_id)  # BrokerUnavailable puts it back and ends this round

    def _poll(self) -> None:
        with self._lock:
            inflight = dict(self._inflight)
        for doc_id, task_id in inflight.items():
            state = self.backend.state(task_id)
            if state.state == RUNNING:
                if self._reported.get(doc_id) == state.done:
                    continue  # nothing new since the last round
                if doc_id not in self._reported:
                    self.store.mark_running(doc_id)
                self._reported[doc_id] = state.done
                if state.total:
                    self.store.set_progress(doc_id, state.done, state.total)
                if state.partial is not None and state.done < state.total:
                    self.store.set_partial(doc_id, Document.from_dict(state.partial), state.done, state.total)
                continue
            if not state.finished:
                continue
            with self._lock:
                if self._inflight.pop(doc_id, None) is None:
                    continue  # cancelled meanwhile
            self._reported.pop(doc_id, None)
            if state.state == DONE and state.document is not None:
                self.store.finish(doc_id, Document.from_dict(state.document))
                self.outcomes["done"] += 1
            else:
                self.store.set_status(doc_id, FAILED, state.error or "The worker could not translate it.")
                self.outcomes["failed"] += 1
            if not any(other == task_id for other in self._inflight.values()):
                self.backend.forget(task_id)
