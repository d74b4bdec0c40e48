"""The sentence cache and the caching engine wrapper, with a fake engine (unit tests of pure logic)."""

from __future__ import annotations

from pathlib import Path

from tests.fakes import FakeEngineForUnitTests
from tests.helpers import run_concurrently
from translator.engine import CachedEngine
from translator.storage.cache import SentenceCache, cache_key


def test_cache_round_trip_and_persistence(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = SentenceCache(path)
    key = cache_key("m@1", "de", "en", "Hallo")
    cache.put_many([(key, "m@1", "de", "en", "Hallo", "Hello")])
    cache.close()
    again = SentenceCache(path)
    assert again.get_many([key, "missing"]) == {key: "Hello"}
    assert len(again) == 1


def test_key_depends_on_model_version_and_sentence() -> None:
    keys = {
        cache_key("m@1", "de", "en", "Hallo"),
        cache_key("m@2", "de", "en", "Hallo"),
        cache_key("m@1", "de", "fr", "Hallo"),
        cache_key("m@1", "de", "en", "Hallo!"),
    }
    assert len(keys) == 4


def test_only_misses_reach_the_engine_and_duplicates_once(tmp_path: Path) -> None:
    fake = FakeEngineForUnitTests()
    engine = CachedEngine(fake, SentenceCache(tmp_path / "c.sqlite3"))
    first = engine.translate_batch(["eins", "zwei", "eins"], "de", "en")
    assert [t.text for t in first] == ["EINS", "ZWEI", "EINS"]
    assert [t.cached for t in first] == [False, False, False]
    assert fake.seen == ["eins", "zwei"]
    second = engine.translate_batch(["zwei", "drei"], "de", "en")
    assert [t.cached for t in second] == [True, False]
    assert fake.seen == ["eins", "zwei", "drei"]


def test_concurrent_writers_do_not_lock(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"

    def work(worker: int) -> None:
        engine = CachedEngine(FakeEngineForUnitTests(), SentenceCache(path))
        for round_ in range(20):
            engine.translate_batch([f"satz {worker} {round_} {i}" for i in range(10)], "de", "en")

    assert run_concurrently(work, 6) == []
    assert len(SentenceCache(path)) == 6 * 20 * 10
