"""Segmenter: the seed's structure, German sentence boundaries, hostile text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import FIXTURES
from translator.errors import InputError
from translator.segment import MD_RULE, SentenceSplitter, clean_text, parse_article

SEED_KINDS = ["title", "subtitle", "byline", "paragraph", "paragraph", "heading", "paragraph", "paragraph", "footer"]


def test_seed_has_nine_blocks_in_order(seed_text: str) -> None:
    blocks = parse_article(seed_text)
    assert [b.kind for b in blocks] == SEED_KINDS


def test_seed_loses_no_line(seed_text: str) -> None:
    blocks = parse_article(seed_text)
    lines = [line.strip() for line in seed_text.splitlines() if line.strip()]
    assert [b.source for b in blocks] == lines


def test_byline_keeps_date_as_data(seed_text: str) -> None:
    byline = parse_article(seed_text)[2]
    assert byline.data["date"] == "2017-01-24"
    assert byline.data["date_text"] == "24.01.2017"


def test_sentence_offsets_point_into_block(seed_text: str) -> None:
    for block in parse_article(seed_text):
        assert block.sentences
        for sentence in block.sentences:
            assert block.source[sentence.start : sentence.end] == sentence.source


def test_seed_paragraph_sentences(seed_text: str) -> None:
    last = parse_article(seed_text)[7]
    assert [s.source for s in last.sentences][-2:] == [
        'Er wurde früher "Crazy Jack" genannt - für ihn ein Lob: "Verrückt ist gut.',
        'Wir sind verrückt, aber nicht dumm."',
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Das gilt z. B. für Äpfel.",
        "Es kamen u. a. Gäste aus Rom.",
        "Dr. Müller kommt morgen.",
        "Er wohnt in Haus Nr. 5 in Köln.",
        "Der Deal kostet 3 Mrd. Euro.",
        "Am 3. Oktober ist Feiertag.",
        "Am 24.01.2017 kam er an.",
    ],
)
def test_german_abbreviations_do_not_end_sentences(text: str) -> None:
    assert [s.source for s in SentenceSplitter("de").split(text)] == [text]


def test_two_sentences_split() -> None:
    found = SentenceSplitter("de").split("Am 3. Oktober kam er. Dann ging er wieder!")
    assert [s.source for s in found] == ["Am 3. Oktober kam er.", "Dann ging er wieder!"]


def test_markdown_soft_wraps_are_joined_and_headings_kept() -> None:
    blocks = parse_article((FIXTURES / "markdown_de.md").read_text(encoding="utf-8"))
    assert [b.kind for b in blocks] == ["title", "paragraph", "heading", "paragraph", "paragraph", "paragraph"]
    assert blocks[1].source.startswith("Die neue Strecke") and blocks[1].source.endswith("halbe Stunde.")
    assert blocks[2].data["level"] == "2"
    assert blocks[4].markup == "- " and blocks[4].source == "Fahrzeit: 90 Minuten"


def test_hard_wrapped_plain_text_is_joined() -> None:
    text = (
        "Die Regierung hat am Dienstag ein neues Gesetz beschlossen, das die\n"
        "Mieten in großen Städten begrenzen soll und ab dem kommenden Jahr gilt.\n"
    )
    blocks = parse_article("Titel der Meldung\n\n" + text)
    assert len(blocks) == 2
    assert blocks[1].source == " ".join(text.split("\n")).strip()


@pytest.mark.parametrize("text", ["", "   \n\t \n", "\x00\x01\x02", "---\n\n***", "```\n```"])
def test_empty_input_is_a_clear_error(text: str) -> None:
    with pytest.raises(InputError, match="empty"):
        parse_article(text)


def test_not_text_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="text"):
        parse_article(b"bytes")  # type: ignore[arg-type]


def test_over_the_limit_is_a_clear_error(seed_text: str) -> None:
    with pytest.raises(InputError, match="limit"):
        parse_article(seed_text, max_chars=100)


def test_one_megabyte_article(seed_text: str) -> None:
    text = (seed_text.replace("\n", " ") + "\n") * 480
    assert len(text) > 900_000
    blocks = parse_article(text, max_chars=2_000_000)
    assert len(blocks) == 480
    assert all(len(s.source) <= 800 for b in blocks for s in b.sentences)


def test_giant_word_is_cut_into_bounded_sentences() -> None:
    blocks = parse_article("x" * 100_000)
    assert sum(len(s.source) for s in blocks[0].sentences) == 100_000
    assert max(len(s.source) for s in blocks[0].sentences) <= 800


def test_control_characters_are_removed_and_mixed_scripts_survive() -> None:
    text = "Hallo\x1b[31m Welt\x07. Привет мир. 你好世界。 مرحبا بالعالم. שלום\u200b"
    blocks = parse_article(text)
    assert "\x1b" not in blocks[0].source and "\x07" not in blocks[0].source
    assert "你好世界" in blocks[0].source and "مرحبا" in blocks[0].source
    assert clean_text("a\r\nb\rc") == "a\nb\nc"


def _is_subsequence(needle: str, haystack: str) -> bool:
    letters = iter(haystack)
    return all(char in letters for char in needle)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_blocks_or_a_clear_error(text: str) -> None:
    try:
        blocks = parse_article(text)
    except InputError:
        lines = [line.strip() for line in clean_text(text).splitlines()]
        assert all(not line or MD_RULE.match(line) or line.startswith("```") for line in lines)
        return
    assert blocks
    for block in blocks:
        assert block.source.strip()
        for sentence in block.sentences:
            assert block.source[sentence.start : sentence.end] == sentence.source
    kept = "".join("".join(b.source.split()) for b in blocks)
    assert _is_subsequence(kept, "".join(clean_text(text).split()))
