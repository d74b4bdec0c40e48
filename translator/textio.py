"""Writing outputs safely (temp file, then rename); reading inputs is translator.sources."""

from __future__ import annotations

import os
import secrets
import unicodedata
from pathlib import Path

UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})  # Unicode categories a terminal may act on
TEMP_NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"  # as tempfile's names (manifest.STALE_TEMP)


def printable(text: str) -> str:
    """Text safe to show on a terminal: control and format characters (ESC sequences, BEL, line breaks, bidi
    overrides) and undecodable bytes of a file name are shown as escapes (``\\x1b``, ``\\u202e``, ``\\udcff``)."""
    return "".join(
        char.encode("unicode_escape").decode("ascii") if unicodedata.category(char) in UNPRINTABLE else char
        for char in text
    )


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temp file in the same directory, fsync, then rename: no reader sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temp_path = _create_temp(path)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_path, path)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise


def _create_temp(path: Path) -> tuple[int, Path]:
    """A new ``.<name>.<8 random chars>.part`` next to path, created exclusively like tempfile.mkstemp does,
    but with mode 0666 less the umask as any new file gets: mkstemp's 0600 made every output private."""
    for _ in range(100):
        suffix = "".join(secrets.choice(TEMP_NAME_CHARACTERS) for _ in range(8))
        temp_path = path.parent / f".{path.name}.{suffix}.part"
        try:
            return os.open(temp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666), temp_path
        except FileExistsError:
            continue
    raise FileExistsError(f"No free temporary name next to {path}.")
