"""Quality flags per sentence: cheap checks that point a reviewer at likely bad output."""

from __future__ import annotations

import re

UNTRANSLATED = "untranslated"
REPEATED_TOKENS = "repeated_tokens"
MISSING_NUMBERS = "missing_numbers"
EMPTY = "empty_translation"
PLACEHOLDER_RESTORED = "placeholder_restored"
FORMATTING_GUESSED = "formatting_guessed"
FLAG_HELP = {
    UNTRANSLATED: "The translation is identical to the source.",
    REPEATED_TOKENS: "The translation repeats a word or phrase in a loop.",
    MISSING_NUMBERS: "A number in the source does not appear in the translation.",
    EMPTY: "The model returned no text for this sentence.",
    PLACEHOLDER_RESTORED: "The model lost, doubled or reordered a placeholder (%s, {name}, a URL...); it was put back.",
    FORMATTING_GUESSED: "The model lost or crossed the formatting; it was put back where it most likely belongs.",
}

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
WORD = re.compile(r"\w+", re.UNICODE)
LOOP_MIN_REPEATS = 4


def quality_flags(source: str, translation: str) -> list[str]:
    flags: list[str] = []
    if not translation.strip():
        return [EMPTY]
    if _is_untranslated(source, translation):
        flags.append(UNTRANSLATED)
    if has_repetition_loop(translation) and not has_repetition_loop(source):
        flags.append(REPEATED_TOKENS)
    if missing_numbers(source, translation):
        flags.append(MISSING_NUMBERS)
    return flags


def _is_untranslated(source: str, translation: str) -> bool:
    """Equal output is suspicious only when the source has words to translate (not '2017' or 'IOC')."""
    letters = [w for w in WORD.findall(source) if not w.isdigit()]
    return source.strip().casefold() == translation.strip().casefold() and len(letters) >= 2


def has_repetition_loop(text: str) -> bool:
    """True if an n-gram (n ≤ 4) repeats LOOP_MIN_REPEATS times in a row, the signature of a decoding loop."""
    words = WORD.findall(text.casefold())
    for size in range(1, 5):
        for start in range(0, len(words) - size * LOOP_MIN_REPEATS + 1):
            gram = words[start : start + size]
            if all(words[start + k * size : start + (k + 1) * size] == gram for k in range(1, LOOP_MIN_REPEATS)):
                return True
    return False


def _canonical_number(raw: str) -> str:
    """'1.000,5', '1,000.5' and '1000.5' compare equal; '24.01.2017' keeps its digits in order."""
    return re.sub(r"[.,]", "", raw)


def missing_numbers(source: str, translation: str) -> list[str]:
    """Numbers in the source that are absent from the translation (separators ignored)."""
    found = {_canonical_number(n) for n in NUMBER.findall(translation)}
    joined = re.sub(r"[.,\s]", "", translation)
    missing = []
    for raw in NUMBER.findall(source):
        canonical = _canonical_number(raw)
        if canonical not in found and canonical not in joined:
            missing.append(raw)
    return missing
