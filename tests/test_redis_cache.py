"""The shared translation cache in Redis (TRANSLATOR_CACHE_URL), against a real redis-server on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.helpers import RedisServer
from translator import Settings, Translator
from translator.cli import main
from translator.document import Document
from translator.errors import ConfigError
from translator.storage import redis_cache
from translator.storage.cache import SentenceCache, open_cache
from translator.storage.redis_cache import RedisCache, redact

SHARED_PARAGRAPH = "Die Regierung hat am Montag ein neues Gesetz beschlossen. Es tritt im Januar in Kraft."


def stable_bytes(document: Document) -> bytes:
    return json.dumps(document.stable_dict(), ensure_ascii=False).encode("utf-8")


def on_redis(settings: Settings, name: str, server: RedisServer) -> Translator:
    return Translator(settings.with_overrides(data_dir=settings.data_dir.parent / name, cache_url=server.url))


def test_two_workers_share_one_redis_and_write_the_same_bytes_as_sqlite(
    settings: Settings, redis_server: RedisServer, seed_text: str
) -> None:
    first, second = on_redis(settings, "first", redis_server), on_redis(settings, "second", redis_server)
    assert isinstance(first.cache, RedisCache) and isinstance(second.cache, RedisCache)
    translated = first.translate_document(seed_text, "de", "en")
    assert not any(sentence.cached for sentence in translated.sentences)
    assert first.cache.misses == len(translated.sentences) and len(first.cache) > 0

    served = second.translate_document(seed_text, "de", "en")  # another data dir: only Redis can know it
    assert served.provenance["served_from"] == "document cache"
    assert served.provenance["cache"] == redis_server.url
    assert all(sentence.cached for sentence in served.sentences)

    mixed = second.translate_document(SHARED_PARAGRAPH + "\n\n" + seed_text.split("\n\n")[0], "de", "en")
    from_seed = {s.source for s in translated.sentences}
    assert [s.cached for s in mixed.sentences] == [s.source in from_seed for s in mixed.sentences]
    assert any(s.cached for s in mixed.sentences) and not all(s.cached for s in mixed.sentences)
    assert second.cache.hits == sum(s.cached for s in mixed.sentences), "sentence hits from the first worker"

    sqlite = Translator(settings.with_overrides(data_dir=settings.data_dir.parent / "sqlite"))
    assert isinstance(sqlite.cache, SentenceCache)
    assert stable_bytes(sqlite.translate_document(seed_text, "de", "en")) == stable_bytes(translated)
    assert stable_bytes(served) == stable_bytes(translated)
    assert not (settings.data_dir.parent / "first" / "cache.sqlite3").exists()


def test_redis_stopped_mid_article_translation_goes_on_and_resumes(
    settings: Settings,
    redis_server: RedisServer,
    seed_text: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 0.0)  # try Redis again on every call
    translator = on_redis(settings, "worker", redis_server)
    assert isinstance(translator.cache, RedisCache) and translator.cache.problem() is None

    def stop_after_first_slice(done: int, total: int) -> None:
        if done == 4:
            redis_server.stop()

    with caplog.at_level(logging.WARNING, logger=redis_cache.__name__):
        document = translator.translate_document(seed_text, "de", "en", progress=stop_after_first_slice,
                                                 progress_slice=4)  # fmt: skip
        assert translator.cache.errors >= 2, "the later slices' lookups and writes failed"
        assert "out of use" in (translator.cache.problem() or "")
        again = translator.translate_document(SHARED_PARAGRAPH, "de", "en")
    baseline = Translator(settings.with_overrides(cache=False)).translate_document(seed_text, "de", "en")
    assert stable_bytes(document) == stable_bytes(baseline)
    assert again.sentences and all(s.translation for s in again.sentences)
    warnings = [record for record in caplog.records if "out of use" in record.getMessage()]
    assert len(warnings) == 1, "logged once, not once per failed call"
    assert redis_server.url.split("//")[1].split("/")[0] in warnings[0].getMessage()

    redis_server.start()  # same port, empty (no persistence)
    assert translator.cache.problem() is None
    translator.translate_document(SHARED_PARAGRAPH, "de", "en")
    assert len(translator.cache) == len(again.sentences), "written to Redis again"


def test_unreachable_redis_from_the_start_is_a_miss_tried_again_later(settings: Settings) -> None:
    from tests.helpers import free_port

    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    translator = Translator(settings.with_overrides(cache_url=url))
    document = translator.translate_document(SHARED_PARAGRAPH, "de", "en")
    assert document.sentences and not any(s.cached for s in document.sentences)
    cache = translator.cache
    assert isinstance(cache, RedisCache)
    errors = cache.errors
    assert errors >= 1 and cache.misses == len(document.sentences)
    cache.get_many(["a", "b"])  # within the retry interval: not tried, still counted
    assert cache.errors == errors + 1


def test_metrics_count_hits_misses_and_errors(make_app: Callable[..., Any], redis_server: RedisServer) -> None:
    client = make_app(cache_url=redis_server.url).test_client()
    payload = {"q": "Die Regierung hat ein Gesetz beschlossen.", "source": "de", "target": "en"}
    assert client.post("/translate", json=payload).status_code == 200
    assert client.post("/translate", json=payload).status_code == 200  # the sentence is in Redis now
    text = client.get("/metrics").get_data(as_text=True)
    assert "translator_cache_hits_total 1.0" in text and "translator_cache_misses_total 1.0" in text
    assert "translator_cache_errors_total 0.0" in text
    redis_server.stop()
    answer = client.post("/translate", json={**payload, "q": "Ein neuer Satz."})
    assert answer.status_code == 200 and answer.get_json()["translatedText"]
    text = client.get("/metrics").get_data(as_text=True)
    assert "translator_cache_misses_total 2.0" in text and "translator_cache_errors_total 0.0" not in text
    ready = client.get("/ready").get_json()
    assert ready["status"] == "degraded" and "Redis" in ready["degraded"]["cache"]
    assert "127.0.0.1" in ready["degraded"]["cache"]


def test_settings_choose_the_cache_and_the_url_is_checked(settings: Settings, redis_server: RedisServer) -> None:
    assert isinstance(open_cache(settings), SentenceCache)
    assert isinstance(open_cache(settings.with_overrides(cache_url=redis_server.url)), RedisCache)
    assert open_cache(settings.with_overrides(cache=False, cache_url=redis_server.url)) is None
    with pytest.raises(ConfigError, match="TRANSLATOR_CACHE_URL"):
        Settings.from_env({"TRANSLATOR_CACHE_URL": "http://cache:6379"})
    assert redact("redis://:s3cret@cache:6379/0") == "redis://***@cache:6379/0"
    assert redact("redis://user:s3cret@cache/1") == "redis://user:***@cache/1"
    assert redact("redis://cache:6379/0") == "redis://cache:6379/0"


def test_entries_are_plain_strings_without_expiry(redis_server: RedisServer) -> None:
    """An operator can inspect and evict entries with redis-cli: one string key per sentence."""
    cache = RedisCache(redis_server.url)
    cache.put_many([("k1", "m@1", "de", "en", "Hallo", "Hello")])
    import redis

    raw = redis.Redis.from_url(redis_server.url, decode_responses=True)
    assert raw.get(redis_cache.SENTENCE_PREFIX + "k1") == "Hello" and raw.ttl(redis_cache.SENTENCE_PREFIX + "k1") == -1
    assert cache.get_many(["k1", "k2"]) == {"k1": "Hello"} and (cache.hits, cache.misses) == (1, 1)
    raw.close()
    cache.close()


def test_dry_run_counts_sentences_in_the_redis_cache_as_done(
    settings: Settings, redis_server: RedisServer, seed_text: str, model_dir: Path, tmp_path: Path
) -> None:
    """A batch machine with TRANSLATOR_CACHE_URL plans against Redis, not an empty local SQLite file."""
    on_redis(settings, "worker", redis_server).translate_document(seed_text, "de", "en")
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "seed.txt").write_text(seed_text, encoding="utf-8")
    data = tmp_path / "batch-data"
    env = {"TRANSLATOR_DATA_DIR": str(data), "TRANSLATOR_MODEL_DIR": str(model_dir),
           "TRANSLATOR_CACHE_URL": redis_server.url}  # fmt: skip
    result = CliRunner().invoke(main, ["batch", str(articles), "--out", str(tmp_path / "out"), "--dry-run"], env=env)
    assert result.exit_code == 0, result.output
    counts = re.search(r"in (\d+) sentences; (\d+) of those sentences are already in the sentence cache", result.output)
    assert counts is not None, result.output
    assert int(counts.group(1)) > 0 and counts.group(1) == counts.group(2), result.output
    assert "0 need the model" in result.output
    assert not (data / "cache.sqlite3").exists()
