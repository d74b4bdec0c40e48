"""``python -m translator worker``: a Celery worker that translates the jobs queued on TRANSLATOR_BROKER_URL.

The model is loaded once, here, before the worker starts; CTranslate2 is not
fork-safe, so the pool is ``solo`` (one article at a time, on every core) or
``threads`` (--concurrency > 1, sharing the one model), never prefork.
"""

from __future__ import annotations

import click

from translator.cli.common import settings_from
from translator.errors import ConfigError, ModelError
from translator.models import INSTALL_HINT
from translator.pipeline import Translator


@click.command()
@click.option("--concurrency", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Articles at once in this worker (threads sharing one model); 1: the solo pool.")  # fmt: skip
@click.option("--hostname", default=None, help="Worker name shown to monitoring (default: celery@<host>).")
@click.option("--loglevel", default="INFO", show_default=True, help="Celery log level.")
@click.pass_context
def worker(ctx: click.Context, concurrency: int, hostname: str | None, loglevel: str) -> None:
    """Translate queued jobs for web servers and batches that share TRANSLATOR_BROKER_URL (Redis)."""
    settings = settings_from(ctx)
    if not settings.broker_url:
        raise ConfigError("Set TRANSLATOR_BROKER_URL (redis://host:6379/0) to the broker the submitters use.")
    from translator.jobs.celery_backend import celery_app
    from translator.jobs.tasks import register_tasks

    app = celery_app(settings, worker=True)
    translator = Translator(settings)
    if not translator.engine.pairs():
        raise ModelError(f"No translation model installed in {settings.resolved_model_dir}. {INSTALL_HINT}")
    translator.detector.detect("Ein kurzer Satz zum Aufwärmen.")  # the language profiles load once too
    for source, target in translator.engine.pairs():  # load every model now, once, before any task arrives
        translator.merger.translate_batch(["Test."], source, target)
    register_tasks(app, translator)
    argv = [
        "worker",
        f"--pool={'solo' if concurrency == 1 else 'threads'}",
        f"--concurrency={concurrency}",
        "--prefetch-multiplier=1",
        "--without-gossip",
        "--without-mingle",
        f"--loglevel={loglevel}",
    ]
    if hostname:
        argv.append(f"--hostname={hostname}")
    app.worker_main(argv)
