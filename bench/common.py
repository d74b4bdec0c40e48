"""Shared pieces of the benchmarks: the model under test, the texts, timing and reporting."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TEST_MODEL = ROOT / ".cache" / "test-model" / "translate-de_en-test.argosmodel"
SEED = FIXTURES / "alibaba_de.txt"


def isolate_state() -> Path:
    """Point every data/cache directory at a fresh temp dir before argostranslate is imported."""
    home = Path(tempfile.mkdtemp(prefix="translator-bench-"))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(home / name.lower())
    os.environ["TRANSLATOR_DATA_DIR"] = str(home / "data")
    os.environ["ARGOS_PACKAGES_DIR"] = str(home / "models")
    return home


def model_file(path: str | None) -> Path:
    """The package to benchmark: the given file, or the test model (built if missing)."""
    if path:
        return Path(path)
    if not TEST_MODEL.exists():
        subprocess.run([sys.executable, str(ROOT / "tools" / "build_test_model.py"), str(TEST_MODEL)], check=True)
    return TEST_MODEL


def german_texts() -> dict[str, str]:
    """The seed article, and a longer article made of every German fixture (the seed repeated to ~10x)."""
    seed = SEED.read_text(encoding="utf-8")
    others = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*_de.*")) if p != SEED]
    long_parts = [seed, *others]
    while sum(len(p) for p in long_parts) < 10 * len(seed):
        long_parts.append(seed.replace("Alibaba", f"Alibaba {len(long_parts)}"))
    return {"seed": seed, "long": "\n\n".join(long_parts)}


def word_count(text: str) -> int:
    return len(text.split())


def timed_rounds(functions: dict[str, Callable[[], Any]], repeat: int) -> dict[str, list[float]]:
    """Wall-clock seconds of each run, the paths taking turns (one run of each per round).

    This machine's speed drifts by tens of percent over minutes; interleaving makes the
    drift hit every path alike, so the ratios between paths stay fair.
    """
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            started = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - started)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version()}


def report(name: str, figures: dict[str, Any]) -> None:
    """The last line of every benchmark: one JSON object, for RESULTS.md and for scripts."""
    print(json.dumps({"benchmark": name, "machine": machine(), **figures}, ensure_ascii=False))
