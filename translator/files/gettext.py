"""gettext .po/.pot through polib: msgid kept, msgstr filled, plural forms, fuzzy marked, comments kept.

Only untranslated entries are filled (a human translation already there is
kept). A filled entry is marked ``fuzzy`` (gettext then ignores it until a
translator has looked, which is what machine output deserves) unless every
sentence of it, plural included, is an approved human translation from the
translation memory and nothing had to be repaired (``SegmentResult.origin``).
The header gets the target ``Language`` and, for a template, its ``Plural-Forms`` and a UTF-8 charset,
so ``msgfmt -c`` accepts the result. Nothing time-dependent is written (the same
input gives the same file).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence

import polib

from translator.errors import InputError
from translator.files import output_suffix
from translator.files.base import Job, decode_text
from translator.inline import SegmentResult, protect_text

# Plural-Forms per target language (gettext manual, "Plural forms"); others: two forms like English.
PLURAL_FORMS = {
    "ja": "nplurals=1; plural=0;", "ko": "nplurals=1; plural=0;", "zh": "nplurals=1; plural=0;",
    "tr": "nplurals=2; plural=(n != 1);", "fr": "nplurals=2; plural=(n > 1);", "pt": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "cs": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
}  # fmt: skip
DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


def load(data: bytes, name: str) -> Job:
    catalog = _parse(decode_text(data, name), name)
    todo = [e for e in catalog if not e.obsolete and e.msgid and not e.translated() and not e.fuzzy]
    segments = []
    for entry in todo:
        segments.append(protect_text(entry.msgid))
        if entry.msgid_plural:
            segments.append(protect_text(entry.msgid_plural))

    def build(results: Sequence[SegmentResult], target: str) -> bytes:
        _set_header(catalog, target)
        plurals = _plural_count(catalog.metadata.get("Plural-Forms", ""))
        answers = iter(results)
        for entry in todo:
            results_of_entry = [next(answers)]
            singular = results_of_entry[0].text
            if entry.msgid_plural:
                results_of_entry.append(next(answers))
                plural = results_of_entry[1].text
                entry.msgstr_plural = {n: singular if n == 0 and plurals > 1 else plural for n in range(plurals)}
            else:
                entry.msgstr = singular
            reviewed = all(result.origin == "memory" for result in results_of_entry)
            if not reviewed and "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
        return str(catalog).encode("utf-8")

    return Job(segments, build, output_suffix(name))


def _parse(text: str, name: str) -> polib.POFile:
    """polib takes a path or content and guesses which: give it a path, never user content as one."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".po", delete=False) as handle:
        handle.write(text)
    try:
        return polib.pofile(handle.name, encoding="utf-8", check_for_duplicates=False)
    except (OSError, ValueError, UnicodeError) as error:
        message = str(error).replace(handle.name, name)
        raise InputError(f"{name} is not a valid gettext file: {message}") from None
    finally:
        os.unlink(handle.name)


def _set_header(catalog: polib.POFile, target: str) -> None:
    metadata = catalog.metadata
    metadata["Language"] = target
    forms = metadata.get("Plural-Forms", "")
    if not forms or "INTEGER" in forms or "EXPRESSION" in forms:
        metadata["Plural-Forms"] = PLURAL_FORMS.get(target.split("-")[0], DEFAULT_PLURAL_FORMS)
    if "CHARSET" in metadata.get("Content-Type", "CHARSET"):
        metadata["Content-Type"] = "text/plain; charset=UTF-8"
    metadata.setdefault("MIME-Version", "1.0")
    metadata.setdefault("Content-Transfer-Encoding", "8bit")


def _plural_count(forms: str) -> int:
    for part in forms.split(";"):
        key, _, value = part.partition("=")
        if key.strip() == "nplurals" and value.strip().isdigit():
            return max(1, int(value.strip()))
    return 2
