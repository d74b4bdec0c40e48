"""Fake engines for unit tests of pure logic (never for integration tests: those use the real test model)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from translator.engine import Translation
from translator.errors import ModelError
from translator.models import InstalledModel


class FakeEngineForUnitTests:
    """Upper-cases sentences and counts what reaches it; stands in for the model in pure-logic tests."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.model = InstalledModel(Path("/fake"), "fake-model", "1.0", "de", "en")

    def model_for(self, source: str, target: str) -> InstalledModel:
        return self.model

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        self.seen.extend(sentences)
        return [Translation(s.upper()) for s in sentences]

    def pairs(self) -> list[tuple[str, str]]:
        return [("de", "en")]

    def describe(self) -> dict[str, Any]:
        return {"engine": "fake", "beam_size": 1}


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


class RecordingFakeEngineForUnitTests(SlowFakeEngineForUnitTests):
    """Answers at once; records which sentences shared a call."""

    def __init__(self) -> None:
        super().__init__()
        self.gate.set()


class RewritingFakeEngineForUnitTests(FakeEngineForUnitTests):
    """Answers each sentence with ``rewrite(sentence)``: a model that drops, doubles or moves placeholders."""

    def __init__(self, rewrite: Callable[[str], str]) -> None:
        super().__init__()
        self.rewrite = rewrite

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        self.seen.extend(sentences)
        return [Translation(self.rewrite(s)) for s in sentences]
