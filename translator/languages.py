"""Which languages the installed models cover, with English names (Argos packages carry codes only)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from translator.errors import ModelError, UnsupportedPairError
from translator.models import INSTALL_HINT, NO_MODEL

if TYPE_CHECKING:
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


def check_pair(pairs: Collection[tuple[str, str]], source: str, target: str) -> None:
    """Refuse a request no installed model can serve, with a message naming what is installed.

    A ``source`` of ``auto`` (checked again once detected) or equal to the target
    needs only a model into the target. No model at all is a ModelError (the
    installation's problem); a pair that is not installed is an UnsupportedPairError
    (the request's problem). Messages keep LibreTranslate's wording first.
    """
    if not pairs:
        raise ModelError(NO_MODEL)
    installed = "Installed: " + ", ".join(f"{language_name(s)} → {language_name(t)}" for s, t in sorted(pairs))
    if target not in {t for _, t in pairs}:
        raise UnsupportedPairError(
            f"{target} is not supported. No installed model translates into {language_name(target)}. "
            f"{installed}. {INSTALL_HINT}"
        )
    if source in ("auto", target) or (source, target) in pairs:
        return
    if source not in {s for s, _ in pairs}:
        raise UnsupportedPairError(
            f"{source} is not supported. No installed model translates {language_name(source)} "
            f"into {language_name(target)}. {installed}. {INSTALL_HINT}"
        )
    raise UnsupportedPairError(
        f"{language_name(target)} ({target}) is not available as a target language from "
        f"{language_name(source)} ({source}). {installed}. {INSTALL_HINT}"
    )


def installed_languages(engine: Engine) -> list[Language]:
    """Every language that appears in an installed pair, with the targets it can be translated into.

    Targets are listed too (with no targets of their own), as LibreTranslate lists them.
    """
    pairs = engine.pairs()
    codes = sorted({code for pair in pairs for code in pair})
    return [Language(code, language_name(code), tuple(sorted({t for s, t in pairs if s == code}))) for code in codes]
