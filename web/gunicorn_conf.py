"""Production gunicorn settings (``gunicorn --config web/gunicorn_conf.py``): one worker process with threads.

CTranslate2 translators are not fork-safe and a model is large: threads in one
process share the loaded model, and CTranslate2 spreads each batch over the
cores. On SIGTERM gunicorn stops accepting connections, lets in-flight requests
finish (up to graceful_timeout), then ``worker_exit`` checkpoints running jobs:
they stop after their current slice and go back to the queue (their finished
sentences are in the cache), so the next start resumes them.
"""

from __future__ import annotations

from typing import Any

from translator.config import Settings

workers = 1
worker_class = "gthread"
threads = Settings.from_env().threads
# With gthread, `timeout` restarts a worker whose main loop stops answering; it never ends a request thread
# that is busy or waiting for a slow client. Per-request bounds come from the proxy in front
# (docker/nginx.conf: slow clients wait in nginx), the body limit and the input checks (check_html).
timeout = 120
graceful_timeout = 60
keepalive = 5
accesslog = None  # the app logs one line per request itself (web/logs.py), in text or JSON
errorlog = "-"
# No runtime control socket: one worker needs no resizing, and several instances (tests, benchmarks,
# a second service) would otherwise compete for the same $HOME/.gunicorn/gunicorn.ctl.
control_socket_disable = True


def worker_exit(server: Any, worker: Any) -> None:
    app = getattr(worker, "wsgi", None)
    services = getattr(app, "extensions", {}).get("translator_services")
    if services is not None:
        services.jobs.stop(timeout=graceful_timeout / 2)
