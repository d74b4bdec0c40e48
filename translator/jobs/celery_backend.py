"""Jobs on Celery workers over a Redis broker: the submitter's side, and the app both sides configure.

Delivery is at least once: a worker acknowledges a task only after it finished
(``task_acks_late``), one task at a time (``worker_prefetch_multiplier=1``), and
a task whose worker died unacknowledged goes back to the queue after the
broker's visibility timeout (``TRANSLATOR_BROKER_VISIBILITY_TIMEOUT``) for another
worker. Running a task twice is harmless: task ids are derived from the request,
a worker first looks for a result already stored under its id, and results are
equal anyway; the submitter persists each one once.
"""

from __future__ import annotations

import logging
import time
from contextlib import suppress
from urllib.parse import urlsplit

import redis
from celery import Celery
from kombu.exceptions import OperationalError

from translator.config import Settings
from translator.errors import BrokerUnavailable, ConfigError
from translator.jobs.base import DONE, FAILED, QUEUED, RUNNING, ArticleRequest, JobBackend, TaskState

log = logging.getLogger(__name__)
TASK_NAME = "translator.translate_article"
QUEUE = "celery"  # Celery's default queue: its Redis list's length is the queue depth
PROGRESS = "PROGRESS"  # custom task state while sentences are being translated
RESULT_DAYS = 7  # results wait this long for their submitter (a batch stopped over a weekend resumes)
KEEP_COLLECTED = 3600  # seconds a result stays once its submitter has stored it
CHECK_TIMEOUT = 2.0  # seconds a reachability check or a state read may wait for Redis
WORKERS_SEEN_EVERY = 10.0  # seconds between pings of the workers (a broadcast over the broker) for /metrics
BROKER_ERRORS = (OperationalError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


def celery_app(settings: Settings, worker: bool = False) -> Celery:
    """The Celery app for the configured broker (results live in the same Redis)."""
    scheme = urlsplit(settings.broker_url).scheme
    if scheme not in ("redis", "rediss"):
        raise ConfigError(f"TRANSLATOR_BROKER_URL must be a redis:// or rediss:// URL, got a {scheme or 'bare'} one.")
    app = Celery("translator", broker=settings.broker_url, backend=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,  # acknowledged when finished: a worker dying mid-article leaves it queued
        task_reject_on_worker_lost=True,  # a pool child lost mid-task: requeue rather than acknowledge
        worker_prefetch_multiplier=1,  # reserve one article at a time: the others stay for idle workers
        task_track_started=True,
        result_expires=RESULT_DAYS * 24 * 3600,
        broker_transport_options=_transport_options(settings.broker_visibility_timeout),
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=CHECK_TIMEOUT,
        redis_socket_connect_timeout=CHECK_TIMEOUT,
        # A worker keeps retrying to store a finished result while Redis is away; a submitter must not block.
        result_backend_always_retry=worker,
        result_backend_max_retries=float("inf") if worker else 0,
        worker_hijack_root_logger=False,
        worker_cancel_long_running_tasks_on_connection_loss=False,
    )
    return app


def _transport_options(visibility_timeout: int) -> dict[str, int]:
    """Kombu's Redis options: how soon an article a dead worker held goes back to the queue.

    Kombu sweeps for such messages every ``unacked_restore_interval`` seconds, but by default scans only on
    every 10th sweep (100 s); one scan per sweep, at a quarter of the visibility timeout (1 to 30 s), keeps
    the delay near the timeout for one cheap ZRANGE per worker and sweep.
    """
    return {
        "visibility_timeout": visibility_timeout,
        "unacked_restore_interval": max(1, min(30, visibility_timeout // 4)),
        "unacked_restore_throttle": 1,
    }


class CeleryBackend(JobBackend):
    """Submits tasks to the broker and reads their state from the result backend (the same Redis)."""

    name = "celery"

    def __init__(self, settings: Settings, app: Celery | None = None) -> None:
        self.settings = settings
        self.app = app or celery_app(settings)
        self._redis = redis.Redis.from_url(
            settings.broker_url, socket_timeout=CHECK_TIMEOUT, socket_connect_timeout=CHECK_TIMEOUT
        )
        self._workers_seen = 0
        self._workers_checked = -WORKERS_SEEN_EVERY

    def submit(self, task_id: str, request: ArticleRequest) -> None:
        current = self.state(task_id)
        if current.state in (DONE, RUNNING):
            return  # finished (the submitter collects it) or on a worker (redelivered if that worker dies)
        try:
            self.app.send_task(
                TASK_NAME,
                args=[request.to_dict(), task_id],
                task_id=task_id,
                retry=False,
                argsrepr=f"(<article of {len(request.text)} characters>, {request.source}->{request.target})",
            )
        except BROKER_ERRORS as error:
            raise BrokerUnavailable(_broker_message(error)) from None

    def state(self, task_id: str) -> TaskState:
        try:
            meta = self.app.backend.get_task_meta(task_id)  # one read: status and result or progress together
            status, info = meta["status"], meta.get("result")
        except BROKER_ERRORS as error:
            raise BrokerUnavailable(_broker_message(error)) from None
        if status == "SUCCESS" and isinstance(info, dict):
            if info.get("error"):
                return TaskState(FAILED, error=str(info["error"]))
            return TaskState(DONE, document=info.get("document"))
        if status in ("STARTED", PROGRESS):
            meta = info if isinstance(info, dict) else {}
            return TaskState(RUNNING, int(meta.get("done", 0)), int(meta.get("total", 0)), meta.get("partial"))
        if status in ("FAILURE", "REVOKED"):
            return TaskState(FAILED, error=f"The worker could not translate it: {type(info).__name__}: {info}")
        return TaskState(QUEUED)

    def forget(self, task_id: str) -> None:
        """Keep the result a little longer, not a week: another submitter of the same article may still want it."""
        with suppress(*BROKER_ERRORS, redis.exceptions.RedisError):  # else it expires on its own (RESULT_DAYS)
            self._redis.expire(self.app.backend.get_key_for_task(task_id), KEEP_COLLECTED)

    def problem(self) -> str | None:
        try:
            self._redis.ping()
        except redis.exceptions.RedisError as error:
            return _broker_message(error)
        return None

    def stats(self) -> dict[str, float]:
        try:
            depth = float(self._redis.llen(QUEUE))
        except redis.exceptions.RedisError:
            return {"broker_up": 0.0}
        now = time.monotonic()
        if now - self._workers_checked >= WORKERS_SEEN_EVERY:
            self._workers_checked = now
            try:
                replies = self.app.control.inspect(timeout=0.5).ping() or {}
            except BROKER_ERRORS:
                replies = {}
            self._workers_seen = len(replies)
        return {"broker_up": 1.0, "queue_depth": depth, "workers_seen": float(self._workers_seen)}

    def close(self, wait: bool = True) -> None:
        self._redis.close()


def _broker_message(error: BaseException) -> str:
    """What the user sees: the broker is away and jobs wait (no URL: it may hold a password)."""
    log.warning("job broker unreachable: %s", error)
    return "The job queue (TRANSLATOR_BROKER_URL) does not answer; try again when it is back."


__all__ = ["PROGRESS", "TASK_NAME", "CeleryBackend", "celery_app"]
