"""Language detection with langdetect, deterministic and honest about short text."""

from __future__ import annotations

import threading

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from translator.document import Block, Detection

SHORT_TEXT = 20
DOCUMENT_SAMPLE_CHARS = 5_000  # langdetect's cost grows with text length; a few sentences decide it
BLOCK_SAMPLE_CHARS = 400
UNDETERMINED = "und"


class LanguageDetector:
    """Owns its own langdetect factory (profiles loaded once, fixed seed) instead of langdetect's global."""

    def __init__(self, seed: int = 0) -> None:
        self._seed = seed
        self._factory: DetectorFactory | None = None
        self._lock = threading.Lock()

    def _loaded(self) -> DetectorFactory:
        with self._lock:
            if self._factory is None:
                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                factory.set_seed(self._seed)
                self._factory = factory
            return self._factory

    def languages(self) -> list[str]:
        return self._loaded().get_lang_list()

    def candidates(self, text: str, sample: int = DOCUMENT_SAMPLE_CHARS) -> list[Detection]:
        """All likely languages, most probable first; empty when the text has no letters to go on."""
        detector = self._loaded().create()
        detector.append(text[:sample])
        try:
            found = detector.get_probabilities()
        except LangDetectException:
            return []
        return [Detection(_normalise(item.lang), round(float(item.prob), 4)) for item in found]

    def detect(self, text: str, sample: int = DOCUMENT_SAMPLE_CHARS) -> Detection:
        found = self.candidates(text, sample)
        if not found:
            return Detection(UNDETERMINED, 0.0, low_confidence=True)
        best = found[0]
        best.low_confidence = best.confidence < 0.8 or len(text.strip()) < SHORT_TEXT
        return best

    def detect_blocks(self, blocks: list[Block], document: Detection) -> None:
        """Per-block detection; short blocks inherit the document's language, flagged low-confidence."""
        for block in blocks:
            if len(block.source.strip()) < SHORT_TEXT:
                block.detected = Detection(document.language, document.confidence, low_confidence=True, inherited=True)
            else:
                block.detected = self.detect(block.source, BLOCK_SAMPLE_CHARS)


def _normalise(code: str) -> str:
    """langdetect says zh-cn / zh-tw; Argos models use plain ISO 639-1 codes."""
    return code.split("-")[0]
