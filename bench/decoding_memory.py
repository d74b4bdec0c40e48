"""Peak memory and throughput of the server under 8 clients: sub-batches bounded by sentences or by tokens.

Starts the real gunicorn server (bench/server.py's ``Server``) once per configuration and round,
the configurations taking turns, each with the sentence cache off and the same beam, and sends
``--requests`` seed articles to ``POST /translate`` from ``--clients`` concurrent clients. Reports
the worker's peak RSS (VmHWM) after /ready and after the load, and the requests per second, with
the ratios tokens / sentences from the same run. Traffic goes to 127.0.0.1 only.
Usage: python bench/decoding_memory.py --model PATH.argosmodel [--beam 4] [--clients 8] [--requests 8] [--rounds 1]
       [--tokens 1024,2048] [--config arena2:MALLOC_ARENA_MAX=2,TRANSLATOR_MAX_BATCH_TOKENS=0]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SEED, isolate_state, model_file, report
from bench.server import Server, load

# The previous bound (32 sentences in flight), against token budgets (TRANSLATOR_MAX_BATCH_TOKENS)
BY_SENTENCES = {"TRANSLATOR_MAX_BATCH_TOKENS": "0", "TRANSLATOR_MAX_BATCH_SIZE": "32"}
MIB = 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="an .argosmodel file (default: the tiny test model)")
    parser.add_argument("--beam", type=int, default=4, help="beam size (Argos' and LibreTranslate's default: 4)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=8, help="requests per configuration and round")
    parser.add_argument("--rounds", type=int, default=1, help="rounds in which the configurations take turns")
    parser.add_argument("--tokens", default="", help="comma-separated token budgets (default: the setting's default)")
    parser.add_argument("--config", action="append", default=[], metavar="NAME:VAR=VAL[,VAR=VAL]",
                        help="one more configuration, as environment variables (repeatable)")  # fmt: skip
    args = parser.parse_args()
    isolate_state()
    from translator import Settings
    from translator.models import install_from_file

    settings = Settings.from_env()
    model = install_from_file(model_file(args.model), settings.resolved_model_dir)
    budgets = [int(b) for b in args.tokens.split(",") if b] or [settings.max_batch_tokens]
    configurations = {"sentences": BY_SENTENCES}
    configurations.update({f"tokens{b}": {"TRANSLATOR_MAX_BATCH_TOKENS": str(b)} for b in budgets})
    for extra in args.config:
        name, _, assignments = extra.partition(":")
        configurations[name] = dict(pair.split("=", 1) for pair in assignments.split(","))
    body = {"q": SEED.read_text(encoding="utf-8"), "source": "de", "target": "en", "format": "text"}
    samples: dict[str, dict[str, list[float]]] = {
        name: {"rest_mib": [], "peak_mib": [], "rps": [], "cpu_s_per_request": []} for name in configurations
    }
    for round_ in range(args.rounds):
        for name, env in configurations.items():
            server = Server({**os.environ, **env, "TRANSLATOR_CACHE": "off", "TRANSLATOR_BEAM_SIZE": str(args.beam)})
            try:
                rest, cpu_before = server.worker_peak_kib(), server.worker_cpu_seconds()
                times, elapsed = load(server.url + "/translate", body, args.clients, args.requests)
                peak, cpu = server.worker_peak_kib(), server.worker_cpu_seconds() - cpu_before
            finally:
                server.stop()
            samples[name]["rest_mib"].append(rest / MIB)
            samples[name]["peak_mib"].append(peak / MIB)
            samples[name]["rps"].append(args.requests / elapsed)
            samples[name]["cpu_s_per_request"].append(cpu / args.requests)
            print(f"round {round_ + 1} {name:<9}: at rest {rest / MIB:.0f} MiB, peak {peak / MIB:.0f} MiB, "
                  f"{args.requests / elapsed:.3f} requests/s, {cpu / args.requests:.1f} CPU s/request "
                  f"({cpu / elapsed / (os.cpu_count() or 1):.0%} of the cores busy), "
                  f"slowest {max(times):.1f} s")  # fmt: skip
    figures: dict[str, Any] = {
        "model": model.key, "beam": args.beam, "clients": args.clients, "requests": args.requests,
        "rounds": args.rounds, "cores": os.cpu_count(),
    }  # fmt: skip
    for name, values in samples.items():
        for key, series in values.items():
            figures[f"{name}_{key}"] = round(statistics.median(series), 1 if key.endswith("_mib") else 3)
    for name in list(configurations)[1:]:
        for key in ("peak_mib", "rps", "cpu_s_per_request"):
            figures[f"ratio_{key}_{name}_over_sentences"] = round(
                figures[f"{name}_{key}"] / figures[f"sentences_{key}"], 2
            )
        print(
            f"{name}: peak RSS under {args.clients} clients at beam {args.beam} "
            f"{figures[f'ratio_peak_mib_{name}_over_sentences']}x by sentences, "
            f"requests/s {figures[f'ratio_rps_{name}_over_sentences']}x, "
            f"CPU s/request {figures[f'ratio_cpu_s_per_request_{name}_over_sentences']}x"
        )
    report("memory", figures)


if __name__ == "__main__":
    main()
