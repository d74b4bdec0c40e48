"""Background translation jobs, run in this process or on Celery workers (``TRANSLATOR_BROKER_URL``).

``base`` is the interface (a task in, its state and document out), ``embedded``
runs jobs on this process's thread pool (the default: no service to start),
``celery_backend`` sends them to ``python -m translator worker`` processes over
a Redis broker, ``tasks`` is what those workers run, and ``remote`` drives a
document store's jobs through a backend (the web server with a broker).
"""

from __future__ import annotations

from translator.config import Settings
from translator.jobs.base import ArticleRequest, JobBackend, StoreJobRunner, TaskState, article_request, task_id_for
from translator.jobs.embedded import (
    PARTIAL_INTERVAL,
    PROGRESS_SLICE,
    EmbeddedBackend,
    JobCancelled,
    JobInterrupted,
    JobRunner,
)
from translator.pipeline import Translator
from translator.storage.documents import DocumentStore


def job_backend(settings: Settings, translator: Translator, workers: int = 1) -> JobBackend:
    """Celery when a broker is configured, else this process's thread pool (``workers`` articles at once)."""
    if settings.broker_url:
        from translator.jobs.celery_backend import CeleryBackend  # celery is imported only when used

        return CeleryBackend(settings)
    return EmbeddedBackend(translator, workers)


def job_runner(settings: Settings, translator: Translator, store: DocumentStore) -> StoreJobRunner:
    """The document store's job runner: in-process (writes progress itself) or through the broker."""
    if settings.broker_url:
        from translator.jobs.remote import RemoteJobRunner

        return RemoteJobRunner(translator, store, job_backend(settings, translator))
    return JobRunner(translator, store, workers=settings.job_workers)


__all__ = [
    "PARTIAL_INTERVAL",
    "PROGRESS_SLICE",
    "ArticleRequest",
    "EmbeddedBackend",
    "JobBackend",
    "JobCancelled",
    "JobInterrupted",
    "JobRunner",
    "StoreJobRunner",
    "TaskState",
    "article_request",
    "job_backend",
    "job_runner",
    "task_id_for",
]
