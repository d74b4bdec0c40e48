"""The translation cache in Redis (``TRANSLATOR_CACHE_URL``): one cache for every worker on every machine.

Same keys as the SQLite cache (``cache_key``: model name, version and decoding
options, language pair, sentence), so a sentence translated on one machine is not
translated again on another, and a new model version starts with no hits. A
sentence entry is ``translator:sentence:<key>`` → translation, a whole article
``translator:document:<key>`` → its JSON; entries never expire on their own (give
Redis a ``maxmemory`` with ``allkeys-lru`` to bound it).

Redis unreachable (or refusing writes) never stops a translation, like a damaged
SQLite file: the lookup is a miss, the write is dropped, ``errors`` counts it, and
the log says so once, then once more when Redis answers again. While it is down,
it is tried again at most every ``retry_seconds``, so requests do not each wait
for a connection timeout.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import redis

from translator.storage.cache import CacheRow, TranslationCache

SENTENCE_PREFIX = "translator:sentence:"
DOCUMENT_PREFIX = "translator:document:"
TIMEOUT_SECONDS = 2.0  # connecting or waiting for an answer; a healthy Redis answers in well under 1 ms
RETRY_SECONDS = 5.0  # while Redis is out of use, how often one operation tries it again
CHUNK = 500  # keys per MGET / pipeline

log = logging.getLogger(__name__)
Result = TypeVar("Result")


def redact(url: str) -> str:
    """The URL without its password, for logs, provenance and /ready."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else "***@"
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


class RedisCache(TranslationCache):
    """Sentence and document cache in Redis; thread-safe (redis-py's connection pool)."""

    def __init__(self, url: str, retry_seconds: float | None = None) -> None:
        super().__init__()
        self.url = url
        self._client = redis.Redis.from_url(
            url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS, decode_responses=True
        )
        self._retry_seconds = RETRY_SECONDS if retry_seconds is None else retry_seconds
        self._state = threading.Lock()
        self._down: str | None = None  # why Redis is out of use, None while it answers
        self._retry_at = 0.0

    @property
    def location(self) -> str:
        return redact(self.url)

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        def lookup(client: redis.Redis) -> dict[str, str]:
            found: dict[str, str] = {}
            for offset in range(0, len(keys), CHUNK):
                chunk = keys[offset : offset + CHUNK]
                values = client.mget([SENTENCE_PREFIX + key for key in chunk])
                found.update((key, str(value)) for key, value in zip(chunk, values, strict=True) if value is not None)
            return found

        found: dict[str, str] = self._use(lookup, {}) if keys else {}
        self._count(keys, found)
        return found

    def put_many(self, rows: Iterable[CacheRow]) -> None:
        values = {SENTENCE_PREFIX + key: translation for key, *_, translation in rows}
        if not values:
            return

        def store(client: redis.Redis) -> None:
            items = list(values.items())
            for offset in range(0, len(items), CHUNK):
                client.mset(dict(items[offset : offset + CHUNK]))

        self._use(store, None)

    def get_document(self, key: str) -> str | None:
        document = self._use(lambda client: client.get(DOCUMENT_PREFIX + key), None)
        return None if document is None else str(document)

    def put_document(self, key: str, document: str) -> None:
        self._use(lambda client: client.set(DOCUMENT_PREFIX + key, document), None)

    def problem(self) -> str | None:
        """Asks Redis (unless it failed less than ``retry_seconds`` ago): None when it answers."""
        self._use(lambda client: client.ping(), None)
        return self._down

    def __len__(self) -> int:
        """Sentence entries (walks the key space: for tools and tests, not for the hot path)."""
        return sum(1 for _ in self._client.scan_iter(match=SENTENCE_PREFIX + "*", count=1000))

    def close(self) -> None:
        self._client.close()

    def _use(self, operation: Callable[[redis.Redis], Result], fallback: Result) -> Result:
        """Run one operation; Redis out of use gives ``fallback`` (a miss, a dropped write) and counts an error."""
        with self._state:
            resting = self._down is not None and time.monotonic() < self._retry_at
        if resting:
            self._count_error()
            return fallback
        try:
            result = operation(self._client)
        except (redis.RedisError, OSError) as error:
            self._count_error()
            self._went_down(error)
            return fallback
        self._came_back()
        return result

    def _went_down(self, error: Exception) -> None:
        reason = f"The Redis cache at {self.location} is out of use: {type(error).__name__}: {error}"
        with self._state:
            first = self._down is None
            self._down = reason
            self._retry_at = time.monotonic() + self._retry_seconds
        if first:
            log.warning("%s; translating without it (every lookup a miss) until it answers again.", reason)

    def _came_back(self) -> None:
        with self._state:
            was_down, self._down = self._down is not None, None
        if was_down:
            log.warning("The Redis cache at %s answers again.", self.location)
