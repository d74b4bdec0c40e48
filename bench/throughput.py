"""Throughput: words per second on the seed and a long article, three ways, on the same model and cores.

(a) naive: ``argostranslate.translate.translate()`` once per paragraph with Argos' default settings
    (its run-time-downloading sentence splitter replaced by pysbd so it runs offline);
(b) ceiling: raw CTranslate2 ``translate_batch`` over every sentence at once (tokenise, translate, decode),
    the faster of CTranslate2's defaults (one replica on every core, batches of 32) and our thread layout
    with our sub-batch rule; both are printed;
(c) ours: ``Translator.translate_document`` with the cache off (cold).
Usage: python bench/throughput.py [--model PATH.argosmodel] [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import german_texts, isolate_state, median, model_file, report, timed_rounds, word_count


class PysbdSentencizer:
    """Argos' sentencizer interface over pysbd: the naive path must not download MiniSBD models."""

    def __init__(self) -> None:
        import pysbd

        self._segmenter = pysbd.Segmenter(language="de", clean=False)

    def split_sentences(self, text: str) -> list[str]:
        return [s.strip() for s in self._segmenter.segment(text) if s.strip()]


def naive(paragraphs: list[str]) -> None:
    import argostranslate.translate as argos

    for paragraph in paragraphs:
        argos.translate(paragraph, "de", "en")


def prepare_naive() -> None:
    import argostranslate.translate as argos

    translation: Any = argos.get_translation_from_codes("de", "en")
    translation.underlying.sentencizer = PysbdSentencizer()


def ceiling(translator: Any, tokenizer: Any, sentences: list[str], beam_size: int, tuned: Any = None) -> None:
    """One raw call in batches of 32; with ``tuned`` (Settings), our sub-batches (by tokens, or by
    sentences when TRANSLATOR_MAX_BATCH_TOKENS is 0) and longest-first order instead (translator/engine.py)."""
    from translator.engine import batching_options

    tokens = [tokenizer.encode(s) for s in sentences]
    options: dict[str, Any] = {"max_batch_size": 32}
    if tuned is not None:
        tokens.sort(key=len, reverse=True)
        options = batching_options(tuned, [len(t) for t in tokens], translator.num_translators)
    results = translator.translate_batch(tokens, beam_size=beam_size, **options)
    [tokenizer.decode(r.hypotheses[0]) for r in results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="an .argosmodel file (default: the tiny test model)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--texts", default="seed,long", help="comma-separated: seed, long")
    args = parser.parse_args()
    isolate_state()

    from translator import Settings, Translator
    from translator.engine import ArgosEngine
    from translator.models import install_from_file
    from translator.segment import parse_article

    settings = Settings.from_env(cache=False)
    model = install_from_file(model_file(args.model), settings.resolved_model_dir)
    ours = Translator(settings)
    import ctranslate2

    loaded = ArgosEngine(settings).load("de", "en")  # the same model and options, without our layers
    default_layout = ctranslate2.Translator(str(model.path / "model"), device="cpu", compute_type="int8")
    prepare_naive()
    beam = settings.beam_size
    figures: dict[str, Any] = {"model": model.key, "beam_size": beam, "repeat": args.repeat}
    for name, text in german_texts().items():
        if name not in args.texts.split(","):
            continue
        blocks = parse_article(text)
        paragraphs = [b.source for b in blocks]
        sentences = [s.source for b in blocks for s in b.sentences]
        words = word_count(text)
        naive(paragraphs[:2])  # load models and code paths once; every measured run below is cache-cold
        ours.translate_document(text)
        runs = timed_rounds(
            {
                "naive": lambda: naive(paragraphs),  # noqa: B023
                "ceiling_default": lambda: ceiling(default_layout, loaded.tokenizer, sentences, beam),  # noqa: B023
                "ceiling_tuned": lambda: ceiling(loaded.translator, loaded.tokenizer, sentences, beam, settings),  # noqa: B023
                "ours": lambda: ours.translate_document(text),  # noqa: B023
            },
            args.repeat,
        )
        rates = {k: round(words / median(v), 1) for k, v in runs.items()}
        rates["ceiling"] = max(rates["ceiling_default"], rates["ceiling_tuned"])
        result = {
            "words": words,
            "sentences": len(sentences),
            "paragraphs": len(paragraphs),
            "words_per_second": rates,
            "median_seconds": {k: round(median(v), 4) for k, v in runs.items()},
            "ours_over_naive": round(rates["ours"] / rates["naive"], 2),
            "ours_over_ceiling": round(rates["ours"] / rates["ceiling"], 2),
        }
        print(f"{name}: {words} words, {len(sentences)} sentences, {len(paragraphs)} paragraphs")
        for key, runs_of_key in runs.items():
            print(f"  {key:<16} {rates[key]:>10.1f} words/s  (median {median(runs_of_key):.4f} s)")
        print(f"  ours/naive = {result['ours_over_naive']}  ours/ceiling = {result['ours_over_ceiling']}")
        figures[name] = result
    report("throughput", figures)


if __name__ == "__main__":
    main()
