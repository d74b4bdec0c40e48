"""Build a small, random-weight but *real* Argos Translate package for tests, CI and benchmarks.

Usage::

    python tools/build_test_model.py OUTPUT.argosmodel [--size test|bench] [--seed N] [--no-verify]

The package (German -> English) contains a SentencePiece model trained on the German
text fixtures plus a small built-in corpus, and a CTranslate2 Transformer whose
weights are random numbers.  Its output is meaningless words, but it exercises the
full tokenize -> CTranslate2 -> detokenize pipeline.  Two sizes (``ModelSize``):

* ``test`` (default, ``translate-de_en-test``): 2+2 layers, d_model 64, a ~500-entry
  vocabulary; short outputs (about 5-9 pieces).  Builds in about a second.
* ``bench`` (``translate-de_en-bench``): 6+6 layers, d_model 512, 8 heads, FFN 2048,
  int8, vocabulary padded to 32,000 entries: the compute cost per piece of a real
  OPUS-MT / Argos de->en model, and outputs about as long as the source (in pieces).
  Same SentencePiece model as ``test``.

How the random model is made to behave:

* Ordinary word pieces get a positive projection bias, special tokens (``<unk>``,
  ``<s>``) and byte-fallback pieces (``<0x..>``) a large negative bias, so every
  output contains decodable, non-empty pieces.
* Dimension 0 of the decoder is a "clock": the decoder uses a learned position table
  whose column 0 is ``position * clock_slope`` and no layer writes to that dimension.
  The other columns of that table are random +-1 noise for the first positions, so
  the greedy decoder does not lock onto repeating one piece; sharpened
  cross-attention makes the output depend on the source sentence.
* ``test``: the ``</s>`` projection row reads only the clock, so end-of-sentence is
  very unlikely at the first step and wins after a few steps: every sentence yields a
  short output and decoding always terminates.
* ``bench``: the output length follows the source length.  The encoder uses a learned
  position table whose column 0 is a ramp ``RAMP_SLOPE * min(position, ramp_cap)``
  (its other columns are 0) and dimension 1 is an "anchor" that stays 0 (no encoder
  layer writes to either).  In the
  first decoder layer, cross-attention head 0 has an all-zero query, so it attends
  uniformly to the source, and its first value dimension reads ``ramp - anchor``
  (the anchor cancels the mean that the final layer norm subtracts): its output is
  the mean ramp divided by the encoder's std, about
  ``RAMP_SLOPE * (L - 1) / 2 / ENCODER_STD`` for a source of L pieces.  The attention
  output projection copies it, scaled, into decoder dimension 1 (the "length"),
  which no other layer writes.  The ``</s>`` row reads ``clock - length`` (the final
  layer norm scales both alike), which crosses zero at step about
  ``length_ratio * (L - 1)``; from there ``</s>`` gains ~2.5 logits per step and soon
  wins.  The ramp saturates at ``ramp_cap`` source pieces, which bounds the output
  (about ``2 * ramp_cap * length_ratio`` pieces for endless input) well below
  ``max_decoding_length``.  FFN output weights have zero-mean rows (``center_ffn``),
  otherwise ReLU's positive mean adds one fixed direction to every step and the
  6-layer decoder repeats a single piece.
* ``bench`` vocabulary padding: SentencePiece trained on the small corpus has only
  ~500 pieces, so the CTranslate2 vocabularies are the real pieces (same ids)
  followed by dummy entries ``<unused_NNNNN>`` up to ``vocab_size``.  Their embedding
  and projection rows are zero and their projection bias is ``BLOCKED_BIAS``, so they
  are never emitted (``decode_pieces`` would copy such an unknown piece verbatim into
  the text) but the output projection, softmax and beam top-k run over the full
  vocabulary.  The source side never sees them (SentencePiece cannot produce them).

No torch and no network access are needed; the test size builds in about a second,
the bench size in 15-25 s (a ~100 MB model.bin), most of it spent on the built-in
decode check and on compressing the package.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ctranslate2
import numpy as np
import sentencepiece as spm
from ctranslate2.specs import TransformerSpec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere
from translator.models import DEMO_KEY

DEFAULT_SEED = 0
FIXTURES_DIR = Path(__file__).resolve().parent.parent / "tests" / "fixtures"

SPM_VOCAB_SIZE = 500  # SentencePiece training target (both sizes share the tokenizer)
MAX_POSITIONS = 1024  # rows of the learned position tables (max source/target length)
WORD_BIAS = 3.0  # extra bias for pieces that look like words ("▁" + letters)
PIECE_BIAS = -2.0  # bias for other ordinary pieces
BLOCKED_BIAS = -100.0  # <unk>, <s>, byte-fallback pieces, bare "▁", vocabulary padding
POSITION_NOISE = 1.0  # amplitude of the random decoder position codes
NOISY_POSITIONS = 256  # positions that get random codes (the rest are zero)
CROSS_QUERY_GAIN = 6.0  # > 1 sharpens cross-attention onto individual source tokens
DUMMY_PIECE = "<unused_{:05d}>"  # vocabulary padding entries (never emitted)

# Reserved model dimensions (no layer writes to them).
CLOCK_DIM = 0  # decoder: position * clock_slope
LENGTH_DIM = 1  # decoder (bench): scaled mean of the encoder ramp, i.e. the source length
RAMP_DIM = 0  # encoder (bench): RAMP_SLOPE * min(position, ramp_cap)
ANCHOR_DIM = 1  # encoder (bench): always 0, so ramp - anchor after the final layer norm is ramp / std

# Length mechanism of the bench size (see the module docstring).
RAMP_SLOPE = 0.04  # encoder ramp value per source position (small next to the ~N(0, 1) other dims)
ENCODER_STD = 2.1  # typical std of the encoder's last residual (measured): the final layer norm divides by it


@dataclass(frozen=True)
class ModelSize:
    """Dimensions and tuning of one model size (see ``TEST`` and ``BENCH``)."""

    name: str  # package name "translate-de_en-<name>"
    description: str  # metadata.json "description"
    blurb: str  # first line of the README
    d_model: int
    num_heads: int
    ffn_dim: int
    num_layers: tuple[int, int]  # (encoder, decoder)
    vocab_size: int  # CTranslate2 vocabulary size; 0 = the SentencePiece pieces, no padding
    projection_scale: float  # RMS of the projection rows; keep it * sqrt(d_model) ~ 4.8
    clock_slope: float  # value added to the clock dimension per decoder step
    eos_weight: float  # </s> logit = eos_weight * normalized (clock [- length]) + eos_bias
    eos_bias: float
    max_check_sentences: int  # sentences (built-ins first) used by the decode check
    max_decoding_length: int  # used by the built-in decode check
    center_ffn: bool = False  # zero-mean rows in the FFN output weights (see _set_ffn)
    length_ratio: float = 0.0  # > 0: output pieces ~ length_ratio * source pieces (bench mechanism)
    ramp_cap: int = 0  # source position where the encoder ramp saturates (bench)

    @property
    def package_name(self) -> str:
        return f"translate-de_en-{self.name}"

    @property
    def package_dir(self) -> str:
        return f"{self.package_name}_1_0"

    @property
    def encoder_reserved(self) -> tuple[int, ...]:
        """Encoder dimensions that no layer writes to."""
        return (RAMP_DIM, ANCHOR_DIM) if self.length_ratio else (RAMP_DIM,)

    @property
    def decoder_reserved(self) -> tuple[int, ...]:
        """Decoder dimensions that no layer writes to."""
        return (CLOCK_DIM, LENGTH_DIM) if self.length_ratio else (CLOCK_DIM,)

    @property
    def length_gain(self) -> float:
        """Scale from the mean normalized ramp to the length dimension (clock units)."""
        # mean ramp ~ RAMP_SLOPE * (L - 1) / 2 / ENCODER_STD after the encoder's final layer norm;
        # the length must equal the clock at step length_ratio * (L - 1).
        return self.clock_slope * self.length_ratio * 2.0 * ENCODER_STD / RAMP_SLOPE


TEST = ModelSize(
    name="test",
    description="Tiny random-weight test model; output is meaningless",
    blurb="Tiny random-weight German -> English test model for CI; output is meaningless.",
    d_model=64,
    num_heads=4,
    ffn_dim=128,
    num_layers=(2, 2),
    vocab_size=0,
    projection_scale=0.6,
    clock_slope=2.0,
    eos_weight=6.0,
    eos_bias=-14.0,
    max_check_sentences=48,
    max_decoding_length=64,
)

BENCH = ModelSize(
    name="bench",
    description=(
        "Random-weight benchmark model with a realistic size and compute cost "
        "(6+6 layers, d_model 512, 32k vocabulary, int8); output is meaningless"
    ),
    blurb="Random-weight German -> English benchmark model: realistic size and compute cost, meaningless output.",
    d_model=512,
    num_heads=8,
    ffn_dim=2048,
    num_layers=(6, 6),
    vocab_size=32000,
    projection_scale=0.6 * 8 / 512**0.5,  # same logit spread as the test size
    clock_slope=0.1,
    eos_weight=100.0,  # the last residual's std is ~4: </s> gains ~2.5 logits per step (0.1 * 100 / 4)
    eos_bias=12.0,
    max_check_sentences=6,
    max_decoding_length=256,
    center_ffn=True,
    length_ratio=1.05,
    ramp_cap=80,
)

SIZES: dict[str, ModelSize] = {size.name: size for size in (TEST, BENCH)}

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

BUILTIN_SENTENCES: tuple[str, ...] = (
    "Der Hund läuft schnell über die Straße.",
    "Die Katze schläft auf dem warmen Sofa.",
    "Heute ist das Wetter in Berlin sehr schön.",
    "Wir treffen uns morgen um neun Uhr im Büro.",
    "Das Unternehmen hat im letzten Jahr viel Geld verdient.",
    "Können Sie mir bitte den Weg zum Bahnhof zeigen?",
    "Ich möchte eine Tasse Kaffee und ein Stück Kuchen.",
    "Die Regierung plant neue Gesetze für den Klimaschutz.",
    "Größere Städte haben oft mehr Verkehr und weniger Grünflächen.",
    "Äpfel, Birnen und Pflaumen wachsen im Garten.",
    "Der Bericht erscheint am 24.01.2017 um 10:30 Uhr.",
    "Künstliche Intelligenz verändert die Arbeitswelt.",
    "Übersetzungen sollten schnell, genau und zuverlässig sein.",
    "Mein Großvater erzählt gern Geschichten aus seiner Jugend.",
    "„Das ist unglaublich!“, sagte sie – und lachte.",
    "The dog runs quickly across the street.",
    "The cat sleeps on the warm sofa.",
    "Today the weather in Berlin is very nice.",
    "We will meet tomorrow at nine o'clock in the office.",
    "The company earned a lot of money last year.",
    "Could you please show me the way to the station?",
    "I would like a cup of coffee and a piece of cake.",
    "The government is planning new laws for climate protection.",
    "Larger cities often have more traffic and fewer green spaces.",
    "Apples, pears and plums grow in the garden.",
    "The report will be published on 24 January 2017 at 10:30.",
    "Artificial intelligence is changing the world of work.",
    "Translations should be fast, accurate and reliable.",
    "My grandfather likes to tell stories from his youth.",
    '"That is unbelievable!" she said - and laughed.',
    "0123456789 % & / ( ) [ ] + = ? ! ; : @ # * ' \" € $ §",
)

# Extra inputs used only for the decode check: edge cases for the tokenizer.
_EDGE_CASE_INPUTS: tuple[str, ...] = (
    "a",
    "Ja.",
    "😀",
    "日本語のテキスト",
    "Ünïcödé ✓ — “Anführungszeichen” ½ ß ẞ",
    "x" * 300,
)


def collect_sentences(fixtures_dir: Path = FIXTURES_DIR) -> list[str]:
    """Return training sentences: the built-in list plus non-empty fixture lines."""
    sentences = list(BUILTIN_SENTENCES)
    if fixtures_dir.is_dir():
        files = sorted([*fixtures_dir.glob("*.txt"), *fixtures_dir.glob("*.md")])
        for path in files:
            text = path.read_text(encoding="utf-8", errors="replace")
            sentences.extend(line.strip() for line in text.splitlines() if line.strip())
    return sentences


def train_sentencepiece(sentences: Iterable[str], seed: int) -> bytes:
    """Train a small byte-fallback unigram SentencePiece model; return its bytes."""
    spm.set_random_generator_seed(seed)
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(sentences)),
        model_writer=buffer,
        model_type="unigram",
        vocab_size=SPM_VOCAB_SIZE,
        hard_vocab_limit=False,
        character_coverage=1.0,
        byte_fallback=True,
        num_threads=1,
        shuffle_input_sentence=False,
        max_sentence_length=100000,
        minloglevel=2,
    )
    return buffer.getvalue()


def _is_dummy(piece: str) -> bool:
    """Whether a vocabulary entry is padding added after the SentencePiece pieces."""
    return piece.startswith("<unused_") and piece.endswith(">")


def _is_blocked(piece: str) -> bool:
    """Whether the decoder should never emit this target piece."""
    is_byte = piece.startswith("<0x") and piece.endswith(">") and len(piece) == 6
    return piece in ("<unk>", "<s>", "</s>", "▁") or is_byte or _is_dummy(piece)


def _is_word(piece: str) -> bool:
    """Whether a piece looks like a word: ``▁`` followed by at least two letters."""
    return piece.startswith("▁") and len(piece) > 2 and piece[1:].isalpha()


def model_vocabulary(pieces: Sequence[str], size: ModelSize) -> list[str]:
    """The CTranslate2 vocabulary: the SentencePiece pieces (same ids), padded with dummies."""
    vocabulary = list(pieces)
    padding = [DUMMY_PIECE.format(i) for i in range(max(0, size.vocab_size - len(vocabulary)))]
    if set(padding) & set(vocabulary):
        raise RuntimeError("a SentencePiece piece looks like a vocabulary padding entry")
    return vocabulary + padding


def _linear(rng: np.random.Generator, out_dim: int, in_dim: int) -> np.ndarray:
    """Random float32 weight matrix of shape [out_dim, in_dim] (Xavier-like scale)."""
    scale = 1.0 / np.sqrt(in_dim)
    weight: np.ndarray = (rng.standard_normal((out_dim, in_dim)) * scale).astype(np.float32)
    return weight


def _set_linear(
    spec: Any,
    rng: np.random.Generator,
    out_dim: int,
    in_dim: int,
    *,
    reserved: Sequence[int] = (),
    gain: float = 1.0,
) -> None:
    """Fill a LinearSpec; residual writers pass the reserved dimensions, left untouched."""
    weight = _linear(rng, out_dim, in_dim) * np.float32(gain)
    bias = (rng.standard_normal(out_dim) * 0.02).astype(np.float32)
    weight[list(reserved), :] = 0.0
    bias[list(reserved)] = 0.0
    spec.weight = weight
    spec.bias = bias


def _set_layer_norm(spec: Any, d_model: int) -> None:
    """Identity layer norm: gamma = 1, beta = 0."""
    spec.gamma = np.ones(d_model, dtype=np.float32)
    spec.beta = np.zeros(d_model, dtype=np.float32)


def _set_attention(
    spec: Any,
    rng: np.random.Generator,
    size: ModelSize,
    *,
    self_attention: bool,
    reserved: Sequence[int],
) -> None:
    """Fill a MultiHeadAttentionSpec (fused QKV for self-attention, Q + fused KV otherwise)."""
    d_model = size.d_model
    _set_layer_norm(spec.layer_norm, d_model)
    if self_attention:
        _set_linear(spec.linear[0], rng, 3 * d_model, d_model)
        _set_linear(spec.linear[1], rng, d_model, d_model, reserved=reserved)
    else:
        _set_linear(spec.linear[0], rng, d_model, d_model, gain=CROSS_QUERY_GAIN)
        _set_linear(spec.linear[1], rng, 2 * d_model, d_model)
        _set_linear(spec.linear[2], rng, d_model, d_model, reserved=reserved)


def _set_ffn(spec: Any, rng: np.random.Generator, size: ModelSize, *, reserved: Sequence[int]) -> None:
    """Fill a FeedForwardSpec.

    With ``size.center_ffn``, each row of the output weights sums to zero: ReLU outputs
    have a positive mean, which would otherwise add the same direction to every
    position and step (with 6 layers, enough to make the decoder repeat one piece).
    """
    _set_layer_norm(spec.layer_norm, size.d_model)
    _set_linear(spec.linear_0, rng, size.ffn_dim, size.d_model)
    _set_linear(spec.linear_1, rng, size.d_model, size.ffn_dim, reserved=reserved)
    if size.center_ffn:
        spec.linear_1.weight -= spec.linear_1.weight.mean(axis=1, keepdims=True)


def _embeddings(rng: np.random.Generator, num_pieces: int, size: ModelSize, reserved: Sequence[int]) -> np.ndarray:
    """Random embeddings (scaled by sqrt(d_model) at run time) of the real pieces.

    The reserved columns and the rows of the vocabulary padding are zero.
    """
    weight: np.ndarray = rng.standard_normal((num_pieces, size.d_model)).astype(np.float32)
    weight /= np.sqrt(size.d_model)
    weight[:, list(reserved)] = 0.0
    padding = np.zeros((max(0, size.vocab_size - num_pieces), size.d_model), dtype=np.float32)
    return np.concatenate([weight, padding]) if len(padding) else weight


def _set_length_head(layer: Any, size: ModelSize) -> None:
    """Make cross-attention head 0 of ``layer`` write the mean encoder ramp to LENGTH_DIM."""
    d_model = size.d_model
    head_dim = d_model // size.num_heads
    query, key_value, output = layer.attention.linear
    query.weight[:head_dim, :] = 0.0  # zero query: uniform attention over the source pieces
    query.bias[:head_dim] = 0.0
    key_value.weight[d_model, :] = 0.0  # value dim 0 of head 0 (values follow the keys) = ramp - anchor
    key_value.weight[d_model, RAMP_DIM] = 1.0
    key_value.weight[d_model, ANCHOR_DIM] = -1.0
    key_value.bias[d_model] = 0.0
    output.weight[:, 0] = 0.0  # only LENGTH_DIM reads that value
    output.weight[LENGTH_DIM, 0] = size.length_gain


def build_spec(pieces: Sequence[str], seed: int, size: ModelSize = TEST) -> Any:
    """Create a validated CTranslate2 TransformerSpec with random weights."""
    rng = np.random.default_rng(seed)
    d_model = size.d_model
    vocabulary = model_vocabulary(pieces, size)
    vocab_size = len(vocabulary)
    spec = TransformerSpec.from_config(size.num_layers, size.num_heads)

    encoder = spec.encoder
    encoder_reserved = size.encoder_reserved
    encoder.embeddings[0].weight = _embeddings(rng, len(pieces), size, encoder_reserved)
    if size.length_ratio:
        ramp = np.zeros((MAX_POSITIONS, d_model), dtype=np.float32)
        ramp[:, RAMP_DIM] = RAMP_SLOPE * np.minimum(np.arange(MAX_POSITIONS), size.ramp_cap)
        encoder.position_encodings.encodings = ramp
    for layer in encoder.layer:
        _set_attention(layer.self_attention, rng, size, self_attention=True, reserved=encoder_reserved)
        _set_ffn(layer.ffn, rng, size, reserved=encoder_reserved)
    _set_layer_norm(encoder.layer_norm, d_model)

    decoder = spec.decoder
    reserved = size.decoder_reserved
    decoder.embeddings.weight = _embeddings(rng, len(pieces), size, reserved)
    clock = np.zeros((MAX_POSITIONS, d_model), dtype=np.float32)
    clock[:NOISY_POSITIONS, 1:] = rng.choice(
        np.array([-POSITION_NOISE, POSITION_NOISE], dtype=np.float32),
        size=(NOISY_POSITIONS, d_model - 1),
    )
    clock[:, list(reserved)] = 0.0
    clock[:, CLOCK_DIM] = np.arange(MAX_POSITIONS, dtype=np.float32) * size.clock_slope
    decoder.position_encodings.encodings = clock
    for layer in decoder.layer:
        _set_attention(layer.self_attention, rng, size, self_attention=True, reserved=reserved)
        _set_attention(layer.attention, rng, size, self_attention=False, reserved=reserved)
        _set_ffn(layer.ffn, rng, size, reserved=reserved)
    if size.length_ratio:
        _set_length_head(decoder.layer[0], size)
    _set_layer_norm(decoder.layer_norm, d_model)

    # Rows of equal norm, so no token wins just because its random row is long.
    projection = np.zeros((vocab_size, d_model), dtype=np.float32)
    rows = rng.standard_normal((len(pieces), d_model)).astype(np.float32)
    rows[:, list(reserved)] = 0.0
    rows *= size.projection_scale * np.sqrt(d_model) / np.linalg.norm(rows, axis=1, keepdims=True)
    projection[: len(pieces)] = rows
    bias = np.full(vocab_size, PIECE_BIAS, dtype=np.float32)
    for index, piece in enumerate(vocabulary):
        if _is_blocked(piece):
            projection[index, :] = 0.0
            bias[index] = BLOCKED_BIAS
        elif _is_word(piece):
            bias[index] = WORD_BIAS
    eos = vocabulary.index("</s>")
    projection[eos, :] = 0.0
    projection[eos, CLOCK_DIM] = size.eos_weight
    if size.length_ratio:
        projection[eos, LENGTH_DIM] = -size.eos_weight
    bias[eos] = size.eos_bias
    decoder.projection.weight = projection
    decoder.projection.bias = bias

    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    return spec


def save_model(spec: Any, model_dir: Path) -> str:
    """Quantize to int8 if possible (else keep float32) and save; return the type used."""
    try:
        spec.optimize(quantization="int8")
        quantization = "int8"
    except (ValueError, RuntimeError):  # pragma: no cover - depends on the build
        spec.optimize(quantization="float32")
        quantization = "float32"
    model_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(model_dir))
    return quantization


def translate_pieces(
    model_dir: Path,
    sp: spm.SentencePieceProcessor,
    sentences: Sequence[str],
    *,
    beam_size: int = 1,
    compute_type: str = "int8",
    max_decoding_length: int = TEST.max_decoding_length,
) -> list[list[str]]:
    """Translate ``sentences`` with the raw CTranslate2 model; return the best hypotheses' pieces.

    Raises RuntimeError if any hypothesis is empty, holds a blocked piece, decodes to
    blank text or reaches ``max_decoding_length``.
    """
    translator = ctranslate2.Translator(str(model_dir), device="cpu", compute_type=compute_type, intra_threads=1)
    batch = [sp.encode(sentence, out_type=str) for sentence in sentences]
    results = translator.translate_batch(
        batch,
        beam_size=beam_size,
        num_hypotheses=beam_size,
        max_decoding_length=max_decoding_length,
        replace_unknowns=True,
        length_penalty=0.2,
        return_scores=True,
    )
    outputs = []
    for sentence, result in zip(sentences, results, strict=True):
        for hypothesis in result.hypotheses:
            if not hypothesis or any(_is_blocked(piece) for piece in hypothesis):
                raise RuntimeError(f"bad hypothesis {hypothesis!r} for {sentence!r}")
            if len(hypothesis) >= max_decoding_length:
                raise RuntimeError(f"decoding did not terminate for {sentence!r}")
            if not sp.decode_pieces(hypothesis).strip():
                raise RuntimeError(f"empty output {hypothesis!r} for {sentence!r}")
        outputs.append(list(result.hypotheses[0]))
    return outputs


def check_model(
    model_dir: Path,
    sp: spm.SentencePieceProcessor,
    sentences: Sequence[str],
    size: ModelSize = TEST,
) -> list[str]:
    """Check greedy and beam decoding (int8 and default compute types); return greedy outputs.

    Uses the first ``size.max_check_sentences`` sentences plus tokenizer edge cases, so
    the check stays fast however much fixture text there is.  For a size with a
    length mechanism, also checks that greedy outputs of sources of at least 5 pieces
    are 0.5-2x as long as the source.
    """
    inputs = [*sentences[: size.max_check_sentences], *_EDGE_CASE_INPUTS]
    limit = size.max_decoding_length
    greedy = translate_pieces(model_dir, sp, inputs, beam_size=1, max_decoding_length=limit)
    translate_pieces(model_dir, sp, inputs, beam_size=4, max_decoding_length=limit)
    translate_pieces(model_dir, sp, inputs, beam_size=4, compute_type="default", max_decoding_length=limit)
    if size.length_ratio:
        for sentence, output in zip(inputs, greedy, strict=True):
            source = len(sp.encode(sentence))
            if size.ramp_cap >= source >= 5 and not 0.5 <= len(output) / source <= 2.0:
                raise RuntimeError(f"output of {len(output)} pieces for {source} source pieces: {sentence!r}")
    return [sp.decode_pieces(output) for output in greedy]


def _readme(seed: int, quantization: str, size: ModelSize = TEST) -> str:
    """README.md text for the package."""
    encoder_layers, decoder_layers = size.num_layers
    text = textwrap.dedent(
        f"""\
        # {size.package_name}

        {size.blurb}

        Built by `tools/build_test_model.py` (seed {seed}, {quantization} weights):
        a SentencePiece unigram model with byte fallback and a {encoder_layers}+{decoder_layers} layer CTranslate2
        Transformer (d_model {size.d_model}, {size.num_heads} heads, ffn {size.ffn_dim}) whose weights
        are random. Do not use it for real translations.
        """
    )
    if size.vocab_size:
        text += f"The vocabulary is padded to {size.vocab_size} entries with dummy tokens that are never emitted.\n"
    return text


def _metadata(size: ModelSize = TEST) -> dict[str, Any]:
    """metadata.json contents (fields read by argostranslate.package plus extras)."""
    return {
        "name": size.package_name,
        "description": size.description,
        "package_version": "1.0",
        "argos_version": "1.5",
        "type": "translate",
        "from_code": "de",
        "from_name": "German",
        "to_code": "en",
        "to_name": "English",
        "links": [],
        DEMO_KEY: True,  # random weights: the service tells users its output is meaningless
    }


def _zip_add(archive: zipfile.ZipFile, name: str, data: bytes | None) -> None:
    """Add a file (or a directory when data is None) with fixed timestamp/permissions."""
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    if data is None:
        info.external_attr = (0o40755 << 16) | 0x10
        archive.writestr(info, b"")
    else:
        info.external_attr = 0o100644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, data)


def write_package(archive_path: Path, model_dir: Path, sp_model: bytes, readme: str, size: ModelSize = TEST) -> None:
    """Write the .argosmodel zip with a single top-level package folder."""
    root = size.package_dir + "/"
    with zipfile.ZipFile(archive_path, "w") as archive:
        _zip_add(archive, root, None)
        _zip_add(archive, root + "model/", None)
        for path in sorted(model_dir.iterdir()):
            _zip_add(archive, root + "model/" + path.name, path.read_bytes())
        metadata = json.dumps(_metadata(size), indent=2, ensure_ascii=False) + "\n"
        _zip_add(archive, root + "metadata.json", metadata.encode("utf-8"))
        _zip_add(archive, root + "sentencepiece.model", sp_model)
        _zip_add(archive, root + "README.md", readme.encode("utf-8"))


def build_package(output: Path, seed: int = DEFAULT_SEED, size: ModelSize = TEST) -> Path:
    """Build the package of the given size at ``output`` atomically and return its path.

    Raises RuntimeError if the random model fails the built-in decode check.
    """
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    sentences = collect_sentences()
    sp_model = train_sentencepiece(sentences, seed)
    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    if pieces[:3] != ["<unk>", "<s>", "</s>"]:
        raise RuntimeError(f"unexpected SentencePiece special pieces: {pieces[:3]}")

    with tempfile.TemporaryDirectory(prefix="argos-test-model-") as tmp:
        model_dir = Path(tmp) / "model"
        quantization = save_model(build_spec(pieces, seed, size), model_dir)
        check_model(model_dir, sp, sentences, size)

        fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
        os.close(fd)
        tmp_archive = Path(tmp_name)
        try:
            write_package(tmp_archive, model_dir, sp_model, _readme(seed, quantization, size), size)
            os.chmod(tmp_archive, 0o644)
            os.replace(tmp_archive, output)
        except BaseException:
            tmp_archive.unlink(missing_ok=True)
            raise
    return output


_VERIFY_SCRIPT = """
import json, sys
from pathlib import Path

