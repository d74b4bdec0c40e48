"""Files: seconds per page of a 20-page .docx translated in its own format, against the same text pasted.

The overhead of keeping formatting: unpacking, parsing runs into segments with inline markers,
restoring markers, rebuilding runs and repacking, on top of translating the same sentences.
Baseline: ``Translator.translate_document`` on the document's text (what pasting it does: segmenting,
per-block language detection, alignment). Also ``translate_texts`` on the same paragraphs (the same
sentence path as files, without the document's parsing and rebuilding): docx against it is the formatting
overhead alone. Ours: ``translate_file`` on the .docx (a bold and an italic run inside sentences of every
paragraph).
Both cold (cache off), taking turns. A page is 500 words. Needs python-docx (requirements-dev).
Usage: python bench/files.py [--model PATH.argosmodel] [--pages N] [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import german_texts, isolate_state, median, model_file, report, timed_rounds, word_count

WORDS_PER_PAGE = 500


def paragraphs_for(pages: int) -> list[str]:
    """Seed paragraphs repeated until ``pages`` pages of words, every sentence numbered: no two are equal
    (the request's de-duplication would otherwise spare the file path work the pasted path does)."""
    seed = [p.strip() for p in german_texts()["seed"].split("\n\n") if len(p.split()) > 8]
    found: list[str] = []
    while sum(word_count(p) for p in found) < pages * WORDS_PER_PAGE:
        number = len(found)
        found.append(seed[number % len(seed)].replace(". ", f" {number}. ") + f" ({number})")
    return found


def build_docx(paragraphs: list[str]) -> bytes:
    """Each paragraph with its third word bold and its sixth italic: runs inside sentences."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        words = text.split(" ")
        paragraph = document.add_paragraph(" ".join(words[:2]) + " ")
        paragraph.add_run(words[2]).bold = True
        paragraph.add_run(" " + " ".join(words[3:5]) + " ")
        paragraph.add_run(words[5]).italic = True
        paragraph.add_run(" " + " ".join(words[6:]))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="an .argosmodel file (default: the tiny test model)")
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    isolate_state()
    from translator import Settings, Translator
    from translator.files.driver import translate_file
    from translator.models import install_from_file
    from translator.texts import translate_texts

    settings = Settings.from_env(cache=False, max_chars=10_000_000)
    install_from_file(model_file(args.model), settings.resolved_model_dir)
    translator = Translator(settings)
    paragraphs = paragraphs_for(args.pages)
    pasted, data = "\n\n".join(paragraphs), build_docx(paragraphs)
    translator.translate_document(paragraphs[0], "de", "en")  # load the model outside the timing
    runs = timed_rounds(
        {
            "pasted": lambda: translator.translate_document(pasted, "de", "en"),
            "texts": lambda: translate_texts(translator, paragraphs, "de", "en"),
            "docx": lambda: translate_file(translator, data, "bench.docx", "de", "en"),
        },
        args.repeat,
    )
    seconds = {name: round(median(times), 3) for name, times in runs.items()}
    per_page = {name: round(value / args.pages, 4) for name, value in seconds.items()}
    figures = {
        "pages": args.pages, "words": word_count(pasted), "docx_bytes": len(data), "seconds": seconds,
        "seconds_per_page": per_page, "docx_over_pasted": round(seconds["docx"] / seconds["pasted"], 2),
        "docx_over_texts": round(seconds["docx"] / seconds["texts"], 2),
    }  # fmt: skip
    print(f"{args.pages} pages ({figures['words']} words): pasted {per_page['pasted']} s/page, texts "
          f"{per_page['texts']} s/page, docx {per_page['docx']} s/page ({figures['docx_over_pasted']}x pasted, "
          f"{figures['docx_over_texts']}x texts)")  # fmt: skip
    report("files", figures)


if __name__ == "__main__":
    main()
