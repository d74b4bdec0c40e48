"""Request merging: sentences of concurrent requests share one CTranslate2 call.

A model translates 200 sentences in one call about 1.3 times as fast per
sentence as 25 (bench/RESULTS.md), so under load it pays to merge. Callers put their
sentences on a queue and wait; a dispatcher thread takes everything queued
for a language pair, translates it in one call, and hands each caller its
part. There is no fixed delay: a lone request starts at once, and requests
that arrive while a call runs are merged into the next one. Requests that
are still being prepared (segmented and detected, see ``preparing``) when a
call is about to start are waited for, up to GATHER_LIMIT_SECONDS, so that
clients arriving together share the first call instead of one of them
going alone and the rest queuing behind it. One dispatcher is enough: the
engine spreads a call's sub-batches over its CTranslate2 replicas.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field

from translator.engine import Engine, EngineWrapper, Translation

MAX_MERGED_SENTENCES = 512  # beyond this, one more request is not worth making the others wait
GATHER_LIMIT_SECONDS = 1.0  # longest wait for requests still being prepared (a seed article: ~0.1 s each)


@dataclass
class _Request:
    sentences: Sequence[str]
    source: str
    target: str
    future: Future[list[Translation]] = field(default_factory=Future)


class MergingEngine(EngineWrapper):
    """Wraps an engine; concurrent ``translate_batch`` calls for the same pair become one call."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self._queue: queue.Queue[_Request] = queue.Queue()
        self._started = False
        self._lock = threading.Lock()
        self._changed = threading.Condition()  # a request arrived or finished preparing
        self._preparing = 0
        self._ticket = threading.local()

    @contextmanager
    def preparing(self) -> Iterator[None]:
        """Announce a request that will translate soon: a call about to start waits for it.

        The announcement ends when this thread's next ``translate_batch`` is queued
        (so there is no gap in which a dispatcher could miss it), or when the block
        exits without translating (cache hits, errors).
        """
        if getattr(self._ticket, "held", False):  # nested: the outer announcement covers it
            yield
            return
        with self._changed:
            self._preparing += 1
            self._ticket.held = True
        try:
            yield
        finally:
            self._release_ticket()

    def _release_ticket(self, request: _Request | None = None) -> None:
        """End this thread's announcement, queuing its request in the same step (no gap to miss it in)."""
        with self._changed:
            if request is not None:
                self._queue.put(request)
            if getattr(self._ticket, "held", False):
                self._ticket.held = False
                self._preparing -= 1
            self._changed.notify_all()

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        if not sentences:
            self._release_ticket()
            return []
        self._start()
        request = _Request(sentences, source, target)
        self._release_ticket(request)
        return request.future.result()

    def _start(self) -> None:
        with self._lock:
            if not self._started:
                threading.Thread(target=self._dispatch_forever, name="translate-merger", daemon=True).start()
                self._started = True

    def _dispatch_forever(self) -> None:
        while True:
            first = self._queue.get()
            group, others = [first], []
            size = len(first.sentences)
            deadline = time.monotonic() + GATHER_LIMIT_SECONDS
            while size < MAX_MERGED_SENTENCES:
                try:
                    waiting = self._queue.get_nowait()
                except queue.Empty:
                    if not self._wait_for_prepared(deadline):
                        break
                    continue
                if (waiting.source, waiting.target) == (first.source, first.target):
                    group.append(waiting)
                    size += len(waiting.sentences)
                else:
                    others.append(waiting)
            for request in others:  # another pair: back in the queue for the next round
                self._queue.put(request)
            self._run(group)

    def _wait_for_prepared(self, deadline: float) -> bool:
        """Wait while requests are being prepared and nothing is queued; False when there is nothing to wait for."""
        with self._changed:
            while self._queue.empty():
                remaining = deadline - time.monotonic()
                if self._preparing <= 0 or remaining <= 0:
                    return False
                self._changed.wait(remaining)
            return True

    def _run(self, group: list[_Request]) -> None:
        merged = [sentence for request in group for sentence in request.sentences]
        try:
            results = self.engine.translate_batch(merged, group[0].source, group[0].target)
        except BaseException as error:  # every waiting caller gets the engine's error, the dispatcher lives on
            for request in group:
                request.future.set_exception(error)
            return
        offset = 0
        for request in group:
            request.future.set_result(results[offset : offset + len(request.sentences)])
            offset += len(request.sentences)
