"""Operational endpoints: liveness and readiness."""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify
from flask.typing import ResponseReturnValue

from translator import TranslatorError
from web.services import services

bp = Blueprint("ops", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.extensions["csrf"].exempt(bp)


@bp.get("/health")
def health() -> ResponseReturnValue:
    """The process is alive (no model needed)."""
    return jsonify(status="ok")


@bp.get("/ready")
def ready() -> ResponseReturnValue:
    """The model loads and translates a test sentence."""
    translator = services().translator
    try:
        pairs = translator.engine.pairs()
        if not pairs:
            raise TranslatorError("No model installed: python -m translator models install FILE.argosmodel")
        source, target = pairs[0]
        translator.engine.translate_batch(["Test."], source, target)
    except TranslatorError as error:
        return jsonify(status="unavailable", error=str(error)), 503
    return jsonify(status="ready", pairs=[f"{s}-{t}" for s, t in pairs])
