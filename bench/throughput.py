"""Throughput: words per second on the seed and a long article, three ways, on the same model and cores.

(a) naive: ``argostranslate.translate.translate()`` once per paragraph with Argos' default settings
    (its run-time-downloading sentence splitter replaced by pysbd so it runs offline);
(b) ceiling: raw CTranslate2 ``translate_batch`` over every sentence at once (tokenise, translate, decode);
(c) ours: ``Translator.translate_document`` with the cache off (cold).
Usage: python bench/throughput.py [--model PATH.argosmodel] [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import german_texts, isolate_state, median, model_file, report, timed, word_count


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


def ceiling(loaded: Any, sentences: list[str], beam_size: int) -> None:
    tokens = [loaded.tokenizer.encode(s) for s in sentences]
    results = loaded.translator.translate_batch(tokens, beam_size=beam_size, max_batch_size=32)
    [loaded.tokenizer.decode(r.hypotheses[0]) for r in results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="an .argosmodel file (default: the tiny test model)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    isolate_state()

    from translator import Settings, Translator
    from translator.engine import ArgosEngine
    from translator.models import install_from_file
    from translator.segment import parse_article

    settings = Settings.from_env(cache=False)
    model = install_from_file(model_file(args.model), settings.resolved_model_dir)
    ours = Translator(settings)
    loaded = ArgosEngine(settings).load("de", "en")  # the same model and options, without our layers
    prepare_naive()
    figures: dict[str, Any] = {"model": model.key, "beam_size": settings.beam_size, "repeat": args.repeat}
    for name, text in german_texts().items():
        blocks = parse_article(text)
        paragraphs = [b.source for b in blocks]
        sentences = [s.source for b in blocks for s in b.sentences]
        words = word_count(text)
        naive(paragraphs[:2])  # load models and code paths once; every measured run below is cache-cold
        ours.translate_document(text)
        runs = {
            "naive": timed(lambda: naive(paragraphs), args.repeat),  # noqa: B023
            "ceiling": timed(lambda: ceiling(loaded, sentences, settings.beam_size), args.repeat),  # noqa: B023
            "ours": timed(lambda: ours.translate_document(text), args.repeat),  # noqa: B023
        }
        rates = {k: round(words / median(v), 1) for k, v in runs.items()}
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
        for key, rate in rates.items():
            print(f"  {key:<8} {rate:>10.1f} words/s  (median {median(runs[key]):.4f} s)")
        print(f"  ours/naive = {result['ours_over_naive']}  ours/ceiling = {result['ours_over_ceiling']}")
        figures[name] = result
    report("throughput", figures)


if __name__ == "__main__":
    main()
