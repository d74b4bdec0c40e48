"""Build a tiny, random-weight but *real* Argos Translate package for tests and CI.

Usage::

    python tools/build_test_model.py OUTPUT.argosmodel [--seed N] [--no-verify]

The package (``translate-de_en-test``, German -> English) contains a SentencePiece
model trained on the German text fixtures plus a small built-in corpus, and a small
CTranslate2 Transformer whose weights are random numbers.  Its output is meaningless
words, but it exercises the full tokenize -> CTranslate2 -> detokenize pipeline.

How the random model is made to behave:

* Ordinary word pieces get a positive projection bias, special tokens (``<unk>``,
  ``<s>``) and byte-fallback pieces (``<0x..>``) a large negative bias, so every
  output contains decodable, non-empty pieces.
* Dimension 0 of the model is a "clock": the decoder uses a learned position table
  whose column 0 is ``position * CLOCK_SLOPE`` and no layer writes to that dimension.
  The ``</s>`` projection row reads only dimension 0, so end-of-sentence is very
  unlikely at the first step and wins after a few steps: every sentence yields a
  short output (about 5-9 pieces) and decoding always terminates.
* The other columns of that table are random +-1 noise for the first positions, so
  the greedy decoder does not lock onto repeating one piece; sharpened
  cross-attention makes the output depend on the source sentence.

No torch and no network access are needed; the build takes about a second, most of
it spent on the built-in decode check.
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
from pathlib import Path
from typing import Any

import ctranslate2
import numpy as np
import sentencepiece as spm
from ctranslate2.specs import TransformerSpec

PACKAGE_NAME = "translate-de_en-test"
PACKAGE_DIR = "translate-de_en-test_1_0"
DEFAULT_SEED = 0
FIXTURES_DIR = Path(__file__).resolve().parent.parent / "tests" / "fixtures"

VOCAB_SIZE = 500
D_MODEL = 64
NUM_HEADS = 4
FFN_DIM = 128
NUM_LAYERS = (2, 2)  # (encoder, decoder)
MAX_POSITIONS = 1024  # rows of the learned decoder position table (max target length)
CLOCK_SLOPE = 2.0  # value added to the clock dimension per decoder step
EOS_WEIGHT = 6.0  # </s> logit = EOS_WEIGHT * normalized_clock + EOS_BIAS
EOS_BIAS = -14.0
WORD_BIAS = 3.0  # extra bias for pieces that look like words ("▁" + letters)
PIECE_BIAS = -2.0  # bias for other ordinary pieces
BLOCKED_BIAS = -100.0  # <unk>, <s>, byte-fallback pieces, bare "▁"
PROJECTION_SCALE = 0.6  # RMS of the (equal-norm) random projection rows
MAX_DECODING_LENGTH = 64  # used by the built-in decode check
MAX_CHECK_SENTENCES = 48  # sentences (built-ins first) used by the decode check
POSITION_NOISE = 1.0  # amplitude of the random decoder position codes
NOISY_POSITIONS = 256  # positions that get random codes (the rest are zero)
CROSS_QUERY_GAIN = 6.0  # > 1 sharpens cross-attention onto individual source tokens

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
        vocab_size=VOCAB_SIZE,
        hard_vocab_limit=False,
        character_coverage=1.0,
        byte_fallback=True,
        num_threads=1,
        shuffle_input_sentence=False,
        max_sentence_length=100000,
        minloglevel=2,
    )
    return buffer.getvalue()


def _is_blocked(piece: str) -> bool:
    """Whether the decoder should never emit this target piece."""
    is_byte = piece.startswith("<0x") and piece.endswith(">") and len(piece) == 6
    return piece in ("<unk>", "<s>", "</s>", "▁") or is_byte


def _is_word(piece: str) -> bool:
    """Whether a piece looks like a word: ``▁`` followed by at least two letters."""
    return piece.startswith("▁") and len(piece) > 2 and piece[1:].isalpha()


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
    writes_residual: bool,
    gain: float = 1.0,
) -> None:
    """Fill a LinearSpec; residual writers never touch the clock dimension 0."""
    weight = _linear(rng, out_dim, in_dim) * np.float32(gain)
    bias = (rng.standard_normal(out_dim) * 0.02).astype(np.float32)
    if writes_residual:
        weight[0, :] = 0.0
        bias[0] = 0.0
    spec.weight = weight
    spec.bias = bias


def _set_layer_norm(spec: Any) -> None:
    """Identity layer norm: gamma = 1, beta = 0."""
    spec.gamma = np.ones(D_MODEL, dtype=np.float32)
    spec.beta = np.zeros(D_MODEL, dtype=np.float32)


def _set_attention(spec: Any, rng: np.random.Generator, *, self_attention: bool) -> None:
    """Fill a MultiHeadAttentionSpec (fused QKV for self-attention, Q + fused KV otherwise)."""
    _set_layer_norm(spec.layer_norm)
    if self_attention:
        _set_linear(spec.linear[0], rng, 3 * D_MODEL, D_MODEL, writes_residual=False)
        _set_linear(spec.linear[1], rng, D_MODEL, D_MODEL, writes_residual=True)
    else:
        _set_linear(
            spec.linear[0],
            rng,
            D_MODEL,
            D_MODEL,
            writes_residual=False,
            gain=CROSS_QUERY_GAIN,
        )
        _set_linear(spec.linear[1], rng, 2 * D_MODEL, D_MODEL, writes_residual=False)
        _set_linear(spec.linear[2], rng, D_MODEL, D_MODEL, writes_residual=True)


def _set_ffn(spec: Any, rng: np.random.Generator) -> None:
    """Fill a FeedForwardSpec."""
    _set_layer_norm(spec.layer_norm)
    _set_linear(spec.linear_0, rng, FFN_DIM, D_MODEL, writes_residual=False)
    _set_linear(spec.linear_1, rng, D_MODEL, FFN_DIM, writes_residual=True)


def _embeddings(rng: np.random.Generator, vocab_size: int) -> np.ndarray:
    """Random embeddings (scaled by sqrt(d_model) at run time); column 0 is the clock."""
    weight: np.ndarray = rng.standard_normal((vocab_size, D_MODEL)).astype(np.float32)
    weight /= np.sqrt(D_MODEL)
    weight[:, 0] = 0.0
    return weight


def build_spec(pieces: Sequence[str], seed: int) -> Any:
    """Create a validated CTranslate2 TransformerSpec with random weights."""
    rng = np.random.default_rng(seed)
    vocab_size = len(pieces)
    spec = TransformerSpec.from_config(NUM_LAYERS, NUM_HEADS)

    encoder = spec.encoder
    encoder.embeddings[0].weight = _embeddings(rng, vocab_size)
    for layer in encoder.layer:
        _set_attention(layer.self_attention, rng, self_attention=True)
        _set_ffn(layer.ffn, rng)
    _set_layer_norm(encoder.layer_norm)

    decoder = spec.decoder
    decoder.embeddings.weight = _embeddings(rng, vocab_size)
    clock = np.zeros((MAX_POSITIONS, D_MODEL), dtype=np.float32)
    clock[:NOISY_POSITIONS, 1:] = rng.choice(
        np.array([-POSITION_NOISE, POSITION_NOISE], dtype=np.float32),
        size=(NOISY_POSITIONS, D_MODEL - 1),
    )
    clock[:, 0] = np.arange(MAX_POSITIONS, dtype=np.float32) * CLOCK_SLOPE
    decoder.position_encodings.encodings = clock
    for layer in decoder.layer:
        _set_attention(layer.self_attention, rng, self_attention=True)
        _set_attention(layer.attention, rng, self_attention=False)
        _set_ffn(layer.ffn, rng)
    _set_layer_norm(decoder.layer_norm)

    # Rows of equal norm, so no token wins just because its random row is long.
    projection = rng.standard_normal((vocab_size, D_MODEL)).astype(np.float32)
    projection[:, 0] = 0.0
    projection *= PROJECTION_SCALE * np.sqrt(D_MODEL) / np.linalg.norm(projection, axis=1, keepdims=True)
    bias = np.full(vocab_size, PIECE_BIAS, dtype=np.float32)
    for index, piece in enumerate(pieces):
        if _is_blocked(piece):
            projection[index, :] = 0.0
            bias[index] = BLOCKED_BIAS
        elif _is_word(piece):
            bias[index] = WORD_BIAS
    eos = pieces.index("</s>")
    projection[eos, :] = 0.0
    projection[eos, 0] = EOS_WEIGHT
    bias[eos] = EOS_BIAS
    decoder.projection.weight = projection
    decoder.projection.bias = bias

    spec.register_source_vocabulary(list(pieces))
    spec.register_target_vocabulary(list(pieces))
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


def decode_samples(
    model_dir: Path,
    sp: spm.SentencePieceProcessor,
    sentences: Sequence[str],
    *,
    beam_size: int = 1,
    compute_type: str = "int8",
) -> list[str]:
    """Translate ``sentences`` with the raw CTranslate2 model; return decoded strings."""
    translator = ctranslate2.Translator(str(model_dir), device="cpu", compute_type=compute_type, intra_threads=1)
    batch = [sp.encode(sentence, out_type=str) for sentence in sentences]
    results = translator.translate_batch(
        batch,
        beam_size=beam_size,
        num_hypotheses=beam_size,
        max_decoding_length=MAX_DECODING_LENGTH,
        replace_unknowns=True,
        length_penalty=0.2,
        return_scores=True,
    )
    outputs = []
    for sentence, result in zip(sentences, results, strict=True):
        for hypothesis in result.hypotheses:
            if not hypothesis or any(_is_blocked(piece) for piece in hypothesis):
                raise RuntimeError(f"bad hypothesis {hypothesis!r} for {sentence!r}")
            if len(hypothesis) >= MAX_DECODING_LENGTH:
                raise RuntimeError(f"decoding did not terminate for {sentence!r}")
            if not sp.decode_pieces(hypothesis).strip():
                raise RuntimeError(f"empty output {hypothesis!r} for {sentence!r}")
        outputs.append(sp.decode_pieces(result.hypotheses[0]))
    return outputs


def check_model(model_dir: Path, sp: spm.SentencePieceProcessor, sentences: Sequence[str]) -> list[str]:
    """Check greedy and beam decoding (int8 and default compute types).

    Uses the first ``MAX_CHECK_SENTENCES`` sentences plus tokenizer edge cases, so the
    check stays fast however much fixture text there is.
    """
    inputs = [*sentences[:MAX_CHECK_SENTENCES], *_EDGE_CASE_INPUTS]
    greedy = decode_samples(model_dir, sp, inputs, beam_size=1)
    decode_samples(model_dir, sp, inputs, beam_size=4)
    decode_samples(model_dir, sp, inputs, beam_size=4, compute_type="default")
    return greedy


def _readme(seed: int, quantization: str) -> str:
    """README.md text for the package."""
    return textwrap.dedent(
        f"""\
        # {PACKAGE_NAME}

        Tiny random-weight German -> English test model for CI; output is meaningless.

        Built by `tools/build_test_model.py` (seed {seed}, {quantization} weights):
        a SentencePiece unigram model with byte fallback and a 2+2 layer CTranslate2
        Transformer (d_model {D_MODEL}, {NUM_HEADS} heads, ffn {FFN_DIM}) whose weights
        are random. Do not use it for real translations.
        """
    )


def _metadata() -> dict[str, Any]:
    """metadata.json contents (fields read by argostranslate.package plus extras)."""
    return {
        "name": PACKAGE_NAME,
        "description": "Tiny random-weight test model; output is meaningless",
        "package_version": "1.0",
        "argos_version": "1.5",
        "type": "translate",
        "from_code": "de",
        "from_name": "German",
        "to_code": "en",
        "to_name": "English",
        "links": [],
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


def write_package(archive_path: Path, model_dir: Path, sp_model: bytes, readme: str) -> None:
    """Write the .argosmodel zip with a single top-level package folder."""
    root = PACKAGE_DIR + "/"
    with zipfile.ZipFile(archive_path, "w") as archive:
        _zip_add(archive, root, None)
        _zip_add(archive, root + "model/", None)
        for path in sorted(model_dir.iterdir()):
            _zip_add(archive, root + "model/" + path.name, path.read_bytes())
        metadata = json.dumps(_metadata(), indent=2, ensure_ascii=False) + "\n"
        _zip_add(archive, root + "metadata.json", metadata.encode("utf-8"))
        _zip_add(archive, root + "sentencepiece.model", sp_model)
        _zip_add(archive, root + "README.md", readme.encode("utf-8"))


def build_package(output: Path, seed: int = DEFAULT_SEED) -> Path:
    """Build the test package at ``output`` atomically and return its path.

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
        quantization = save_model(build_spec(pieces, seed), model_dir)
        check_model(model_dir, sp, sentences)

        fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
        os.close(fd)
        tmp_archive = Path(tmp_name)
        try:
            write_package(tmp_archive, model_dir, sp_model, _readme(seed, quantization))
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
        "--no-verify",
        action="store_true",
        help="skip the argostranslate install check (decode check always runs)",
    )
    args = parser.parse_args(argv)

    start = time.perf_counter()
    path = build_package(args.output, seed=args.seed)
    built = time.perf_counter() - start
    size = path.stat().st_size
    print(f"built {path} ({size} bytes) in {built:.2f}s")
    if not args.no_verify:
        found = verify_install(path)
        print(f"argostranslate install check ok: {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
