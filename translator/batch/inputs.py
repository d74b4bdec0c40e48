"""Which files a batch translates (files, directories, globs) and where each one's outputs go.

Names are decided once, from the whole input list, so they are stable between
runs of the same command: that is what lets the manifest recognise finished work.
"""

from __future__ import annotations

import os
import re
import stat
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from translator.errors import InputError
from translator.sources import ARTICLE_SUFFIXES, is_url

GLOB_CHARACTERS = frozenset("*?[")
NOT_REGULAR = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a directory",
}


@dataclass(frozen=True)
class Item:
    """One input (a file, or a page by URL): where to read it, its key in the manifest, the stem of its outputs."""

    path: Path
    key: str  # unique relative name (POSIX), e.g. "sub/article.md"; for a page, its URL
    base: str  # output stem relative to --out, e.g. "sub/article"; for a page, from its host and path
    url: str = ""

    @property
    def source(self) -> str:
        """Where the input comes from, for the manifest and messages."""
        return self.url or str(self.path)

    def output_name(self, source_language: str, target: str, extension: str) -> str:
        """``sub/article.de-en.html``: the input's stem, the language pair, the export's extension."""
        return f"{self.base}.{source_language}-{target}.{extension}"


class Found(NamedTuple):
    """What discover found: the items to translate, warnings, and files left out because they are not regular."""

    items: list[Item]
    warnings: list[str]
    skipped: list[str]  # "path (a FIFO)": named or matched, but never opened


def discover(inputs: Sequence[str], out_dir: Path, suffixes: tuple[str, ...] = ARTICLE_SUFFIXES) -> Found:
    """Items for INPUT arguments (files, folders, globs, http(s) addresses), warnings (a glob that matched
    nothing), and skipped non-regular files.

    Directories are walked recursively for article files (hidden entries and the
    output directory are left out); a file named explicitly is taken whatever its
    suffix, so an unsupported one is reported rather than silently dropped.
    Recursive globs (``**``) do not descend into symlinked directories, so a
    symlink loop cannot make them endless. Nothing under the output directory is
    ever an input (a re-run must not translate its own outputs). Only regular
    files are read: a FIFO, socket or device would block or never end, so it is
    listed in ``skipped`` instead. Raises InputError for a named path that does not exist. ``suffixes``: the files a
    directory or glob yields (documents too with ``--format same``).
    """
    found: list[tuple[Path, str]] = []
    urls: list[str] = []
    warnings: list[str] = []
    skipped: list[str] = []
    excluded = _real(out_dir)
    for argument in inputs:
        if is_url(argument):
            urls.append(argument.strip())
            continue
        literal = Path(argument).expanduser()
        if not literal.exists() and GLOB_CHARACTERS & set(argument):
            hits = 0
            for match in _glob(os.path.expanduser(argument)):
                if _under(match, excluded):
                    continue
                if match.is_dir():
                    walked = list(_walk(match, excluded, skipped, suffixes))
                    found += walked
                    hits += len(walked)
                elif match.name.lower().endswith(suffixes) and (kind := _kind(match)) != "missing":
                    if kind == "file":
                        found.append((match, match.name))
                        hits += 1
                    else:
                        skipped.append(f"{match} ({kind})")
            if not hits:
                warnings.append(f"{argument}: no article files match")
        elif literal.is_dir():
            if _real(literal) == excluded:
                raise InputError(f"{argument} is the output directory; give --out another folder.")
            found += _walk(literal, excluded, skipped, suffixes)
        elif literal.exists():
            if _under(literal, excluded):
                warnings.append(f"{argument} is inside the output directory; left out")
            elif (kind := _kind(literal)) in ("file", "missing"):  # unreadable: fails later, with its reason
                found.append((literal, literal.name))
            else:
                skipped.append(f"{literal} ({kind})")
        else:
            raise InputError(f"{argument}: no such file or directory.")
    files = _name(found)
    return Found(files + url_items(urls, {item.base for item in files}), warnings, list(dict.fromkeys(skipped)))


def url_items(urls: Sequence[str], taken: set[str]) -> list[Item]:
    """Items for web addresses: keyed by the URL; outputs under a folder named after the host.

    ``https://www.example.de/politik/artikel-123.html`` -> ``www.example.de/politik-artikel-123``.
    """
    items: list[Item] = []
    taken = set(taken)
    for url in dict.fromkeys(urls):
        host, _, rest = url.split("://", 1)[1].partition("/")
        path = re.sub(r"\.(html?|php|aspx?)$", "", rest.split("#")[0].split("?")[0], flags=re.IGNORECASE)
        stem = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")[:80].rstrip("-") or "index"
        folder = re.sub(r"[^A-Za-z0-9.-]+", "-", host.lower()).strip(".-") or "web"
        base = _free(f"{folder}/{stem}", taken, keep_suffix=False)
        taken.add(base)
        items.append(Item(Path(), url, base, url=url))
    return items


def _glob(pattern: str) -> list[Path]:
    """Paths matching a glob, sorted; ``**`` never follows a symlinked directory (pathlib's rule).

    Like the shell (and ``glob.glob``), wildcards do not match hidden names unless
    the pattern itself names one (a part starting with ``.``).
    """
    parts = Path(pattern).parts
    fixed = next((i for i, part in enumerate(parts) if GLOB_CHARACTERS & set(part)), len(parts))
    anchor, rest = Path(*parts[:fixed]) if fixed else Path(), parts[fixed:]
    if not rest or not anchor.is_dir():
        return []
    show_hidden = any(part.startswith(".") for part in rest)
    matches = [
        match
        for match in anchor.glob(os.path.join(*rest))
        if show_hidden or not any(part.startswith(".") for part in match.relative_to(anchor).parts)
    ]
    return sorted(matches, key=str)


def _walk(root: Path, excluded: str, skipped: list[str], suffixes: tuple[str, ...]) -> Iterator[tuple[Path, str]]:
    """Article files under root in a stable (sorted) order, with their path relative to root.

    Symlinked directories are not followed; non-regular article-named files go to ``skipped``.
    """
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and _real(Path(directory) / d) != excluded)
        for filename in sorted(filenames):
            if not filename.startswith(".") and filename.lower().endswith(suffixes):
                path = Path(directory) / filename
                if (kind := _kind(path)) in ("file", "missing"):  # a dangling link fails later, with its reason
                    yield path, path.relative_to(root).as_posix()
                else:
                    skipped.append(f"{path} ({kind})")


def _kind(path: Path) -> str:
    """What path is: "file" (regular, or a link to one), "missing" (cannot be stat'ed), or its kind."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return "missing"
    if stat.S_ISREG(mode):
        return "file"
    return NOT_REGULAR.get(stat.S_IFMT(mode), "not a regular file")


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


def _under(path: Path, directory: str) -> bool:
    """True when path (symlinks resolved) is directory or lies inside it."""
    real = _real(path)
    return real == directory or real.startswith(directory.rstrip(os.sep) + os.sep)
