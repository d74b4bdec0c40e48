"""Which languages the installed models cover, with English names (Argos packages carry codes only)."""

from __future__ import annotations

from dataclasses import dataclass

from translator.engine import Engine

# The languages Argos Translate publishes models for (ISO 639-1, plus a few 639-3 codes Argos uses).
LANGUAGE_NAMES = {
    "ar": "Arabic", "az": "Azerbaijani", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan", "cs": "Czech",
    "da": "Danish", "de": "German", "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish",
    "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish",
    "gl": "Galician", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "id": "Indonesian", "it": "Italian",
    "ja": "Japanese", "ko": "Korean", "ky": "Kyrgyz", "lt": "Lithuanian", "lv": "Latvian", "ms": "Malay",
    "nb": "Norwegian Bokmål", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish",
    "th": "Thai", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
    "zh": "Chinese", "zt": "Chinese (traditional)",
}  # fmt: skip


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    targets: tuple[str, ...]


def language_name(code: str) -> str:
    """A readable name for a language code ('de' → 'German'); unknown codes are shown as they are."""
    return LANGUAGE_NAMES.get(code, code or "unknown")


def installed_languages(engine: Engine) -> list[Language]:
    """Every language that appears in an installed pair, with the targets it can be translated into.

    Targets are listed too (with no targets of their own), as LibreTranslate lists them.
    """
    pairs = engine.pairs()
    codes = sorted({code for pair in pairs for code in pair})
    return [Language(code, language_name(code), tuple(sorted({t for s, t in pairs if s == code}))) for code in codes]
