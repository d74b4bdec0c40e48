"""Offline article translator core: segmentation, detection, Argos translation, caching.

Usable without the web layer: ``from translator import translate_document``.
"""

from translator.config import Settings
from translator.document import Block, Detection, Document, Sentence
from translator.errors import ConfigError, InputError, ModelError, TranslatorError
from translator.pipeline import Translator, default_translator, translate_document

__all__ = [
    "Block",
    "ConfigError",
    "Detection",
    "Document",
    "InputError",
    "ModelError",
    "Sentence",
    "Settings",
    "Translator",
    "TranslatorError",
    "default_translator",
    "translate_document",
]
