"""A glossary and the rules every entry follows, whichever way it comes in (CLI, file, web form, API)."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from translator.errors import InputError

MAX_TERM_BYTES = 1024  # DeepL's limit for one glossary entry
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
CONTROL = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})  # control, format (bidi overrides), line breaks, surrogates
JOINERS = frozenset({"\u200c", "\u200d"})  # zero-width (non-)joiners: part of the spelling in some scripts
FORMULA_STARTS = ("=", "+", "@")  # a cell a spreadsheet would run; '-' starts real terms ("-los") and is defused
MARKUP = re.compile(r"<\s*[A-Za-z/!?]")  # a tag, comment or declaration: a term is plain words


@dataclass(frozen=True)
class Glossary:
    """A named glossary of one language pair; ``entries`` maps each source term to its target term."""

    name: str
    source: str
    target: str
    entries: dict[str, str] = field(default_factory=dict, compare=False)

    @cached_property
    def fingerprint(self) -> str:
        """Changes with any entry: part of the document cache key, so an edited glossary is applied again."""
        raw = json.dumps([self.source, self.target, sorted(self.entries.items())], ensure_ascii=False)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def check_pair(self, source: str, target: str) -> None:
        """InputError unless the glossary is for ``source``→``target``."""
        if (source, target) != (self.source, self.target):
            raise InputError(f"The glossary {self.name!r} is for {self.source}→{self.target}, not {source}→{target}.")


def check_name(name: str) -> str:
    """A glossary name: 1-64 letters, digits, '.', '_' or '-' (it appears in URLs and commands)."""
    if not isinstance(name, str) or not NAME.match(name):
        raise InputError(
            f"A glossary name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit; "
            f"got {name[:80]!r}."
        )
    return name


def check_term(term: str, what: str = "term") -> str:
    """A term without surrounding spaces; empty, too long, control characters or markup are refused (why)."""
    if not isinstance(term, str):
        raise InputError(f"The {what} must be text.")
    term = term.strip()
    if not term:
        raise InputError(f"The {what} is empty.")
    if len(term.encode("utf-8")) > MAX_TERM_BYTES:
        raise InputError(f"The {what} is longer than {MAX_TERM_BYTES} bytes.")
    if not term.isprintable():  # fast in C; false for every category refused here (and for harmless spaces)
        for char in term:
            if unicodedata.category(char) in CONTROL and char not in JOINERS:
                raise InputError(f"The {what} contains a control character (U+{ord(char):04X}).")
    if term.startswith(FORMULA_STARTS):
        raise InputError(f"The {what} starts with {term[0]!r} like a spreadsheet formula; a term is plain words.")
    if MARKUP.search(term):
        raise InputError(f"The {what} looks like HTML markup; a term is plain text.")
    return term


def check_entry(source_term: str, target_term: str | None) -> tuple[str, str]:
    """A checked (source, target) entry; no target (or an empty one) makes a do-not-translate term."""
    source = check_term(source_term, "source term")
    if target_term is None or not target_term.strip():
        return source, source
    return source, check_term(target_term, "target term")
