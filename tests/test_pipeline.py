"""translate_document end to end through the real Argos engine and the tiny test model."""

from __future__ import annotations

import json
import shutil
from itertools import accumulate
from pathlib import Path

import pytest

from tests.helpers import FIXTURES
from translator import InputError, ModelError, Settings, Translator, translate_document
from translator.document import Document

SEED_KINDS = ["title", "subtitle", "byline", "paragraph", "paragraph", "heading", "paragraph", "paragraph", "footer"]


def test_seed_document_shape(translator: Translator, seed_text: str) -> None:
    data = translator.translate_document(seed_text).to_dict()
    assert data["detected"]["language"] == "de" and data["detected"]["confidence"] > 0.9
    assert [b["kind"] for b in data["blocks"]] == SEED_KINDS
    for block in data["blocks"]:
        assert block["translation"].strip()
        assert block["detected"]["language"] == "de"
        for sentence in block["sentences"]:
            assert set(sentence) >= {"source", "translation", "cached", "flags"}
            assert sentence["translation"]
            assert (
                block["translation"][sentence["translation_start"] : sentence["translation_end"]]
                == sentence["translation"]
            )
    assert data["provenance"]["model"] == "translate-de_en-test"
    assert data["provenance"]["version"] == "1.0"
    assert data["timings"]["total_ms"] > 0
    json.dumps(data)


def test_second_run_is_served_from_cache(translator: Translator, seed_text: str) -> None:
    first = translator.translate_document(seed_text)
    second = Translator(translator.settings).translate_document(seed_text)
    assert not any(s.cached for s in first.sentences)
    assert all(s.cached for s in second.sentences)
    assert [s.translation for s in first.sentences] == [s.translation for s in second.sentences]


def test_cache_off_translates_every_time(settings: Settings, seed_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSLATOR_CACHE", "off")
    off = Settings.from_env(data_dir=settings.data_dir, model_dir=settings.model_dir)
    assert off.cache is False
    for _ in range(2):
        document = Translator(off).translate_document(seed_text)
        assert not any(s.cached for s in document.sentences)
    assert not off.cache_path.exists()


def test_document_round_trips_through_json(translator: Translator, seed_text: str) -> None:
    document = translator.translate_document(seed_text)
    again = Document.from_dict(json.loads(json.dumps(document.to_dict())))
    assert again.to_dict() == document.to_dict()


def test_english_article_is_not_translated(translator: Translator) -> None:
    text = (FIXTURES / "english_article.txt").read_text(encoding="utf-8")
    document = translator.translate_document(text)
    assert document.detected.language == "en"
    assert document.provenance["model"] is None
    assert all(b.translation == b.source for b in document.blocks)
    assert any("already" in note for note in document.notes)


def test_missing_pair_is_a_model_error(translator: Translator) -> None:
    with pytest.raises(ModelError, match="No installed model translates into French"):
        translator.translate_document("Das ist ein deutscher Satz über das Wetter.", target="fr")


def test_bad_language_code_is_an_input_error(translator: Translator) -> None:
    with pytest.raises(InputError, match="language code"):
        translator.translate_document("Hallo Welt, wie geht es dir heute?", source="<script>")


def test_undetectable_text_asks_for_a_source(translator: Translator) -> None:
    with pytest.raises(InputError, match="choose the source"):
        translator.translate_document("12345 678")


def test_progress_reports_every_slice(translator: Translator, seed_text: str) -> None:
    seen: list[tuple[int, int]] = []
    document = translator.translate_document(seed_text, progress=lambda d, t: seen.append((d, t)), progress_slice=5)
    total = len(document.sentences)
    assert seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_module_function_uses_environment(model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSLATOR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TRANSLATOR_MODEL_DIR", str(model_dir))
    document = translate_document("Die Olympischen Spiele beginnen bald in einer großen Stadt.")
    assert document.source_language == "de" and document.blocks[0].translation
    assert (tmp_path / "cache.sqlite3").exists()


def test_concurrent_documents_share_one_engine(translator: Translator, seed_text: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        documents = list(pool.map(lambda _: translator.translate_document(seed_text), range(4)))
    assert len({tuple(s.translation for s in d.sentences) for d in documents}) == 1


def test_partial_documents_fill_in_block_by_block(translator: Translator, seed_text: str) -> None:
    snapshots: list[tuple[int, int, list[str]]] = []
    document = translator.translate_document(
        seed_text,
        progress_slice=5,
        partial=lambda doc, done, total: snapshots.append((done, total, [b.translation for b in doc.blocks])),
    )
    total = len(document.sentences)
    assert [done for done, _, _ in snapshots] == [0, 5, 10, 15, 20, 25] and all(t == total for _, t, _ in snapshots)
    assert snapshots[0][2] == [""] * 9  # segmented, nothing translated yet
    counts = [len(b.sentences) for b in document.blocks]
    for done, _, translations in snapshots:
        finished = sum(1 for end in accumulate(counts) if end <= done)
        assert translations[:finished] == [b.translation for b in document.blocks][:finished]
        assert translations[finished:] == [""] * (9 - finished)


def test_repeated_article_comes_whole_from_the_document_cache(translator: Translator, seed_text: str) -> None:
    first = translator.translate_document(seed_text)
    again = translator.translate_document(seed_text)
    assert again.provenance["served_from"] == "document cache"
    assert all(s.cached for s in again.sentences)
    assert [b.translation for b in again.blocks] == [b.translation for b in first.blocks]
    assert set(again.timings) == {"total_ms"}
    changed = translator.translate_document(seed_text + "\nNeuer Schlusssatz des Artikels.")
    assert "served_from" not in changed.provenance
    other_beam = Translator(translator.settings.with_overrides(beam_size=1)).translate_document(seed_text)
    assert "served_from" not in other_beam.provenance


def test_document_cache_survives_moving_the_data_directory(
    translator: Translator, seed_text: str, tmp_path: Path
) -> None:
    """The cache's own path describes a run, not the translation: it is not part of the document key."""
    translator.translate_document(seed_text)
    moved = tmp_path / "moved"
    shutil.copytree(translator.settings.data_dir, moved)
    again = Translator(translator.settings.with_overrides(data_dir=moved)).translate_document(seed_text)
    assert again.provenance.get("served_from") == "document cache"
    assert again.provenance["cache"] == str(moved / "cache.sqlite3")
