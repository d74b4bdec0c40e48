"""The job-backend interface: an article goes in under a task id, its state and document come out.

Task ids are derived from the article, the languages, every installed model and
the decoding options (``Translator.job_key``, the document cache's key), so a
repeated submission is the same task: a backend may run it again, but its
result is the same, and the submitter persists it once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Protocol

from translator.pipeline import Translator
from translator.status import JobStatus

# A task's states are the job statuses (one list of them, in translator.status).
QUEUED, RUNNING, DONE, FAILED = JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE, JobStatus.FAILED
TASK_PREFIX = "article-"


@dataclass(frozen=True)
class ArticleRequest:
    """What a worker needs to translate an article: nothing refers to the submitter's files or database."""

    text: str
    source: str = "auto"
    target: str = "en"
    metadata: dict[str, str] = field(default_factory=dict)  # a web page's (title, author, url...): kept in the document

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "source": self.source, "target": self.target, "metadata": dict(self.metadata)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleRequest:
        metadata = {str(name): str(value) for name, value in (data.get("metadata") or {}).items()}
        return cls(str(data["text"]), str(data["source"]), str(data["target"]), metadata)


@dataclass
class TaskState:
    """One task as the backend sees it; ``document`` and ``partial`` are ``Document.to_dict()`` shapes."""

    state: str = QUEUED  # queued (or not known yet), running, done, failed
    done: int = 0
    total: int = 0
    partial: dict[str, Any] | None = None
    document: dict[str, Any] | None = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)


def task_id_for(translator: Translator, request: ArticleRequest) -> str:
    """The request's task id: same article, languages, models and options, same id (on every machine)."""
    return TASK_PREFIX + translator.job_key(request.text, request.source, request.target, request.metadata)


class JobBackend(ABC):
    """Where articles are translated. Implementations: ``EmbeddedBackend``, ``CeleryBackend``."""

    name: str = ""
    poll_interval: float = 0.25  # seconds between reads of a task's state by a submitter waiting for it

    @abstractmethod
    def submit(self, task_id: str, request: ArticleRequest) -> None:
        """Queue the task unless it is already done or running; raises BrokerUnavailable when it cannot."""

    @abstractmethod
    def state(self, task_id: str) -> TaskState:
        """Where the task is now; raises BrokerUnavailable when that cannot be known."""

    def forget(self, task_id: str) -> None:  # noqa: B027 - optional: most backends keep nothing
        """The submitter has persisted the result: the backend may drop it."""

    def problem(self) -> str | None:
        """Why jobs cannot be submitted now (the broker does not answer), or None."""
        return None

    def stats(self) -> dict[str, float]:
        """Gauges for /metrics (queue depth, workers seen); empty when there is nothing to report."""
        return {}

    def close(self, wait: bool = True) -> None:  # noqa: B027 - optional
        """Stop using the backend (``wait``: let running in-process tasks finish)."""


class StoreJobRunner(Protocol):
    """Runs a document store's jobs: what the web server calls (``JobRunner``, ``RemoteJobRunner``)."""

    def submit(self, doc_id: str) -> None: ...
    def resume_pending(self) -> list[str]: ...
    def cancel(self, doc_id: str) -> bool: ...
    def wait(self, doc_id: str, timeout: float | None = None) -> None: ...
    def shutdown(self, wait: bool = True) -> None: ...
    def stop(self, timeout: float = 30.0) -> None: ...
    def problem(self) -> str | None: ...
    def stats(self) -> dict[str, float]: ...
