"""Server benchmarks: cold start, latency under concurrent load, and memory, against the real gunicorn setup.

Starts gunicorn with the production config (web/gunicorn_conf.py) on a free localhost port,
drives ``POST /translate`` and ``POST /api/v1/documents`` with 1, 4 and 8 concurrent
clients (a fixed number of requests each), with the sentence cache off and on, and
compares the server's peak memory with a bare Python process that only loads the
CTranslate2 model. Traffic goes to 127.0.0.1 only.
Usage: python bench/server.py [--model PATH.argosmodel] [--requests N]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, SEED, isolate_state, model_file, report
from translator.cli.serve import gunicorn_command

CONCURRENCY = (1, 4, 8)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def post(url: str, body: dict[str, Any]) -> tuple[int, float, dict[str, Any]]:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            payload = json.loads(response.read())
            status = response.status
    except urllib.error.HTTPError as error:
        payload, status = {"error": error.read().decode(errors="replace")}, error.code
    return status, time.perf_counter() - started, payload


def rss_kib(pid: int, field: str = "VmHWM") -> int:
    """Peak (VmHWM) or current (VmRSS) resident memory of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class Server:
    """gunicorn 'app:create_app()' with the project's config, in its own process group."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        started = time.perf_counter()
        self.process = subprocess.Popen(
            gunicorn_command(f"127.0.0.1:{self.port}"),  # what `translator serve` runs
            cwd=ROOT, env={**env, "TRANSLATOR_RATE_LIMIT": ""}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.cold_start = self._wait_ready(started)

    def _wait_ready(self, started: float) -> float:
        while time.perf_counter() - started < 120:
            try:
                with urllib.request.urlopen(self.url + "/ready", timeout=5) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.05)
        raise RuntimeError("server did not become ready in 120 s")

    def worker_peak_kib(self) -> int:
        return sum(rss_kib(pid) for pid in children(self.process.pid))

    def worker_cpu_seconds(self) -> float:
        """CPU time used by the worker processes: unlike wall time, barely changed by other load on the machine."""
        return cpu_seconds(children(self.process.pid))

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


def load(url: str, body: dict[str, Any], clients: int, requests: int) -> tuple[list[float], float]:
    """`requests` requests from `clients` concurrent clients: each latency, and the elapsed time."""
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(lambda _: post(url, body), range(requests)))
    elapsed = time.perf_counter() - started
    failures = [r for r in results if r[0] not in (200, 201)]
    if failures:
        raise RuntimeError(f"{len(failures)} failed requests, first: {failures[0][0]} {str(failures[0][2])[:300]}")
    return [r[1] for r in results], elapsed


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of processes so far (from /proc/PID/stat)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def load_levels(
    server: Server, path: str, body: dict[str, Any], requests: int, rounds: int
) -> dict[int, dict[str, float]]:
    """Every concurrency level, taking turns for `rounds` rounds (this machine's speed drifts over
    minutes; alternating makes the drift hit every level alike); percentiles over all rounds, and
    how many cores the server kept busy (its CPU time over the wall time)."""
    latencies: dict[int, list[float]] = {clients: [] for clients in CONCURRENCY}
    elapsed = dict.fromkeys(CONCURRENCY, 0.0)
    cpu = dict.fromkeys(CONCURRENCY, 0.0)
    workers = children(server.process.pid)
    for _ in range(rounds):
        for clients in CONCURRENCY:
            before = cpu_seconds(workers)
            times, seconds = load(server.url + path, body, clients, requests)
            cpu[clients] += cpu_seconds(workers) - before
            latencies[clients] += times
            elapsed[clients] += seconds
    results = {}
    for clients, times in latencies.items():
        quantiles = statistics.quantiles(sorted(times), n=100, method="inclusive")
        results[clients] = {
            "p50_ms": round(quantiles[49] * 1000, 1),
            "p95_ms": round(quantiles[94] * 1000, 1),
            "p99_ms": round(quantiles[98] * 1000, 1),
            "requests_per_second": round(len(times) / elapsed[clients], 2),
            "cores_busy": round(cpu[clients] / elapsed[clients], 2),
        }
    return results


BARE = """
import pathlib, sys
import ctranslate2, pysbd, sentencepiece
package, text_file, batch_type = sys.argv[1], sys.argv[2], sys.argv[3]
copies, beam, replicas, threads, batch = map(int, sys.argv[4:])
package = pathlib.Path(package)
translator = ctranslate2.Translator(str(package / "model"), device="cpu", compute_type="int8",
                                    inter_threads=replicas, intra_threads=threads)
