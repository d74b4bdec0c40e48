"""Operational endpoints: liveness, readiness, Prometheus metrics. Never key-checked or rate limited."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, jsonify
from flask.typing import ResponseReturnValue
from spectree import Response

from translator.models import NO_MODEL
from web import faults, metrics
from web.api.models import Health, NotReady, Ready
from web.api.spec import create_spec
from web.services import services

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """A blueprint per app: its views are wrapped by this app's SpecTree, so they appear in /openapi.json."""
    services = app.extensions["translator_services"]
    metrics.init_app(app, services.translator, services.jobs)
    spec = create_spec(app)
    tags = ["operations"]
    bp = Blueprint("ops", __name__)
    bp.add_url_rule("/health", view_func=spec.validate(resp=Response(HTTP_200=Health), tags=tags)(health))
    bp.add_url_rule(
        "/ready", view_func=spec.validate(resp=Response(HTTP_200=Ready, HTTP_503=NotReady), tags=tags)(ready)
    )
    bp.add_url_rule("/metrics", view_func=spec.validate(resp=Response("HTTP_200"), tags=tags)(prometheus_metrics))
    app.register_blueprint(bp)
    app.extensions["csrf"].exempt(bp)


def health() -> ResponseReturnValue:
    """Liveness: the process answers (no model needed)."""
    return jsonify(status="ok")


def ready() -> ResponseReturnValue:
    """Readiness: a model loads and translates a test sentence (503 with the reason otherwise).

    A store out of use (damaged, deleted) leaves translation working: 200 with
    status "degraded" and ``degraded`` naming each part that is off and why.

    The sentence goes to the engine under the cache: a cached answer would say
    nothing about whether the model still loads.
    """
    engine = services().translator.merger  # under the cache
    try:
        pairs = engine.pairs()
        if not pairs:
            return _unavailable(NO_MODEL)
        source, target = pairs[0]
        engine.translate_batch(["Test."], source, target)
    except Exception as error:  # a broken model may fail in CTranslate2 itself, not only with ModelError
        log.warning("not ready: %s", error)
        return _unavailable(f"The model does not translate: {error}")
    degraded = faults.degraded()
    names = [f"{s}-{t}" for s, t in pairs]
    broker = {}
    if services().settings.broker_url:
        broker["broker"] = "unreachable" if "jobs" in degraded else "reachable"
    if degraded:  # translation works, so traffic may come; the parts that do not are named
        return jsonify(status="degraded", pairs=names, degraded=degraded, **broker)
    return jsonify(status="ready", pairs=names, **broker)


def _unavailable(message: str) -> ResponseReturnValue:
    return jsonify(status="unavailable", error=message, degraded=faults.degraded()), 503


def prometheus_metrics() -> ResponseReturnValue:
    """Prometheus metrics: requests, latency, characters translated, cache hits and misses."""
    return metrics.exposition()
