"""Scaling out: articles per minute in process and on 1 and 2 Celery workers (one core each), in one run.

The same German articles (the seed, the Markdown fixture and the articles extracted from the saved web
pages in tests/fixtures/web, as the batch CLI reads them) go through the job-backend interface
(``translator.jobs.job_backend``: submit, poll ``state``, ``forget``), the way the batch CLI does:

- embedded, whole machine: this machine's default thread layout (the baseline of 2 workers);
- embedded, one core: pinned to core 0, 1 CTranslate2 replica of 1 thread (the baseline of 1 worker);
- celery, 1 worker: ``python -m translator worker`` pinned to core 0, 1 replica of 1 thread;
- celery, 2 workers: the same on cores 0 and 1, separate data directories.

The sentence (and document) cache is off everywhere, every configuration gets fresh data directories and
the broker is emptied between configurations, so no configuration finds another's work. Embedded runs in a
child process (pinned with sched_setaffinity like ``taskset -c 0``); the model is loaded before the clock
starts in every configuration. Articles are submitted longest first (a million-article batch has no tail;
a twenty-article one would otherwise end on one worker).

Also measured: the broker's overhead for a one-sentence task (round trip through Celery minus the time
the worker spent in the task, from its log: same process and core; and minus the same text translated
directly in the embedded one-core process, which differs from the worker by more than the broker does),
peak RSS (VmHWM) of each worker, and what scaling past one machine costs the broker and the submitter
(Redis commands, bytes and CPU per article, task and result size, the submitter's writes per document).
Real redis-server on a free port (append-only, fsync every second, as docker-compose.yml runs it);
traffic stays on 127.0.0.1.
Usage: python bench/scaling.py [--model PATH.argosmodel] [--articles 24] [--max-chars 5000] [--short 12]
       python bench/scaling.py --slicing ROUNDS [--articles N]   # only: one call against the worker's slices
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import FIXTURES, ROOT, SEED, isolate_state, model_file, report

BENCH_MODEL = ROOT / ".cache" / "test-model" / "translate-de_en-bench.argosmodel"
ONE_CORE = {"TRANSLATOR_INTER_THREADS": "1", "TRANSLATOR_INTRA_THREADS": "1"}
SUCCEEDED = re.compile(r"Task translator\.translate_article\[(article-[0-9a-f]+)\] succeeded in ([0-9.e-]+)s")
TIGHT_POLL = 0.001  # seconds between state reads when timing the broker's round trip itself


def load_articles(count: int, max_chars: int) -> list[tuple[str, dict[str, Any]]]:
    """(name, ArticleRequest dict): the seed, the Markdown fixture, then extracted web pages (name order) up to
    ``max_chars`` characters each."""
    from translator.jobs import ArticleRequest
    from translator.sources import read_article

    found = [(p.name, read_article(p.read_bytes(), p.name)) for p in sorted(FIXTURES.glob("*_de.md"))]
    for page in sorted((FIXTURES / "web" / "pages").glob("*.html")):
        found.append((page.name, read_article(page.read_bytes(), page.name)))
    seed = (SEED.name, read_article(SEED.read_bytes(), SEED.name))  # always in: the reference article
    chosen = [seed, *[(name, a) for name, a in found if len(a.text) <= max_chars][: count - 1]]
    requests = [(name, ArticleRequest(a.text, "auto", "en", a.metadata).to_dict()) for name, a in chosen]
    return sorted(requests, key=lambda item: -len(item[1]["text"]))


def short_texts(count: int) -> list[str]:
    """One-sentence texts (a /translate-sized request), each different so no task id repeats."""
    from translator.segment import parse_article

    sentences = [s.source for b in parse_article(SEED.read_text(encoding="utf-8")) for s in b.sentences]
    return [s for s in sentences if 60 <= len(s) <= 200][:count]


def run_jobs(backend: Any, translator: Any, articles: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Submit every article, poll as the batch CLI does, collect: seconds, documents, state reads."""
    from translator.jobs import ArticleRequest, task_id_for
    from translator.jobs.base import DONE

    requests = [ArticleRequest.from_dict(request) for _, request in articles]
    ids = [task_id_for(translator, request) for request in requests]
    assert len(set(ids)) == len(ids), "two articles are the same task"
    started = time.perf_counter()
    for task_id, request in zip(ids, requests, strict=True):
        backend.submit(task_id, request)
    pending, documents, reads = set(ids), {}, 0
    while pending:
        for task_id in sorted(pending):
            state = backend.state(task_id)
            reads += 1
            if state.finished:
                assert state.state == DONE, state.error
                documents[task_id] = state.document
                backend.forget(task_id)
                pending.discard(task_id)
        if pending:
            time.sleep(backend.poll_interval)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "documents": documents, "reads": reads, "ids": ids}


