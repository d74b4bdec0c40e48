"""Request merging (pure logic, with a fake engine): merged calls, results routed back, errors isolated."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from tests.fakes import RecordingFakeEngineForUnitTests, SlowFakeEngineForUnitTests
from tests.helpers import ROOT, run_concurrently
from translator.config import Settings
from translator.errors import ModelError
from translator.merging import MergingEngine


def test_concurrent_requests_are_merged_and_answered_in_order() -> None:
    fake = SlowFakeEngineForUnitTests()
    engine = MergingEngine(fake)
    results: dict[int, list[str]] = {}

    def work(n: int) -> None:
        if n:
            time.sleep(0.2)  # arrive while the first call is running
        results[n] = [t.text for t in engine.translate_batch([f"s{n}a", f"s{n}b"], "de", "en")]

    def open_gate_when_all_wait() -> None:
        deadline = time.monotonic() + 10
        while engine._queue.qsize() < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        fake.gate.set()

    threading.Thread(target=open_gate_when_all_wait).start()
    assert run_concurrently(work, 6) == []
    assert results == {n: [f"en:s{n}a", f"en:s{n}b"] for n in range(6)}
    assert len(fake.calls) == 2, "the five late requests share one engine call"
    assert sorted(fake.calls[1]) == sorted(f"s{n}{x}" for n in range(1, 6) for x in "ab")


def test_an_error_reaches_only_its_own_callers() -> None:
    fake = SlowFakeEngineForUnitTests()
    fake.gate.set()
    engine = MergingEngine(fake)
    with pytest.raises(ModelError, match="no such pair"):
        engine.translate_batch(["a"], "de", "xx")
    assert [t.text for t in engine.translate_batch(["b"], "de", "en")] == ["en:b"]
    assert engine.translate_batch([], "de", "en") == []


def test_a_call_waits_for_requests_still_being_prepared() -> None:
    """Clients arriving together share the first call instead of one going alone and the rest queuing."""
    fake = RecordingFakeEngineForUnitTests()
    engine = MergingEngine(fake)
    announced = threading.Barrier(3)
    results: dict[int, list[str]] = {}

    def work(n: int) -> None:
        with engine.preparing():
            announced.wait(5)  # all three are preparing before anyone submits
            time.sleep(0.1 * n)  # then they finish preparing at different times
            results[n] = [t.text for t in engine.translate_batch([f"s{n}"], "de", "en")]

    assert run_concurrently(work, 3) == []
    assert results == {n: [f"en:s{n}"] for n in range(3)}
    assert len(fake.calls) == 1, f"one shared call expected, got {fake.calls}"
    assert sorted(fake.calls[0]) == ["s0", "s1", "s2"]


def test_a_request_that_never_submits_does_not_hold_the_call() -> None:
    """Preparing without translating (all cache hits, an error) ends the announcement when the block exits."""
    fake = RecordingFakeEngineForUnitTests()
    engine = MergingEngine(fake)
    with engine.preparing():
        pass  # e.g. every sentence came from the cache
    assert engine._preparing == 0
    with engine.preparing():
        assert [t.text for t in engine.translate_batch(["a"], "de", "en")] == ["en:a"]
        assert engine._preparing == 0, "queuing the request ends its announcement"
    assert engine._preparing == 0


def test_gathering_is_bounded_when_a_preparation_hangs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A request stuck in preparation delays a call by at most GATHER_LIMIT_SECONDS, never forever."""
    from translator import merging

    monkeypatch.setattr(merging, "GATHER_LIMIT_SECONDS", 0.2)
    fake = RecordingFakeEngineForUnitTests()
    engine = MergingEngine(fake)
    release = threading.Event()

    def stuck() -> None:
        with engine.preparing():
            release.wait(10)

    threading.Thread(target=stuck).start()
    try:
        while engine._preparing == 0:
            time.sleep(0.01)
        assert [t.text for t in engine.translate_batch(["a"], "de", "en")] == ["en:a"]
        assert engine._preparing == 1, "the stuck request was still preparing when the call ran"
    finally:
        release.set()


def test_nested_announcements_count_once() -> None:
    fake = RecordingFakeEngineForUnitTests()
    engine = MergingEngine(fake)
    with engine.preparing():
        with engine.preparing():
            assert engine._preparing == 1
        assert engine._preparing == 1, "the inner block does not end the outer announcement"
    assert engine._preparing == 0


@pytest.mark.parametrize(
    ("cores", "configured", "expected"),
    [(1, (0, 0), (1, 1)), (2, (0, 0), (2, 1)), (4, (0, 0), (2, 2)), (8, (0, 0), (4, 2)), (8, (1, 0), (1, 8)),
     (2, (1, 2), (1, 2))],
)  # fmt: skip
def test_thread_layout_fills_the_cores(cores: int, configured: tuple[int, int], expected: tuple[int, int]) -> None:
    from translator import Settings

    settings = Settings(inter_threads=configured[0], intra_threads=configured[1])
    assert settings.thread_layout(cores) == expected


def test_sub_batches_keep_every_replica_busy_but_stay_wide_when_merged() -> None:
    from translator.engine import sub_batch_size

    assert sub_batch_size(25, 1, 32) == 32, "one replica: CTranslate2's own batching"
    assert sub_batch_size(25, 2, 32) == 7, "a single article: four sub-batches for two replicas"
    assert sub_batch_size(200, 2, 32) == 16, "eight merged articles: 32 sentences in flight over both replicas"
    assert sub_batch_size(1, 2, 32) == 1


def test_token_budget_bounds_the_tokens_in_flight_not_the_sentences() -> None:
    from translator.engine import sub_batch_tokens

    merged = [40] * 200  # eight merged articles: 8,000 source tokens
    assert sub_batch_tokens(merged, 1, 1024) == 1024, "one replica: the whole budget per sub-batch"
    assert sub_batch_tokens(merged, 2, 1024) == 512, "two replicas: the budget shared, 1,024 tokens in flight"
    assert sub_batch_tokens([40] * 25, 2, 1024) == 250, "a single article: four sub-batches for two replicas"
    assert sub_batch_tokens([300, 300], 2, 1024) == 150, "long sentences: each decoded alone by CTranslate2"
    assert sub_batch_tokens([], 2, 1024) == 1 and sub_batch_tokens([3], 4, 2) == 1


def test_ctranslate2_gets_token_batches_when_a_budget_is_set(settings: Settings) -> None:
    from translator.engine import batching_options

    tokens = batching_options(settings.with_overrides(max_batch_tokens=600), [50] * 40, 2)
    assert tokens == {"max_batch_size": 300, "batch_type": "tokens"}
    sentences = batching_options(settings.with_overrides(max_batch_tokens=0, max_batch_size=32), [1] * 200, 2)
    assert sentences == {"max_batch_size": 16}


def test_thread_layout_counts_the_cores_the_process_may_use() -> None:
    """A worker pinned to one core (taskset, a cpuset) runs one replica of one thread, not one per machine core."""
    script = (
        "import os\n"
        "os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
        "from translator import Settings\n"
        "print(*Settings().thread_layout())\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "1"]
