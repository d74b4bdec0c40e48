"""Language detection: deterministic, honest about short and unknown text."""

from __future__ import annotations

from tests.helpers import FIXTURES
from translator.detect import LanguageDetector
from translator.segment import parse_article


def test_seed_is_german(seed_text: str) -> None:
    found = LanguageDetector().detect(seed_text)
    assert found.language == "de" and found.confidence > 0.9 and not found.low_confidence


def test_english_article_is_english() -> None:
    found = LanguageDetector().detect((FIXTURES / "english_article.txt").read_text(encoding="utf-8"))
    assert found.language == "en"


def test_same_answer_every_time(seed_text: str) -> None:
    text = "Das ist ein kurzer, aber eindeutiger Satz."
    assert {LanguageDetector().detect(text).confidence for _ in range(5)} == {
        LanguageDetector().detect(text).confidence
    }


def test_short_blocks_inherit_the_document_language(seed_text: str) -> None:
    detector = LanguageDetector()
    document = detector.detect(seed_text)
    blocks = parse_article(seed_text)
    detector.detect_blocks(blocks, document)
    footer = blocks[-1]
    assert footer.detected is not None
    assert footer.detected.inherited and footer.detected.low_confidence and footer.detected.language == "de"
    paragraph = blocks[3].detected
    assert paragraph is not None and not paragraph.inherited and paragraph.language == "de"


def test_text_without_letters_is_undetermined() -> None:
    found = LanguageDetector().detect("12345 67 !!! ---")
    assert found.language == "und" and found.confidence == 0.0 and found.low_confidence


def test_compact_profiles_give_langdetects_exact_probabilities(seed_text: str) -> None:
    """Our packed profile table must not change a single probability langdetect computes."""
    import random

    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
    from langdetect.lang_detect_exception import LangDetectException

    reference = DetectorFactory()
    reference.load_profile(PROFILES_DIRECTORY)
    reference.set_seed(0)
    english = (FIXTURES / "english_article.txt").read_text(encoding="utf-8")
    rng = random.Random(7)
    texts = [
        seed_text,
        english,
        "Привет мир, как дела",
        "Bonjour à tous",
        "こんにちは世界",
        "Dit is een zin.",
        "ok",
        "42",
    ]
    texts += [seed_text[rng.randrange(1500) :][: rng.randrange(5, 300)] for _ in range(30)]
    ours = LanguageDetector()
    for text in texts:
        detector = reference.create()
        detector.append(text)
        try:
            expected = [(p.lang.split("-")[0], round(p.prob, 4)) for p in detector.get_probabilities()]
        except LangDetectException:
            expected = []
        assert [(d.language, d.confidence) for d in ours.candidates(text)] == expected, text
