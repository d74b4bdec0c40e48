"""Prometheus metrics, one registry per app (tests build many apps; the global registry would clash).

Requests are counted and timed for every route by endpoint rule (not raw
path, so ids do not blow up the label set). Cache hits and misses are read
from the sentence cache when scraped; characters are counted by the API views.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from flask import Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from translator import Translator
from translator.jobs import StoreJobRunner
from web.logs import note_chars

EXTENSION = "api_metrics"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


@dataclass
class Metrics:
    registry: CollectorRegistry
    requests: Counter
    latency: Histogram
    characters: Counter


class CacheCollector(Collector):
    """Reads the sentence cache's hit and miss counts at scrape time."""

    def __init__(self, translator: Translator) -> None:
        self.translator = translator

    def collect(self) -> Iterator[CounterMetricFamily]:
        cache = self.translator.cache
        hits = CounterMetricFamily("translator_cache_hits", "Sentences found in the translation cache.")
        misses = CounterMetricFamily("translator_cache_misses", "Sentences the model had to translate.")
        errors = CounterMetricFamily(
            "translator_cache_errors", "Cache operations that failed (damaged file, Redis unreachable): misses."
        )
        hits.add_metric([], cache.hits if cache is not None else 0)
        misses.add_metric([], cache.misses if cache is not None else 0)
        errors.add_metric([], cache.errors if cache is not None else 0)
        yield hits
        yield misses
        yield errors


class JobsCollector(Collector):
    """Reads the job backend at scrape time: queue depth, workers seen, broker up, task outcomes (with a broker)."""

    GAUGES: ClassVar[dict[str, str]] = {
        "broker_up": "1 when the job broker (TRANSLATOR_BROKER_URL) answers, else 0.",
        "queue_depth": "Jobs waiting in the broker's queue for a worker.",
        "workers_seen": "Celery workers that answered the last ping (every few seconds).",
        "jobs_in_flight": "Jobs this server submitted and is following.",
    }

    def __init__(self, jobs: StoreJobRunner) -> None:
        self.jobs = jobs

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        stats = self.jobs.stats()
        for name, help_text in self.GAUGES.items():
            if name in stats:
                gauge = GaugeMetricFamily(f"translator_jobs_{name}", help_text)
                gauge.add_metric([], stats[name])
                yield gauge
        outcomes = getattr(self.jobs, "outcomes", None)
        if outcomes is not None:
            counter = CounterMetricFamily(
                "translator_jobs_outcomes",
                "Jobs this server collected from the workers, by outcome.",
                labels=["outcome"],
            )
            for outcome in ("done", "failed", "cancelled"):
                counter.add_metric([outcome], outcomes[outcome])
            yield counter


def init_app(app: Flask, translator: Translator, jobs: StoreJobRunner | None = None) -> Metrics:
    registry = CollectorRegistry()
    metrics = Metrics(
        registry=registry,
        requests=Counter(
            "translator_http_requests", "HTTP requests by route, method and status.",
            ["endpoint", "method", "status"], registry=registry,
        ),
        latency=Histogram(
            "translator_http_request_duration_seconds", "Time to answer a request, by route.",
            ["endpoint"], registry=registry, buckets=LATENCY_BUCKETS,
        ),
        characters=Counter(
            "translator_characters_translated", "Characters sent for translation through the API (jobs when queued).",
            ["api"], registry=registry,
        ),
    )  # fmt: skip
    registry.register(CacheCollector(translator))
    if jobs is not None:
        registry.register(JobsCollector(jobs))
    app.extensions[EXTENSION] = metrics
    app.before_request(_start_timer)
    app.after_request(_record)
    return metrics


def count_characters(api: str, count: int) -> None:
    """Add ``count`` characters translated through ``api`` (libretranslate or documents), also to the request log."""
    metrics: Metrics = current_app.extensions[EXTENSION]
    metrics.characters.labels(api).inc(count)
    note_chars(count)


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _record(response: Response) -> Response:
    metrics: Metrics = current_app.extensions[EXTENSION]
    endpoint = request.url_rule.rule if request.url_rule is not None else "unmatched"
    metrics.requests.labels(endpoint, request.method, str(response.status_code)).inc()
    started = g.get("metrics_started")
    if started is not None:
        metrics.latency.labels(endpoint).observe(time.perf_counter() - started)
    return response


def exposition() -> Response:
    """The registry in Prometheus' text format."""
    metrics: Metrics = current_app.extensions[EXTENSION]
    return Response(generate_latest(metrics.registry), content_type=CONTENT_TYPE_LATEST)
