"""Quality flags (pure logic)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from translator.flags import (
    EMPTY,
    MISSING_NUMBERS,
    REPEATED_TOKENS,
    UNTRANSLATED,
    has_repetition_loop,
    missing_numbers,
    quality_flags,
)


def test_good_translation_has_no_flags() -> None:
    assert quality_flags("Er zahlte 200 Millionen.", "He paid 200 million.") == []


def test_untranslated_sentence() -> None:
    assert UNTRANSLATED in quality_flags("Das ist gut.", "Das ist gut.")


def test_names_and_numbers_equal_to_source_are_not_untranslated() -> None:
    assert quality_flags("IOC", "IOC") == []
    assert quality_flags("24.01.2017", "24.01.2017") == []


def test_repetition_loop() -> None:
    assert REPEATED_TOKENS in quality_flags("Die Spiele sind groß.", "The the the the games are big.")
    assert REPEATED_TOKENS in quality_flags("Die Spiele.", "of the game of the game of the game of the game")
    assert not has_repetition_loop("The games are big and the games are fun.")


def test_missing_numbers() -> None:
    assert MISSING_NUMBERS in quality_flags("Zwischen 600 und 800 Millionen.", "Between 600 and many millions.")
    assert missing_numbers("Zwischen 600 und 800 Millionen.", "Between 600 and many millions.") == ["800"]


def test_number_formats_compare_equal() -> None:
    assert missing_numbers("Es kostet 1.000,50 Euro.", "It costs 1,000.50 euros.") == []
    assert missing_numbers("Am 24.01.2017.", "On 24.01.2017.") == []


def test_empty_translation() -> None:
    assert quality_flags("Hallo Welt.", "  ") == [EMPTY]


@given(st.text(max_size=200), st.text(max_size=200))
def test_flags_are_known_and_never_raise(source: str, translation: str) -> None:
    assert set(quality_flags(source, translation)) <= {EMPTY, UNTRANSLATED, REPEATED_TOKENS, MISSING_NUMBERS}
