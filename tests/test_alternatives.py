"""Alternatives: the model's next-best hypotheses through the engine family and the text path."""

from __future__ import annotations

from pathlib import Path

from tests.fakes import FakeEngineForUnitTests
from translator import Settings, Translator
from translator.engine import MAX_ALTERNATIVES
from translator.glossary import Glossary
from translator.texts import translate_alternatives, translate_texts


def test_the_real_engine_returns_hypotheses_through_cache_and_merging(translator: Translator) -> None:
    sentences = ["Die Regierung hat ein Gesetz beschlossen.", "Guten Morgen."]
    found = translator.engine.alternatives(sentences, "de", "en", 3)  # CachedEngine → MergingEngine → ArgosEngine
    assert len(found) == 2
    for hypotheses in found:
        assert 1 <= len(hypotheses) <= 3 and all(isinstance(text, str) and text for text in hypotheses)
    assert len(set(found[0])) > 1  # a wider beam gives different hypotheses, not one repeated
    capped = translator.engine.alternatives(sentences[:1], "de", "en", 50)
    assert len(capped[0]) <= MAX_ALTERNATIVES + 1


def test_alternatives_keep_placeholders_and_terms_and_skip_the_translation(tmp_path: Path) -> None:
    translator = Translator(Settings(data_dir=tmp_path, cache=False), engine=FakeEngineForUnitTests())
    texts = ["Öffne %s bei Siemens.", "Hallo."]
    glossary = Glossary("news", "de", "en", {"Siemens": "Siemens"})
    translations = translate_texts(translator, texts, "de", "en", glossary)
    assert translations == ["ÖFFNE %s BEI Siemens.", "HALLO."]
    found = translate_alternatives(translator, texts, translations, "de", "en", 2, glossary)
    assert found == [["ÖFFNE %s BEI Siemens.!", "ÖFFNE %s BEI Siemens.!!"], ["HALLO.!", "HALLO.!!"]]
