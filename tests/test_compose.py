"""docker-compose.yml: web, scalable workers, a persistent broker and an evicting cache, wired consistently.

There is no Docker daemon here, so `docker compose config` cannot run: the file is parsed as YAML (merge
keys resolved as compose resolves them) and its wiring is checked against the code. The worker's command
is the one tests/test_celery_jobs.py starts (``tests.helpers.start_worker``), two at a time against a
real redis-server, one of them SIGKILLed mid-article: that test replays it, this one does not again.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from click.testing import CliRunner

from tests.helpers import ROOT
from translator.cli import main
from translator.config import Settings, env_name

COMPOSE = ROOT / "docker-compose.yml"
# What a worker must share with the web server (task ids and the broker's redelivery depend on them).
SHARED = ("BROKER_URL", "BROKER_VISIBILITY_TIMEOUT", "CACHE_URL", "BEAM_SIZE", "COMPUTE_TYPE", "MAX_BATCH_TOKENS")


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    parsed = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return dict(parsed["services"])


def _command(service: dict[str, Any]) -> list[str]:
    command = service.get("command", [])
    return command.split() if isinstance(command, str) else [str(part) for part in command]


def _option(command: list[str], name: str) -> str | None:
    """The value after ``--name`` in a redis-server command line."""
    return command[command.index(name) + 1] if name in command else None


def _service_of(url: str, services: dict[str, Any]) -> dict[str, Any]:
    host = urlsplit(url).hostname
    assert host in services, f"{url} names no service of docker-compose.yml"
    return services[str(host)]


def test_only_nginx_publishes_a_port(services: dict[str, Any]) -> None:
    assert {"web", "worker", "redis", "cache", "nginx"} <= set(services)
    assert [name for name, service in services.items() if service.get("ports")] == ["nginx"]
    assert services["nginx"]["environment"]["TRANSLATOR_UPSTREAM"] == "web:8000"


def test_every_translator_variable_is_a_setting(services: dict[str, Any]) -> None:
    known = {env_name(spec.name) for spec in fields(Settings)}
    used = {name for service in services.values() for name in service.get("environment") or {}}
    assert {name for name in used if name.startswith("TRANSLATOR_")} - {"TRANSLATOR_UPSTREAM"} <= known


def test_web_and_workers_share_the_broker_model_and_decoding_settings(services: dict[str, Any]) -> None:
    web, worker = services["web"]["environment"], services["worker"]["environment"]
    for name in SHARED:
        assert web[f"TRANSLATOR_{name}"] == worker[f"TRANSLATOR_{name}"], name
    restated = [name for name in SHARED if "URL" not in name and web[f"TRANSLATOR_{name}"] is not None]
    assert not restated, f"defaults live in translator/config.py; pass these through without a value: {restated}"
    assert services["web"]["image"] == services["worker"]["image"] and services["worker"].get("build")
    assert "translator-models:/models" in services["web"]["volumes"] + services["worker"]["volumes"]
    assert "translator-models:/models" in services["worker"]["volumes"]


def test_the_worker_runs_our_worker_command_unpublished_with_its_own_data(services: dict[str, Any]) -> None:
    worker = services["worker"]
    command = _command(worker)
    assert command[:3] == ["python", "-m", "translator"]
    result = CliRunner().invoke(main, [*command[3:], "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output, result.output
    assert not worker.get("ports") and not worker.get("expose")
    assert not any(str(volume).endswith(":/data") for volume in worker.get("volumes", [])), "a shared /data"
    assert "container_name" not in worker, "a fixed container name cannot be scaled"
    assert worker["healthcheck"] == {"disable": True}  # the image's check asks gunicorn, which a worker lacks


def test_the_broker_persists_and_never_evicts(services: dict[str, Any]) -> None:
    broker = _service_of(services["web"]["environment"]["TRANSLATOR_BROKER_URL"], services)
    command = _command(broker)
    assert command[0] == "redis-server" and broker["image"].startswith("redis:")
    assert _option(command, "--appendonly") == "yes"
    assert _option(command, "--maxmemory-policy") in (None, "noeviction")
    assert any(str(volume).endswith(":/data") for volume in broker["volumes"])
    assert not broker.get("ports")


def test_the_cache_is_another_redis_that_evicts(services: dict[str, Any]) -> None:
    environment = services["web"]["environment"]
    broker_host = urlsplit(environment["TRANSLATOR_BROKER_URL"]).hostname
    cache = _service_of(environment["TRANSLATOR_CACHE_URL"], services)
    assert urlsplit(environment["TRANSLATOR_CACHE_URL"]).hostname != broker_host, "LRU would evict queued jobs"
    command = _command(cache)
    assert _option(command, "--maxmemory-policy") == "allkeys-lru" and _option(command, "--maxmemory")
    assert not cache.get("ports")