def fingerprint(documents: dict[str, Any]) -> str:
    """One hash of every document's stable part (no timings): equal outputs, equal hash."""
    from translator.document import Document

    digest = hashlib.sha256()
    for task_id in sorted(documents):
        stable = Document.from_dict(documents[task_id]).stable_dict()
        digest.update(json.dumps(stable, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


def peak_kib(pid: int | str = "self") -> int:
    """VmHWM: the process's peak resident set, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pinned_to(pid: int) -> list[int]:
    """The cores every thread of the process may run on (one list when all agree)."""
    sets = {tuple(sorted(os.sched_getaffinity(int(t.name)))) for t in Path(f"/proc/{pid}/task").iterdir()}
    assert len(sets) == 1, f"threads of {pid} differ in affinity: {sets}"
    return list(sets.pop())


# --- embedded: a child process, this script with --child ----------------------------------------


def child(spec_path: Path) -> None:
    """Embedded configuration: the articles through the in-process backend, then the short texts directly."""
    from translator import Settings, Translator
    from translator.jobs import job_backend

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    settings = Settings.from_env(cache=False)
    translator = Translator(settings)
    translator.translate_document("Ein kurzer Satz zum Aufwärmen.")  # model and language profiles load here
    backend = job_backend(settings, translator, workers=1)
    run = run_jobs(backend, translator, spec["articles"])
    backend.close()
    direct = []
    for text in spec["short"]:
        started = time.perf_counter()
        translator.translate_document(text)
        direct.append(time.perf_counter() - started)
    result = {
        "seconds": run["seconds"], "peak_kib": peak_kib(), "direct": direct, "layout": settings.thread_layout(),
        "cores": sorted(os.sched_getaffinity(0)), "outputs": fingerprint(run["documents"]),
    }  # fmt: skip
    print(json.dumps(result))


def slicing(count: int, max_chars: int, rounds: int) -> None:
    """One core, in process: an article in one call (the embedded backend) against slices of PROGRESS_SLICE
    sentences with a partial document every PARTIAL_INTERVAL s (what a worker's task does), taking turns."""
    from translator import Settings, Translator
    from translator.jobs import PARTIAL_INTERVAL, PROGRESS_SLICE, ArticleRequest

    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    translator = Translator(Settings.from_env(cache=False, inter_threads=1, intra_threads=1))
    translator.translate_document("Ein kurzer Satz zum Aufwärmen.")
    requests = [ArticleRequest.from_dict(request) for _, request in load_articles(count, max_chars)]
    last = [0.0]

    def partial(document: Any, done: int, total: int) -> None:
        if time.monotonic() - last[0] >= PARTIAL_INTERVAL:
            json.dumps(document.to_dict())
            last[0] = time.monotonic()

    times: dict[str, list[float]] = {"one call": [], f"slices of {PROGRESS_SLICE}": []}
    for _ in range(rounds):
        for name in times:
            started = time.perf_counter()
            for request in requests:
                if name == "one call":
                    translator.translate_document(request.text, request.source, request.target)
                else:
                    translator.translate_document(
                        request.text, request.source, request.target, lambda d, t: None, PROGRESS_SLICE, partial
                    )
            times[name].append(time.perf_counter() - started)
    for name, series in times.items():
        print(f"{name:<14} {[round(t, 1) for t in series]} s, median {statistics.median(series):.1f} s")
    ratio = statistics.median(times["one call"]) / statistics.median(times[f"slices of {PROGRESS_SLICE}"])
    print(f"sliced speed / one call = {ratio:.2f} ({len(requests)} articles, one core)")
    report("scaling-slices", {"articles": len(requests), "seconds": times, "sliced_over_one_call": round(ratio, 2)})


def run_embedded(spec: Path, env: dict[str, str], cores: set[int] | None) -> dict[str, Any]:
    pin = (lambda: os.sched_setaffinity(0, cores)) if cores else None
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(spec)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, preexec_fn=pin, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --- Celery: real redis-server and worker processes ----------------------------------------------


class Workers:
    """``python -m translator worker`` processes, each pinned to one core, each with its own data directory."""

    def __init__(self, cores: list[int], base: Path, env: dict[str, str]) -> None:
        from tests.helpers import start_worker, wait_until_ready

        self.logs = {f"w{core}": base / f"w{core}.log" for core in cores}
        self.processes = {
            f"w{core}": start_worker(f"w{core}", base / f"w{core}", env, base / f"w{core}.log", cpus={core})
            for core in cores
        }
        wait_until_ready(self.processes, self.logs, seconds=180)
        self.pinning = {name: pinned_to(process.pid) for name, process in self.processes.items()}
        for name, core in zip(self.processes, cores, strict=True):
            assert self.pinning[name] == [core], self.pinning

    def peaks_kib(self) -> dict[str, int]:
        return {name: peak_kib(process.pid) for name, process in self.processes.items()}

    def stop(self) -> None:
        from tests.helpers import stop_processes

        stop_processes(self.processes.values(), seconds=30)


def task_runtimes(log: Path, ids: list[str]) -> dict[str, float]:
    """Task id -> seconds the worker spent in the task (Celery's "succeeded in" line, logged after the result)."""
    deadline = time.monotonic() + 30
    while True:
        found = {task_id: float(seconds) for task_id, seconds in SUCCEEDED.findall(log.read_text(errors="replace"))}
        if set(ids) <= set(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def redis_counters(client: Any) -> dict[str, float]:
    stats = client.info("stats")
    return {
        "commands": float(stats["total_commands_processed"]),
        "bytes_in": float(stats["total_net_input_bytes"]),
        "bytes_out": float(stats["total_net_output_bytes"]),
    }


def round_trips(backend: Any, translator: Any, texts: list[str], poll: float) -> dict[str, float]:
    """Task id -> seconds from submit to a finished state read, per one-sentence task (state read every ``poll`` s)."""
    from translator.jobs import ArticleRequest, task_id_for

    times = {}
    for text in texts:
        request = ArticleRequest(text)
        task_id = task_id_for(translator, request)
        started = time.perf_counter()
        backend.submit(task_id, request)
        while not backend.state(task_id).finished:
            time.sleep(poll)
        times[task_id] = time.perf_counter() - started
        backend.forget(task_id)
    return times


def submitter_writes(translator: Any, documents: dict[str, Any], base: Path) -> dict[str, float]:
    """Median ms per document of what a submitter writes: the batch CLI's outputs + manifest, the web store."""
    from translator.batch.manifest import Manifest
    from translator.document import Document
    from translator.exports import render
    from translator.storage.documents import DocumentStore
    from translator.textio import write_atomic

    out = base / "out"
    out.mkdir()
    manifest, _ = Manifest.load(out)
    store = DocumentStore(base / "documents.sqlite3")
    batch, web = [], []
    for number, (task_id, data) in enumerate(sorted(documents.items())):
        document = Document.from_dict(data)
        started = time.perf_counter()
        for fmt in ("html", "json"):  # the batch CLI's default formats
            write_atomic(out / f"{number}.{fmt}", render(document, fmt).content)
        manifest.record(task_id, {"status": "done", "outputs": [f"{number}.html", f"{number}.json"]})
        batch.append(time.perf_counter() - started)
        doc_id = store.create("text", "auto", "en")
        started = time.perf_counter()
        store.finish(doc_id, document)
        web.append(time.perf_counter() - started)
    manifest.fold()
    store.close()
    return {"batch_ms": 1000 * statistics.median(batch), "web_store_ms": 1000 * statistics.median(web)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="an .argosmodel file (default: the bench model, else the test model)")
    parser.add_argument("--articles", type=int, default=24, help="articles per configuration")
    parser.add_argument("--max-chars", type=int, default=5000, help="leave out longer articles")
    parser.add_argument("--short", type=int, default=12, help="one-sentence tasks for the broker's overhead")
    parser.add_argument("--slicing", type=int, default=0, metavar="ROUNDS",
                        help="only compare one call with the worker's slices, in process on one core")  # fmt: skip
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    if args.slicing:
        home = isolate_state()
        from translator.models import install_from_file

        os.environ["TRANSLATOR_MODEL_DIR"] = str(home / "models-installed")
        install_from_file(model_file(args.model or str(BENCH_MODEL)), home / "models-installed")
        slicing(args.articles, args.max_chars, args.slicing)
        return
    cores = sorted(os.sched_getaffinity(0))
    assert len(cores) >= 2, "two cores are needed (one per worker)"
    home = isolate_state()
    import redis

    from tests.helpers import RedisServer
    from translator import Settings, Translator
    from translator.jobs.celery_backend import CeleryBackend
    from translator.models import install_from_file

    base_env = {k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")}
    model_dir = home / "models-installed"
    model = install_from_file(model_file(args.model or (str(BENCH_MODEL) if BENCH_MODEL.exists() else None)), model_dir)
    base_env.update(TRANSLATOR_MODEL_DIR=str(model_dir), TRANSLATOR_CACHE="off", PYTHONPATH=str(ROOT))
    articles = load_articles(args.articles, args.max_chars)
    warm_up, texts = short_texts(args.short + 2)[:2], short_texts(args.short + 2)[2:]
    chars = sum(len(request["text"]) for _, request in articles)
    print(f"{len(articles)} articles, {chars} characters; {len(texts)} one-sentence texts; model {model.key}")
    spec = home / "spec.json"
    spec.write_text(json.dumps({"articles": articles, "short": texts}), encoding="utf-8")

    results: dict[str, dict[str, Any]] = {}
    for name, extra, pin in (("embedded, whole machine", {}, None), ("embedded, one core", ONE_CORE, {cores[0]})):
        env = {**base_env, **extra, "TRANSLATOR_DATA_DIR": str(Path(tempfile.mkdtemp(dir=home)))}
        results[name] = run_embedded(spec, env, pin)
        print(f"  {name}: {results[name]['seconds']:.1f} s, layout {results[name]['layout']}, "
              f"cores {results[name]['cores']}, peak {results[name]['peak_kib'] / 1024:.0f} MiB")  # fmt: skip

    broker = RedisServer(home / "redis", persistent=False).start()
    assert broker.process is not None
    redis_pid = broker.process.pid
    client = redis.Redis.from_url(broker.url)
    client.config_set("appendonly", "yes")  # as docker-compose.yml: append-only, fsync every second
    client.config_set("appendfsync", "everysec")
    settings = Settings.from_env(base_env, cache=False, broker_url=broker.url, data_dir=home / "submitter")
    submitter = Translator(settings)
    backend = CeleryBackend(settings)
    worker_env = {**base_env, **ONE_CORE, "TRANSLATOR_BROKER_URL": broker.url}
    documents: dict[str, Any] = {}
    broker_figures: dict[str, Any] = {}
    try:
        for count in (1, 2):
            name = f"celery, {count} worker{'s' if count > 1 else ''}"
            client.flushall()
            workers = Workers(cores[:count], Path(tempfile.mkdtemp(dir=home)), worker_env)
            try:
                before, redis_cpu, own_cpu = redis_counters(client), cpu_seconds(redis_pid), time.process_time()
                run = run_jobs(backend, submitter, articles)
                after = redis_counters(client)
                results[name] = {
                    "seconds": run["seconds"], "peaks_kib": workers.peaks_kib(), "pinning": workers.pinning,
                    "outputs": fingerprint(run["documents"]), "reads": run["reads"],
                    "redis": {k: (after[k] - before[k]) / len(articles) for k in after},
                    "redis_cpu_ms": 1000 * (cpu_seconds(redis_pid) - redis_cpu) / len(articles),
                    "submitter_cpu_ms": 1000 * (time.process_time() - own_cpu) / len(articles),
                }  # fmt: skip
                print(f"  {name}: {run['seconds']:.1f} s, peaks {results[name]['peaks_kib']} KiB, "
                      f"pinned {workers.pinning}")  # fmt: skip
                if count == 1:
                    round_trips(backend, submitter, warm_up, TIGHT_POLL)  # the connections, the worker's first task
                    trips = round_trips(backend, submitter, texts, TIGHT_POLL)
                    runtimes = task_runtimes(workers.logs["w0"], list(trips))
                    broker_figures["round_trip"] = list(trips.values())
                    broker_figures["beyond_task"] = [trips[i] - runtimes[i] for i in trips]  # same process and core
                    client.flushall()
                    broker_figures["polled"] = list(
                        round_trips(backend, submitter, texts, backend.poll_interval).values()
                    )
                    client.flushall()
                else:
                    documents = run["documents"]
                    seed_id = run["ids"][[n for n, _ in articles].index(SEED.name)]
                    broker_figures["result_bytes"] = client.strlen(backend.app.backend.get_key_for_task(seed_id))
            finally:
                workers.stop()
        client.flushall()  # no worker now: the seed's task message stays in the queue to be weighed
        seed_request = dict(articles)[SEED.name]
        from translator.jobs import ArticleRequest, task_id_for

        request = ArticleRequest.from_dict(seed_request)
        backend.submit(task_id_for(submitter, request), request)
        broker_figures["task_bytes"] = len(client.lindex("celery", 0) or b"")
        broker_figures["seed_chars"] = len(request.text)
        client.flushall()
    finally:
        backend.close()
        broker.stop()
    writes = submitter_writes(submitter, documents, Path(tempfile.mkdtemp(dir=home)))
    raw = home / "raw.json"  # everything measured, should the summary need redoing
    raw.write_text(json.dumps({"results": results, "broker": broker_figures, "writes": writes}), encoding="utf-8")
    print(f"raw figures: {raw}")
    summarise(results, broker_figures, writes, articles, chars, model.key)


def summarise(
    results: dict[str, dict[str, Any]],
    broker: dict[str, Any],
    writes: dict[str, float],
    articles: list[tuple[str, dict[str, Any]]],
    chars: int,
    model: str,
) -> None:
    count = len(articles)
    per_minute = {name: 60 * count / result["seconds"] for name, result in results.items()}
    print(f"\n{'configuration':<26} {'seconds':>8} {'articles/min':>13} {'peak RSS per process (MiB)':>28}  outputs")
    for name, result in results.items():
        peaks = result.get("peaks_kib") or {"": result["peak_kib"]}
        peak_text = ", ".join(f"{kib / 1024:.0f}" for kib in peaks.values())
        print(f"{name:<26} {result['seconds']:>8.1f} {per_minute[name]:>13.2f} {peak_text:>28}  {result['outputs']}")
    direct = statistics.median(results["embedded, one core"]["direct"])
    round_trip = statistics.median(broker["round_trip"])
    polled = statistics.median(broker["polled"])
    article_seconds = results["celery, 1 worker"]["seconds"] / count
    beyond_task_ms = 1000 * statistics.median(broker["beyond_task"])
    overhead_ms = 1000 * (round_trip - direct)
    ratios = {
        "two_workers_over_one": per_minute["celery, 2 workers"] / per_minute["celery, 1 worker"],
        "one_worker_over_embedded_one_core": per_minute["celery, 1 worker"] / per_minute["embedded, one core"],
        "two_workers_over_embedded_whole_machine": per_minute["celery, 2 workers"]
        / per_minute["embedded, whole machine"],
        "embedded_whole_machine_over_one_core": per_minute["embedded, whole machine"]
        / per_minute["embedded, one core"],
    }
    one = results["celery, 1 worker"]
    print(f"\nratios: 2 workers / 1 worker = {ratios['two_workers_over_one']:.2f} (target >= 1.7); "
          f"1 worker / embedded one core = {ratios['one_worker_over_embedded_one_core']:.2f}; "
          f"2 workers / embedded whole machine = {ratios['two_workers_over_embedded_whole_machine']:.2f}; "
          f"embedded whole machine / one core = {ratios['embedded_whole_machine_over_one_core']:.2f}")  # fmt: skip
    print(f"broker overhead, one sentence: round trip - the worker's own task time = {beyond_task_ms:.1f} ms "
          f"(median of pairs) = {100 * beyond_task_ms / 1000 / article_seconds:.3f} % of an article; "
          f"round trip {1000 * round_trip:.1f} ms - direct in process {1000 * direct:.1f} ms "
          f"= {overhead_ms:.1f} ms = {100 * overhead_ms / 1000 / article_seconds:.2f} % of an article "
          f"({article_seconds:.2f} s on one worker; target < 5 %); as a submitter polling every 0.25 s sees it: "
          f"{1000 * polled:.0f} ms")  # fmt: skip
    print(f"per article on 1 worker: {one['redis']['commands']:.0f} Redis commands "
          f"(submitter's state reads {one['reads'] / count:.0f}), {one['redis']['bytes_in'] / 1024:.1f} KiB in, "
          f"{one['redis']['bytes_out'] / 1024:.1f} KiB out, Redis CPU {one['redis_cpu_ms']:.1f} ms, "
          f"submitter CPU {one['submitter_cpu_ms']:.1f} ms")  # fmt: skip
    print(f"seed ({broker['seed_chars']} characters): task message {broker['task_bytes']} bytes, "
          f"result {broker['result_bytes']} bytes; submitter writes per document: batch outputs + manifest "
          f"{writes['batch_ms']:.1f} ms, web store {writes['web_store_ms']:.1f} ms")  # fmt: skip
    figures: dict[str, Any] = {
        "model": model, "articles": count, "characters": chars, "short_texts": len(broker["round_trip"]),
        "articles_per_minute": {k: round(v, 2) for k, v in per_minute.items()},
        "ratios": {k: round(v, 2) for k, v in ratios.items()},
        "beyond_task_ms": round(beyond_task_ms, 1),
        "beyond_task_percent_of_article": round(100 * beyond_task_ms / 1000 / article_seconds, 3),
        "broker_overhead_ms": round(overhead_ms, 1), "round_trip_ms": round(1000 * round_trip, 1),
        "direct_ms": round(1000 * direct, 1), "polled_round_trip_ms": round(1000 * polled, 1),
        "overhead_percent_of_article": round(100 * overhead_ms / 1000 / article_seconds, 2),
        "peak_rss_mib": {
            name: [round(kib / 1024) for kib in (r.get("peaks_kib") or {"": r["peak_kib"]}).values()]
            for name, r in results.items()
        },
        "per_article_1_worker": {
            **{k: round(v) for k, v in one["redis"].items()}, "state_reads": round(one["reads"] / count),
            "redis_cpu_ms": round(one["redis_cpu_ms"], 1), "submitter_cpu_ms": round(one["submitter_cpu_ms"], 1),
        },
        "seed_task_bytes": broker["task_bytes"], "seed_result_bytes": broker["result_bytes"],
        "submitter_writes_ms": {k: round(v, 2) for k, v in writes.items()},
        "outputs_equal": len({r["outputs"] for r in results.values()}) == 1,
    }  # fmt: skip
    report("scaling", figures)


if __name__ == "__main__":
    main()
