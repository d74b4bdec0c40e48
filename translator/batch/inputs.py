"""Which files a batch translates (files, directories, globs) and where each one's outputs go.

Names are decided once, from the whole input list, so they are stable between
runs of the same command: that is what lets the manifest recognise finished work.
"""

from __future__ import annotations

import glob
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from translator.errors import InputError
from translator.textio import ARTICLE_SUFFIXES

GLOB_CHARACTERS = frozenset("*?[")


@dataclass(frozen=True)
class Item:
    """One input file: where to read it, its key in the manifest, and the stem of its outputs."""

    path: Path
    key: str  # unique relative name (POSIX), e.g. "sub/article.md"
    base: str  # output stem relative to --out, e.g. "sub/article"

    def output_name(self, source_language: str, target: str, extension: str) -> str:
        """``sub/article.de-en.html``: the input's stem, the language pair, the export's extension."""
        return f"{self.base}.{source_language}-{target}.{extension}"


def discover(
    inputs: Sequence[str], out_dir: Path, suffixes: tuple[str, ...] = ARTICLE_SUFFIXES
) -> tuple[list[Item], list[str]]:
    """Items for INPUT arguments, and warnings (a glob that matched nothing).

    Directories are walked recursively for article files (hidden entries and the
    output directory are left out); a file named explicitly is taken whatever its
    suffix, so an unsupported one is reported rather than silently dropped.
    Raises InputError for a named path that does not exist. ``suffixes``: the files a
    directory or glob yields (documents too with ``--format same``).
    """
    found: list[tuple[Path, str]] = []
    warnings: list[str] = []
    excluded = _real(out_dir)
    for argument in inputs:
        literal = Path(argument).expanduser()
        if not literal.exists() and GLOB_CHARACTERS & set(argument):
            matches = sorted(glob.glob(os.path.expanduser(argument), recursive=True))
            hits = 0
            for match in map(Path, matches):
                if match.is_dir() and _real(match) != excluded:
                    walked = list(_walk(match, excluded, suffixes))
                    found += walked
                    hits += len(walked)
                elif match.is_file() and match.name.lower().endswith(suffixes) and _real(match) != excluded:
                    found.append((match, match.name))
                    hits += 1
            if not hits:
                warnings.append(f"{argument}: no article files match")
        elif literal.is_dir():
            if _real(literal) == excluded:
                raise InputError(f"{argument} is the output directory; give --out another folder.")
            found += _walk(literal, excluded, suffixes)
        elif literal.exists():
            found.append((literal, literal.name))
        else:
            raise InputError(f"{argument}: no such file or directory.")
    return _name(found), warnings


def _walk(root: Path, excluded: str, suffixes: tuple[str, ...]) -> Iterator[tuple[Path, str]]:
    """Article files under root in a stable (sorted) order, with their path relative to root."""
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and _real(Path(directory) / d) != excluded)
        for filename in sorted(filenames):
            if not filename.startswith(".") and filename.lower().endswith(suffixes):
                path = Path(directory) / filename
                yield path, path.relative_to(root).as_posix()


def _name(found: list[tuple[Path, str]]) -> list[Item]:
    """Drop duplicates, then make keys and output stems unique.

    Keys: a relative name seen twice (``a/x.txt`` and ``b/x.txt`` given as files)
    becomes ``x-2.txt`` for the later one. Stems: inputs differing only in suffix
    (``x.txt`` and ``x.md``) keep their suffix in the stem (``x.txt``, ``x.md``).
    """
    seen: set[str] = set()
    unique: list[tuple[Path, str]] = []
    for path, relative in found:
        real = _real(path)
        if real not in seen:
            seen.add(real)
            unique.append((path, relative))
    keys: list[str] = []
    taken: set[str] = set()
    for _, relative in unique:
        keys.append(_free(relative, taken))
        taken.add(keys[-1])
    stems = [str(PurePosixPath(key).with_suffix("")) for key in keys]
    counts = Counter(stems)
    bases: list[str] = []
    taken = set()
    for key, stem in zip(keys, stems, strict=True):
        bases.append(_free(stem if counts[stem] == 1 else key, taken, keep_suffix=False))
        taken.add(bases[-1])
    return [Item(path, key, base) for (path, _), key, base in zip(unique, keys, bases, strict=True)]


def _free(name: str, taken: set[str], keep_suffix: bool = True) -> str:
    """``name`` if not taken, else ``stem-2.suffix``, ``stem-3.suffix``... (``name-2``... with keep_suffix off)."""
    if name not in taken:
        return name
    pure = PurePosixPath(name)
    stem, suffix = (str(pure.with_suffix("")), pure.suffix) if keep_suffix else (name, "")
    number = 2
    while f"{stem}-{number}{suffix}" in taken:
        number += 1
    return f"{stem}-{number}{suffix}"


def _real(path: Path) -> str:
    return os.path.realpath(path)
