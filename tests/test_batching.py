"""Cross-request batching (pure logic, with a fake engine): merged calls, results routed back, errors isolated."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_concurrently
from translator.batching import BatchingEngine
from translator.engine import Translation
from translator.errors import ModelError
from translator.models import InstalledModel


class SlowFakeEngineForUnitTests:
    """Records each call's sentences; slow enough that concurrent callers pile up behind a running call."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.model = InstalledModel(Path("/fake"), "fake", "1", "de", "en")
        self.gate = threading.Event()

    def model_for(self, source: str, target: str) -> InstalledModel:
        return self.model

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        self.calls.append(list(sentences))
        if target == "xx":
            raise ModelError("no such pair")
        self.gate.wait(5)
        return [Translation(f"{target}:{s}") for s in sentences]

    def pairs(self) -> list[tuple[str, str]]:
        return [("de", "en")]

    def describe(self) -> dict[str, Any]:
        return {"engine": "fake"}


def test_concurrent_requests_are_merged_and_answered_in_order() -> None:
    fake = SlowFakeEngineForUnitTests()
    engine = BatchingEngine(fake)
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
    engine = BatchingEngine(fake)
    with pytest.raises(ModelError, match="no such pair"):
        engine.translate_batch(["a"], "de", "xx")
    assert [t.text for t in engine.translate_batch(["b"], "de", "en")] == ["en:b"]
    assert engine.translate_batch([], "de", "en") == []
