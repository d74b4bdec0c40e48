"""tools/build_test_model.py: sizes, vocabulary padding and the bench model's output lengths."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build_test_model as btm  # noqa: E402

from translator.models import DEMO_KEY  # noqa: E402


def test_sizes() -> None:
    assert btm.SIZES == {"test": btm.TEST, "bench": btm.BENCH}
    bench = btm.BENCH
    assert (bench.num_layers, bench.d_model, bench.num_heads, bench.ffn_dim) == ((6, 6), 512, 8, 2048)
    assert 8000 <= bench.vocab_size <= 32000
    assert bench.package_name == "translate-de_en-bench"
    assert btm.TEST.package_dir == "translate-de_en-test_1_0"


def test_model_vocabulary_keeps_piece_ids_and_pads() -> None:
    pieces = ["<unk>", "<s>", "</s>", "▁Hund"]
    assert btm.model_vocabulary(pieces, btm.TEST) == pieces
    vocabulary = btm.model_vocabulary(pieces, btm.BENCH)
    assert len(vocabulary) == btm.BENCH.vocab_size == len(set(vocabulary))
    assert vocabulary[:4] == pieces
    assert all(btm._is_blocked(piece) for piece in vocabulary[4:])


def test_test_size_is_reproducible(tmp_path: Path) -> None:
    first = btm.build_package(tmp_path / "a.argosmodel", seed=3)
    second = btm.build_package(tmp_path / "b.argosmodel", seed=3, size=btm.TEST)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        metadata = json.loads(archive.read("translate-de_en-test_1_0/metadata.json"))
    assert metadata["name"] == "translate-de_en-test"
    assert metadata[DEMO_KEY] is True  # random weights: the service warns that its output is meaningless


@pytest.fixture(scope="module")
def bench_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, btm.spm.SentencePieceProcessor]:
    """The bench-size CTranslate2 model (no package, no built-in check: a few seconds)."""
    sp_model = btm.train_sentencepiece(btm.collect_sentences(), btm.DEFAULT_SEED)
    sp = btm.spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    model_dir = tmp_path_factory.mktemp("bench") / "model"
    btm.save_model(btm.build_spec(pieces, btm.DEFAULT_SEED, btm.BENCH), model_dir)
    return model_dir, sp


@pytest.mark.parametrize("beam_size", [1, 2, 4])
def test_bench_output_length_follows_source(
    bench_model: tuple[Path, btm.spm.SentencePieceProcessor], beam_size: int
) -> None:
    model_dir, sp = bench_model
    vocabulary = json.loads((model_dir / "shared_vocabulary.json").read_text(encoding="utf-8"))
    assert len(vocabulary) == btm.BENCH.vocab_size
    german = [s for s in btm.BUILTIN_SENTENCES[:15] if len(sp.encode(s)) >= 10]
    inputs = [*german, "a", "Ja.", "Guten Morgen."]
    # translate_pieces raises on empty, blocked (incl. padding) or non-terminating hypotheses.
    outputs = btm.translate_pieces(model_dir, sp, inputs, beam_size=beam_size, max_decoding_length=256)
    ratios = [len(output) / len(sp.encode(sentence)) for sentence, output in zip(german, outputs, strict=False)]
    assert min(ratios) >= 0.7, ratios
    assert max(ratios) <= 1.5, ratios
    assert 0.9 <= sorted(ratios)[len(ratios) // 2] <= 1.25, ratios
    assert all(sp.decode_pieces(output).strip() for output in outputs)
