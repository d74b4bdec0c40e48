"""The job-backend interface: an article goes in under a task id, its state and document come out.

Task ids are derived from the article, the languages, every installed model,
the decoding options (``Translator.job_key``) and what the request carries, so a
repeated submission is the same task: a backend may run it again, but its
result is the same, and the submitter persists it once.

A request carries what the submitter knows and a worker on another machine does
not: the approved translations of the article's sentences from the submitter's
translation memory, and the entries of the chosen glossary that occur in the
article (``article_request``). The worker applies those and never its own
memory or glossaries, so every worker gives the document the submitter's
installation would give, and a correction saved there makes a new task id.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Protocol

from translator.engine import approved
from translator.errors import InputError
from translator.glossary import Glossary, plan_terms, terms_in
from translator.pipeline import Translator, language_code
from translator.status import JobStatus
from translator.storage.memory import MemorySnapshot

# A task's states are the job statuses (one list of them, in translator.status).
QUEUED, RUNNING, DONE, FAILED = JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE, JobStatus.FAILED
TASK_PREFIX = "article-"
GLOSSARY_BY_NAME = (
    "This job names its glossary without its entries: the server or batch that submitted it runs an older "
    "version of the translator. Upgrade it: a job now brings its glossary entries along."
)


@dataclass(frozen=True)
class ArticleRequest:
    """What a worker needs to translate an article: nothing refers to the submitter's files or database."""

    text: str
    source: str = "auto"
    target: str = "en"
    metadata: dict[str, str] = field(default_factory=dict)  # a web page's (title, author, url...): kept in the document
    glossary: Glossary | None = None  # the submitter's glossary, reduced to the entries that occur in the text
    memory: MemorySnapshot = field(default_factory=MemorySnapshot)  # the submitter's approved translations

    def carried(self) -> list[Any]:
        """What the request brings from its submitter, in a stable form (part of the task id); [] for nothing."""
        parts: list[Any] = []
        if self.glossary is not None:  # its fingerprint changes with its pair and any entry
            parts.append({"glossary": [self.glossary.name, self.glossary.fingerprint]})
        if self.memory.entries:
            parts.append({"memory": self.memory.key_part()})
        return parts

    def to_dict(self) -> dict[str, Any]:
        glossary = self.glossary
        return {
            "text": self.text,
            "source": self.source,
            "target": self.target,
            "metadata": dict(self.metadata),
            "glossary": None
            if glossary is None
            else {"name": glossary.name, "source": glossary.source, "target": glossary.target,
                  "entries": dict(glossary.entries)},
            "memory": self.memory.to_dict(),
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleRequest:
        """The request from its JSON form; fields an older submitter did not send are empty."""
        metadata = {str(name): str(value) for name, value in (data.get("metadata") or {}).items()}
        named = data.get("glossary")
        if isinstance(named, str) and named:  # an older submitter's: a name this worker must not look up
            raise InputError(GLOSSARY_BY_NAME)
        glossary = None
        if isinstance(named, dict):
            entries = {str(term): str(target) for term, target in (named.get("entries") or {}).items()}
            glossary = Glossary(str(named["name"]), str(named["source"]), str(named["target"]), entries)
        memory = MemorySnapshot.from_dict(data.get("memory"))
        return cls(str(data["text"]), str(data["source"]), str(data["target"]), metadata, glossary, memory)


def article_request(
    translator: Translator,
    text: str,
    source: str = "auto",
    target: str = "en",
    metadata: dict[str, str] | None = None,
    glossary: Glossary | None = None,
) -> ArticleRequest:
    """The request for an article, carrying this installation's memory and glossary as far as they apply.

    The article is segmented as the pipeline does it (``Translator.segment``); the request gets the glossary
    entries found in its sentences and the memory's approved translations of exactly what the engine will
    be asked (``plan_terms``: a sentence, or its masked form when a term is in it). At most one entry per
    sentence and one per term found: bounded by the article (``TRANSLATOR_MAX_CHARS``), whatever the sizes
    of the memory and the glossary. InputError for an article the pipeline would refuse.
    """
    metadata = dict(metadata or {})
    blocks, _detected, source_language = translator.segment(text, source, metadata)
    sentences = [sentence.source for block in blocks for sentence in block.sentences]
    carried = None
    if glossary is not None:
        carried = Glossary(glossary.name, glossary.source, glossary.target, terms_in(sentences, glossary))
    memory = MemorySnapshot()
    target_language = language_code(target, "target")
    if translator.memory is not None and source_language != target_language:
        inputs = [engine_input for engine_input, _plan in plan_terms(sentences, carried)]
        found = approved(translator.memory, inputs, source_language, target_language)
        memory = MemorySnapshot(source_language, target_language, dict(sorted(found.items())))
    return ArticleRequest(text, source, target, metadata, carried, memory)


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
    """The request's task id: same article, languages, models, options and carried entries, same id (anywhere)."""
    key = translator.job_key(request.text, request.source, request.target, request.metadata, request.carried())
    return TASK_PREFIX + key


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
