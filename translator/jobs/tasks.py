"""The one task a worker runs: an article and its options in, the document JSON out, progress on the way.

The worker's Translator is built once per process (the model loads once;
CTranslate2 is not fork-safe, so workers use the solo or threads pool). The
memory and glossary come with the request (``ArticleRequest``): a worker's own
data directory holds neither the submitter's corrections nor its glossaries.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import celery.app.trace
from celery import Celery, Task
from celery.result import AsyncResult

from translator.document import Document
from translator.errors import TranslatorError
from translator.jobs.base import ArticleRequest, task_id_for
from translator.jobs.celery_backend import PROGRESS, TASK_NAME
from translator.jobs.embedded import PARTIAL_INTERVAL, PROGRESS_SLICE
from translator.pipeline import Translator

MISMATCH = (
    "This worker's models or decoding options differ from the submitter's (another model version, beam size "
    "or compute type): install the same model and settings on every machine."
)


def register_tasks(app: Celery, translator: Translator) -> None:
    """Register the translate task on ``app``, run with ``translator``."""
    if not translator.settings.log_article_text:  # Celery would log each result: the whole translated article
        celery.app.trace.LOG_SUCCESS = "Task %(name)s[%(id)s] succeeded in %(runtime)ss"

    @app.task(name=TASK_NAME, bind=True, acks_late=True, reject_on_worker_lost=True)
    def translate_article(task: Task, request: dict[str, Any], task_id: str) -> dict[str, Any]:
        stored = AsyncResult(task.request.id, app=task.app)
        if stored.state == "SUCCESS" and isinstance(stored.result, dict):
            return stored.result  # a redelivered or repeated task: the result is already there

        def report(meta: dict[str, Any]) -> None:
            task.update_state(state=PROGRESS, meta=meta)

        try:
            article = ArticleRequest.from_dict(request)
        except TranslatorError as error:  # an older submitter's request: its problem, named
            return {"error": str(error)}
        return run_task(translator, article, task_id, report)


def run_task(
    translator: Translator, request: ArticleRequest, task_id: str, report: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """Translate the request; ``report`` gets {done, total, partial} as slices finish. Returns the task result.

    The result is {"document": Document.to_dict()} or {"error": message} for an article that cannot be
    translated (its problem, not the worker's: not worth a retry).
    """
    try:
        if task_id_for(translator, request) != task_id:
            return {"error": MISMATCH}
    except TranslatorError as error:
        return {"error": str(error)}
    last_partial = [-PARTIAL_INTERVAL]
    partial_doc: list[dict[str, Any] | None] = [None]

    def partial(document: Document, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and (done == 0 or now - last_partial[0] >= PARTIAL_INTERVAL):
            partial_doc[0] = document.to_dict()
            last_partial[0] = now

    def progress(done: int, total: int) -> None:
        # A new partial document at most every PARTIAL_INTERVAL: a long article's is megabytes, its count is not.
        report({"done": done, "total": total, "partial": partial_doc[0]})
        partial_doc[0] = None

    try:
        document = translator.translate_document(
            request.text,
            request.source,
            request.target,
            progress,
            PROGRESS_SLICE,
            partial,
            metadata=request.metadata,
            glossary=request.glossary,
            memory=request.memory,  # the submitter's approved translations, never this worker's own memory
        )
    except TranslatorError as error:  # the article's problem: a result, not a retry
        return {"error": str(error)}
    return {"document": document.to_dict()}
