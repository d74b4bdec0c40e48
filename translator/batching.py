"""Cross-request batching: sentences of concurrent requests share one CTranslate2 call.

A model translates a batch of 200 sentences at about twice the rate of 25
(bench/RESULTS.md), so under load it pays to merge. Callers put their
sentences on a queue and wait; a dispatcher thread takes everything queued
for a language pair, translates it in one call, and hands each caller its
part. There is no artificial delay: an idle engine starts at once, and
requests that arrive while a call runs are merged into the next one.
``inter_threads`` dispatchers run side by side, one per CTranslate2 replica.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from translator.engine import Engine, Translation
from translator.models import InstalledModel

MAX_MERGED_SENTENCES = 512  # beyond this, one more request is not worth making the others wait


@dataclass
class _Request:
    sentences: Sequence[str]
    source: str
    target: str
    future: Future[list[Translation]] = field(default_factory=Future)


class BatchingEngine:
    """Wraps an engine; concurrent ``translate_batch`` calls for the same pair become one call."""

    def __init__(self, engine: Engine, dispatchers: int = 1) -> None:
        self.engine = engine
        self._queue: queue.Queue[_Request] = queue.Queue()
        self._dispatchers = max(dispatchers, 1)
        self._started = False
        self._lock = threading.Lock()
        self.calls = 0  # engine calls made (merged), for tests and metrics

    def pairs(self) -> list[tuple[str, str]]:
        return self.engine.pairs()

    def model_for(self, source: str, target: str) -> InstalledModel:
        return self.engine.model_for(source, target)

    def describe(self) -> dict[str, Any]:
        return self.engine.describe()

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        if not sentences:
            return []
        self._start()
        request = _Request(sentences, source, target)
        self._queue.put(request)
        return request.future.result()

    def _start(self) -> None:
        with self._lock:
            if not self._started:
                for number in range(self._dispatchers):
                    name = f"translate-batcher-{number}"
                    threading.Thread(target=self._dispatch_forever, name=name, daemon=True).start()
                self._started = True

    def _dispatch_forever(self) -> None:
        while True:
            first = self._queue.get()
            group, others = [first], []
            size = len(first.sentences)
            while size < MAX_MERGED_SENTENCES:
                try:
                    waiting = self._queue.get_nowait()
                except queue.Empty:
                    break
                if (waiting.source, waiting.target) == (first.source, first.target):
                    group.append(waiting)
                    size += len(waiting.sentences)
                else:
                    others.append(waiting)
            for request in others:  # another pair: back in the queue for the next round
                self._queue.put(request)
            self._run(group)

    def _run(self, group: list[_Request]) -> None:
        merged = [sentence for request in group for sentence in request.sentences]
        try:
            self.calls += 1
            results = self.engine.translate_batch(merged, group[0].source, group[0].target)
        except BaseException as error:  # every waiting caller gets the engine's error, the dispatcher lives on
            for request in group:
                request.future.set_exception(error)
            return
        offset = 0
        for request in group:
            request.future.set_result(results[offset : offset + len(request.sentences)])
            offset += len(request.sentences)
