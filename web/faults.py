"""Storage faults as answers: a damaged or vanished store turns its features off with a 503, not the server.

The job broker (TRANSLATOR_BROKER_URL) is such a part too: while it is away, new jobs get 503.

The document store, the key store, the sentence cache and the translation memory each report their own
problem; /ready lists them by part, and every request that needs a store that
is out of use gets 503 with the store's message (the file's name and what to
do; its full path is only in the log).
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from translator.errors import BrokerUnavailable, StoreUnavailable
from web import limits
from web.reader.errors import error_page, is_api_path
from web.services import Services


def init_app(app: Flask) -> None:
    """App-level handler (browser pages); API blueprints register ``store_unavailable`` themselves."""
    app.register_error_handler(StoreUnavailable, store_unavailable)
    app.register_error_handler(BrokerUnavailable, store_unavailable)


def store_unavailable(error: StoreUnavailable | BrokerUnavailable) -> ResponseReturnValue:
    if is_api_path(request.path):
        return jsonify(error=str(error)), 503
    return error_page(503, str(error), "Not available right now")


def degraded() -> dict[str, str]:
    """The parts that are out of use now, by name, with the reason (empty when all work)."""
    services: Services = current_app.extensions["translator_services"]
    checks = {"documents": services.store.problem, "jobs": services.jobs.problem}
    access = current_app.extensions.get(limits.EXTENSION)
    if access is not None:
        checks["keys"] = access.keys.problem
    cache = services.translator.cache
    if cache is not None:
        checks["cache"] = cache.problem
    memory = services.translator.memory
    if memory is not None:
        checks["memory"] = memory.problem
    return {part: problem for part, check in checks.items() if (problem := check()) is not None}
