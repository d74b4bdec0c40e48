# Offline article translator: gunicorn serving the Flask app, one worker process with threads.
# Build:  docker build -t article-translator .
# Bake a model in: copy it to docker/models/ and add --build-arg MODEL=<file name>.
# Without a model the container starts, /ready answers 503, and the log says how to install one:
#   docker exec <container> python -m translator models install /path/to/model.argosmodel

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# Dependencies first, so source changes do not reinstall them.
COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt

FROM python:3.11-slim-bookworm AS runtime
ARG MODEL=""
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    TRANSLATOR_DATA_DIR=/data \
    TRANSLATOR_MODEL_DIR=/models \
    HOME=/home/translator
RUN groupadd --gid 10001 translator \
    && useradd --create-home --uid 10001 --gid 10001 translator \
    && mkdir -p /data /models \
    && chown 10001:10001 /data /models
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY app.py ./
COPY translator/ translator/
COPY web/ web/
COPY templates/ templates/
COPY static/ static/
COPY docker/models/ /tmp/models/
USER 10001:10001
RUN if [ -n "$MODEL" ]; then python -m translator models install "/tmp/models/$MODEL"; fi
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/ready', timeout=8)"]
CMD ["gunicorn", "--config", "web/gunicorn_conf.py", "--bind", "0.0.0.0:8000", "app:create_app()"]
