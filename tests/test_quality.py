"""Wording checks against a real translate-de_en model, when one is in ../shared/models."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import ROOT, SEED
from translator import Settings, Translator
from translator.models import install_from_file

SHARED_MODELS = ROOT.parent / "shared" / "models"
REAL_MODELS = sorted(SHARED_MODELS.glob("translate-de_en*.argosmodel")) if SHARED_MODELS.is_dir() else []
REASON = f"no real translate-de_en*.argosmodel in {SHARED_MODELS}: quality tests need a pretrained model"

pytestmark = pytest.mark.quality


@pytest.fixture(scope="module")
def real_translator(tmp_path_factory: pytest.TempPathFactory) -> Translator:
    if not REAL_MODELS:
        pytest.skip(REASON)
    model_dir = tmp_path_factory.mktemp("real-models")
    install_from_file(REAL_MODELS[-1], model_dir)
    return Translator(Settings(data_dir=Path(tmp_path_factory.mktemp("data")), model_dir=model_dir))


def test_seed_title_mentions_alibaba(real_translator: Translator) -> None:
    document = real_translator.translate_document(SEED.read_text(encoding="utf-8"))
    assert "Alibaba" in document.blocks[0].translation
    assert "Olympic" in document.blocks[4].translation


def test_numbers_survive(real_translator: Translator) -> None:
    document = real_translator.translate_document("Die Schätzungen liegen zwischen 600 und 800 Millionen US-Dollar.")
    assert "600" in document.blocks[0].translation and "800" in document.blocks[0].translation
