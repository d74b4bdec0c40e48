"""Translation memory: how fast a large TMX imports, and what the memory adds to a warm translation.

1. Import: a TMX of ``--units`` units (default 100,000) into an empty memory, one transaction.
   Baseline in the same run: parsing the file alone (defusedxml's streamed ElementTree), so the
   ratio says what storing costs on top of reading.
2. Look-up overhead: the seed article's sentences through the engine chain with a warm sentence
   cache, with the memory (holding the imported units, the article's sentences not among them, so
   every look-up misses and the cache answers) and without it (TRANSLATOR_MEMORY off); the
   difference per sentence is what the memory costs a translation that it does not answer.
   Also: every sentence answered by the memory.
Usage: python bench/memory.py [--units N] [--repeat N] [--model FILE.argosmodel]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import isolate_state, median, model_file, report, timed_rounds


def tmx_bytes(units: int) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="de" segtype="sentence" '
        'creationtool="bench" creationtoolversion="1" adminlang="en" datatype="plaintext" o-tmf="bench"/><body>'
    ]
    for n in range(units):
        parts.append(
            f'<tu><tuv xml:lang="de"><seg>Der Satz Nummer {n} handelt von den Olympischen Spielen in Paris.</seg>'
            f'</tuv><tuv xml:lang="en"><seg>Sentence number {n} is about the Olympic Games in Paris.</seg></tuv></tu>'
        )
    parts.append("</body></tmx>")
    return "".join(parts).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--model", help="Argos package to translate with (default: the test model)")
    args = parser.parse_args()
    home = isolate_state()

    from translator import Settings, Translator
    from translator.models import install_from_file
    from translator.segment import parse_blocks, split_sentences
    from translator.storage.memory import TranslationMemory, memory_path
    from translator.tmx import read_units

    data = tmx_bytes(args.units)
    started = time.perf_counter()
    parsed = sum(1 for _ in read_units(io.BytesIO(data)))
    parse_seconds = time.perf_counter() - started
    settings = Settings(data_dir=home / "data", model_dir=home / "models")
    memory = TranslationMemory(memory_path(settings.data_dir))
    started = time.perf_counter()
    imported = memory.put_many(read_units(io.BytesIO(data)), "tmx")
    import_seconds = time.perf_counter() - started
    assert parsed == imported == args.units == len(memory)
    print(f"import of {args.units:,} units ({len(data) / 1e6:.1f} MB): {import_seconds:.2f} s "
          f"(parsing alone {parse_seconds:.2f} s)")  # fmt: skip

    install_from_file(model_file(args.model), settings.resolved_model_dir)
    seed = (Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "alibaba_de.txt").read_text()
    blocks = parse_blocks(seed, settings.max_chars)
    split_sentences(blocks, "de")
    sentences = [s.source for block in blocks for s in block.sentences]
    with_memory = Translator(settings)
    without_memory = Translator(settings.with_overrides(memory=False))
    with_memory.engine.translate_batch(sentences, "de", "en")  # warm the shared sentence cache, load the model
    without_memory.engine.translate_batch(sentences, "de", "en")
    answered = Translator(settings.with_overrides(data_dir=home / "answered"))
    assert answered.memory is not None
    answered.memory.put_many((("de", "en", s, s.upper()) for s in sentences), "edit")
    rounds = 200
    times = timed_rounds(
        {
            "no_memory": lambda: [without_memory.engine.translate_batch(sentences, "de", "en") for _ in range(rounds)],
            "memory_miss": lambda: [with_memory.engine.translate_batch(sentences, "de", "en") for _ in range(rounds)],
            "memory_hit": lambda: [answered.engine.translate_batch(sentences, "de", "en") for _ in range(rounds)],
        },
        args.repeat,
    )
    per_sentence = {name: median(values) / rounds / len(sentences) * 1e6 for name, values in times.items()}
    overhead = per_sentence["memory_miss"] - per_sentence["no_memory"]
    print(f"warm seed article ({len(sentences)} sentences), µs per sentence: without memory "
          f"{per_sentence['no_memory']:.1f}, memory consulted (misses) {per_sentence['memory_miss']:.1f}, "
          f"all from memory {per_sentence['memory_hit']:.1f}; overhead {overhead:.1f} µs")  # fmt: skip
    report(
        "memory",
        {
            "units": args.units,
            "tmx_mb": round(len(data) / 1e6, 1),
            "import_s": round(import_seconds, 2),
            "parse_only_s": round(parse_seconds, 2),
            "import_to_parse_ratio": round(import_seconds / parse_seconds, 2),
            "sentences": len(sentences),
            "us_per_sentence": {name: round(value, 1) for name, value in per_sentence.items()},
            "lookup_overhead_us_per_sentence": round(overhead, 1),
            "miss_to_no_memory_ratio": round(per_sentence["memory_miss"] / per_sentence["no_memory"], 2),
        },
    )


if __name__ == "__main__":
    main()