if copies:
    sp = sentencepiece.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
    text = pathlib.Path(text_file).read_text().replace("\\n", " ")
    sentences = [s.strip() for s in pysbd.Segmenter(language="de", clean=False).segment(text) if s.strip()]
    batch_text = sentences[:1] if copies < 0 else sentences * copies
    tokens = sorted((sp.encode(s, out_type=str) for s in batch_text), key=len, reverse=True)
    translator.translate_batch(tokens, beam_size=beam, max_batch_size=batch, batch_type=batch_type)
status = pathlib.Path("/proc/self/status").read_text()
print(status.split("VmHWM:")[1].split()[0])
"""


def bare_model_peak_kib(
    package: Path, copies: int, beam_size: int, layout: tuple[int, int, int] = (1, 0, 32), batch_type: str = "examples"
) -> int:
    """A Python process with CTranslate2 alone: load the model, then translate `copies` x the seed in one call.

    copies 0: translate nothing; -1: one sentence (what the server's /ready does before it answers).
    layout: (replicas, threads per replica, sub-batch size in ``batch_type`` units: sentences or tokens);
    the default is CTranslate2's own defaults.
    """
    command = [sys.executable, "-c", BARE, str(package), str(SEED), batch_type, str(copies), str(beam_size),
               *map(str, layout)]  # fmt: skip
    return int(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def seed_sentences() -> list[str]:
    """The seed article's sentences as our segmenter cuts them (what a request sends to the engine)."""
    from translator.segment import parse_article

    return [s.source for block in parse_article(SEED.read_text(encoding="utf-8")) for s in block.sentences]


def raw_merging(settings: Any, rounds: int) -> dict[str, float]:
    """What any server could do here: raw CTranslate2 (our thread layout and sub-batches, no Python
    around it) on one seed and on 8 seeds in one call, taking turns; and the fair-share ratio those
    two give, computed like the servers' (8 seeds' time / (1.5 x one seed's x 8 / cores))."""
    from bench.throughput import ceiling
    from translator.engine import ArgosEngine

    loaded = ArgosEngine(settings).load("de", "en")
    sentences = seed_sentences()
    times: dict[int, list[float]] = {1: [], 8: []}
    for _ in range(max(rounds, 2)):
        for copies in times:
            started = time.perf_counter()
            ceiling(loaded.translator, loaded.tokenizer, sentences * copies, settings.beam_size, settings)
            times[copies].append(time.perf_counter() - started)
    one, eight = statistics.median(times[1]), statistics.median(times[8])
    cores = os.cpu_count() or 1
    return {"one_seed_s": round(one, 3), "eight_seeds_s": round(eight, 3),
            "eight_over_fair_share": round(eight / (1.5 * one * 8 / cores), 2)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="an .argosmodel file (default: the tiny test model)")
    parser.add_argument("--requests", type=int, default=24, help="requests per concurrency level and round")
    parser.add_argument("--rounds", type=int, default=1, help="rounds in which the levels take turns")
    parser.add_argument("--endpoints", default="translate,documents", help="comma-separated: translate, documents")
    args = parser.parse_args()
    isolate_state()
    from translator import Settings
    from translator.models import install_from_file

    settings = Settings.from_env()
    model = install_from_file(model_file(args.model), settings.resolved_model_dir)
    seed = SEED.read_text(encoding="utf-8")
    bodies = {
        "translate": ("/translate", {"q": seed, "source": "de", "target": "en", "format": "text"}),
        "documents": ("/api/v1/documents", {"text": seed, "source": "auto", "target": "en"}),
    }
    bodies = {name: bodies[name] for name in args.endpoints.split(",")}
    figures: dict[str, Any] = {
        "model": model.key, "requests": args.requests, "rounds": args.rounds, "cores": os.cpu_count()
    }  # fmt: skip
    for cache in ("off", "on"):
        server = Server({**os.environ, "TRANSLATOR_CACHE": cache})
        figures[f"cold_start_seconds_cache_{cache}"] = round(server.cold_start, 3)
        figures[f"worker_peak_kib_after_ready_cache_{cache}"] = server.worker_peak_kib()
        try:
            for name, (path, body) in bodies.items():
                post(server.url + path, body)  # warm the code path (and, with the cache on, the cache)
                for clients, result in load_levels(server, path, body, args.requests, args.rounds).items():
                    figures[f"{name}_cache_{cache}_c{clients}"] = result
                    print(f"cache {cache:<3} {name:<10} {clients} clients: {result}")
            if cache == "on" and "documents" in bodies:
                _, seconds, payload = post(server.url + "/api/v1/documents", bodies["documents"][1])
                figures["warm_document_server_ms"] = payload["document"]["timings"]["total_ms"]
                figures["warm_document_client_ms"] = round(seconds * 1000, 1)
            figures[f"worker_peak_kib_after_load_cache_{cache}"] = server.worker_peak_kib()
        finally:
            server.stop()
    bare_loaded = bare_model_peak_kib(model.path, 0, settings.beam_size)
    bare_ready = bare_model_peak_kib(model.path, -1, settings.beam_size)
    bare_working = bare_model_peak_kib(model.path, max(CONCURRENCY), settings.beam_size)
    from translator.engine import ArgosEngine, batching_options

    replicas, threads = settings.thread_layout()
    tokenizer = ArgosEngine(settings).load("de", "en").tokenizer
    merged = [len(tokenizer.encode(s)) for s in seed_sentences()] * max(CONCURRENCY)
    options = batching_options(settings, merged, replicas)
    ours = (replicas, threads, options["max_batch_size"])
    batch_type = options.get("batch_type", "examples")
    bare_working_ours = bare_model_peak_kib(model.path, max(CONCURRENCY), settings.beam_size, ours, batch_type)
    figures["bare_ctranslate2_peak_kib_translating_8_seeds_our_layout"] = bare_working_ours
    figures["bare_ctranslate2_peak_kib_loaded"] = bare_loaded
    figures["bare_ctranslate2_peak_kib_one_sentence"] = bare_ready
    figures["bare_ctranslate2_peak_kib_translating_8_seeds"] = bare_working
    ready = max(figures["worker_peak_kib_after_ready_cache_off"], figures["worker_peak_kib_after_ready_cache_on"])
    loaded = max(figures["worker_peak_kib_after_load_cache_off"], figures["worker_peak_kib_after_load_cache_on"])
    figures["rss_ratio_ready_over_bare_loaded"] = round(ready / bare_loaded, 2)
    figures["rss_ratio_ready_over_bare_one_sentence"] = round(ready / bare_ready, 2)
    figures["rss_ratio_after_load_over_bare_translating"] = round(loaded / bare_working, 2)
    figures["rss_ratio_after_load_over_bare_translating_our_layout"] = round(loaded / bare_working_ours, 2)
    cores = os.cpu_count() or 1
    for name in bodies:
        single, eight = figures[f"{name}_cache_off_c1"], figures[f"{name}_cache_off_c8"]
        bound = 1.5 * single["p50_ms"] * (8 / cores)
        figures[f"{name}_p95_c8_over_fair_share"] = round(eight["p95_ms"] / bound, 2)
        figures[f"{name}_rps_c8_over_c1"] = round(eight["requests_per_second"] / single["requests_per_second"], 2)
    figures["raw_ctranslate2_merging"] = raw_merging(settings, args.rounds)
    print(f"raw CTranslate2, 1 seed vs 8 seeds in one call: {figures['raw_ctranslate2_merging']}")
    print(f"cold start (cache off): {figures['cold_start_seconds_cache_off']} s")
    print(f"server RSS after /ready / bare CTranslate2 (loaded): {figures['rss_ratio_ready_over_bare_loaded']}")
    print(
        f"server RSS after /ready / bare CTranslate2 (loaded, one sentence translated): "
        f"{figures['rss_ratio_ready_over_bare_one_sentence']}"
    )
    print(
        f"server peak RSS under load / bare CTranslate2 translating 8 seeds: "
        f"{figures['rss_ratio_after_load_over_bare_translating']}"
    )
    print(
        f"server peak RSS under load / bare CTranslate2 with our thread layout translating 8 seeds: "
        f"{figures['rss_ratio_after_load_over_bare_translating_our_layout']}"
    )
    report("server", figures)


if __name__ == "__main__":
    main()
