"""Glossaries: importing a large DeepL-format file, and what a glossary adds to a warm /translate request.

Import: a CSV of N entries read line by line (``read_entries``) and written in one transaction (``put``).
Request: the seed article's paragraphs through ``translate_texts`` with a warm sentence cache, as
``/translate`` runs it: without a glossary (baseline) and with one of --entries terms looked up by name
(``GlossaryStore.require``: the entries are read from SQLite on every request), paths taking turns.
Usage: python bench/glossary.py [--entries N] [--repeat N] [--model FILE]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import german_texts, isolate_state, median, model_file, report, timed_rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--import-entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--model")
    args = parser.parse_args()
    home = isolate_state()

    from translator import Settings, Translator
    from translator.glossary.files import read_entries
    from translator.models import install_from_file
    from translator.storage.glossary import GlossaryStore
    from translator.texts import translate_texts

    lines = "".join(f"Begriff{n},term {n}\n" for n in range(args.import_entries)).encode()
    store = GlossaryStore(home / "glossaries.sqlite3")
    started = time.perf_counter()
    store.put("big", read_entries(io.BytesIO(lines)), "de", "en")
    import_seconds = time.perf_counter() - started

    models = home / "models-dir"
    install_from_file(model_file(args.model), models)
    translator = Translator(Settings(data_dir=home / "data", model_dir=models))
    paragraphs = [p for p in german_texts()["seed"].split("\n\n") if p.strip()]
    terms = {f"Wort{n}": f"word {n}" for n in range(args.entries)} | {"Alibaba": "Alibaba", "China": "China"}
    translator.glossaries.put("news", terms, "de", "en")

    def plain() -> None:
        translate_texts(translator, paragraphs, "de", "en")

    def with_glossary() -> None:
        translate_texts(translator, paragraphs, "de", "en", translator.glossaries.require("news"))

    plain()
    with_glossary()  # warm: both paths' sentences are in the cache
    times = timed_rounds({"plain": plain, "glossary": with_glossary}, args.repeat)
    ms = {name: round(median(values) * 1000, 2) for name, values in times.items()}
    figures = {
        "import_entries": args.import_entries,
        "import_seconds": round(import_seconds, 2),
        "glossary_entries": len(terms),
        "paragraphs": len(paragraphs),
        "warm_request_ms": ms,
        "ratio": round(ms["glossary"] / ms["plain"], 2),
    }
    print(f"import of {args.import_entries:,} entries: {import_seconds:.2f} s")
    print(f"warm request, {len(paragraphs)} paragraphs: plain {ms['plain']} ms, glossary of {len(terms):,} "
          f"{ms['glossary']} ms")  # fmt: skip
    report("glossary", figures)


if __name__ == "__main__":
    main()
