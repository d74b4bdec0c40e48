"""Production gunicorn settings: one worker process with threads.

CTranslate2 translators are not fork-safe and a model is large: threads in one
process share the loaded model; CTranslate2 itself spreads a batch over the cores.
"""

import os

workers = 1
worker_class = "gthread"
threads = int(os.environ.get("TRANSLATOR_THREADS", "8"))
timeout = 120
graceful_timeout = 60
keepalive = 5
accesslog = "-"
errorlog = "-"
