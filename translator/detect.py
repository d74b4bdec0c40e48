"""Language detection with langdetect, deterministic and honest about short text."""

from __future__ import annotations

import json
import os
import struct
import threading

from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from translator.document import Block, Detection

SHORT_TEXT = 20
DOCUMENT_SAMPLE_CHARS = 5_000  # langdetect's cost grows with text length; a few sentences decide it
BLOCK_SAMPLE_CHARS = 400
UNDETERMINED = "und"
ROW = struct.Struct("<Bd")  # (language index, probability)


class LanguageDetector:
    """Owns its own langdetect factory (profiles loaded once, fixed seed) instead of langdetect's global."""

    def __init__(self, seed: int = 0) -> None:
        self._seed = seed
        self._factory: DetectorFactory | None = None
        self._lock = threading.Lock()

    def _loaded(self) -> DetectorFactory:
        with self._lock:
            if self._factory is None:
                self._factory = _SparseFactory(self._seed)
            return self._factory

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


class _SparseDetector(Detector):
    """langdetect's Detector reading n-gram rows stored sparsely; the arithmetic is unchanged."""

    def _update_lang_prob(self, prob: list[float], word: str | None, alpha: float) -> bool:
        packed = self.word_lang_prob_map.get(word) if word is not None else None
        if packed is None:
            return False
        row = [0.0] * len(prob)
        for index, value in ROW.iter_unpack(packed):
            row[index] = value
        weight = alpha / self.BASE_FREQ
        for i in range(len(prob)):
            prob[i] *= weight + row[i]
        return True


class _SparseFactory(DetectorFactory):
    """Profiles loaded as packed (language index, probability) pairs per n-gram.

    langdetect keeps a dense Python list of boxed floats per n-gram: about 70 MB
    for 88k n-grams over 55 languages, where only 2 entries per n-gram are not
    zero. Packed rows hold the same values in a fraction of that, which matters
    in a server that should weigh little more than its model.
    """

    def __init__(self, seed: int) -> None:
        super().__init__()
        names = sorted(name for name in os.listdir(PROFILES_DIRECTORY) if not name.startswith("."))
        rows: dict[str, bytes] = {}
        for index, name in enumerate(names):
            with open(os.path.join(PROFILES_DIRECTORY, name), encoding="utf-8") as handle:
                profile = json.load(handle)
            self.langlist.append(profile["name"])
            n_words = profile["n_words"]
            for word, count in profile["freq"].items():
                if 1 <= len(word) <= 3:
                    rows[word] = rows.get(word, b"") + ROW.pack(index, count / n_words[len(word) - 1])
            del profile
        self.word_lang_prob_map = rows
        self.set_seed(seed)

    def _create_detector(self) -> Detector:
        return _SparseDetector(self)


def _normalise(code: str) -> str:
    """langdetect says zh-cn / zh-tw; Argos models use plain ISO 639-1 codes."""
    return code.split("-")[0]