import ctranslate2
import argostranslate.package as package
from argostranslate.translate import apply_packaged_translation


class OneSentence:
    # Stand-in for argos' sentence splitter, which may download models at run time.
    def split_sentences(self, text):
        return [text]


package.install_from_path(Path(sys.argv[1]))
found = []
for pkg in package.get_installed_packages():
    translator = ctranslate2.Translator(str(pkg.package_path / "model"), device="cpu")
    hypotheses = apply_packaged_translation(
        pkg, "Der Hund läuft über die Straße.", translator, OneSentence(), 4
    )
    found.append({
        "from": pkg.from_code,
        "to": pkg.to_code,
        "dir": pkg.package_path.name,
        "tokens": pkg.tokenizer.encode("Größe 😀"),
        "translations": [h.value for h in hypotheses],
    })
print(json.dumps(found, ensure_ascii=False))
"""


def verify_install(archive: Path) -> list[dict[str, Any]]:
    """Install ``archive`` with the real argostranslate API into a throwaway dir.

    Lists the installed packages and translates one sentence through
    ``argostranslate.translate.apply_packaged_translation`` (beam search, 4
    hypotheses) with a trivial sentence splitter, so nothing is downloaded.  Runs in a
    subprocess so ``ARGOS_PACKAGES_DIR``, ``HOME`` and the XDG dirs (argostranslate
    creates directories on import) point into a temp dir before the import.
    """
    with tempfile.TemporaryDirectory(prefix="argos-verify-") as tmp:
        env = dict(os.environ)
        env["ARGOS_PACKAGES_DIR"] = str(Path(tmp) / "packages")
        env["HOME"] = str(Path(tmp) / "home")
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            env[var] = str(Path(tmp) / var.lower())
        proc = subprocess.run(
            [sys.executable, "-c", _VERIFY_SCRIPT, str(archive)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if proc.returncode != 0:
        raise RuntimeError(f"argostranslate install check failed:\n{proc.stderr}")
    found: list[dict[str, Any]] = json.loads(proc.stdout.strip().splitlines()[-1])
    if not any(p["from"] == "de" and p["to"] == "en" for p in found):
        raise RuntimeError(f"installed package not listed as de->en: {found}")
    if not all(t.strip() for p in found for t in p["translations"]):
        raise RuntimeError(f"argostranslate produced an empty translation: {found}")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("output", type=Path, help="path of the .argosmodel file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument(
        "--size",
        choices=sorted(SIZES),
        default=TEST.name,
        help="test: tiny model for tests/CI (default); bench: realistic compute cost for benchmarks",
    )
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="skip the argostranslate install check (decode check always runs)",
    )
    args = parser.parse_args(argv)

    start = time.perf_counter()
    path = build_package(args.output, seed=args.seed, size=SIZES[args.size])
    built = time.perf_counter() - start
    size = path.stat().st_size
    print(f"built {path} ({size} bytes) in {built:.2f}s")
    if not args.no_verify:
        found = verify_install(path)
        print(f"argostranslate install check ok: {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
