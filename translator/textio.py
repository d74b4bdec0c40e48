"""Reading article files and writing outputs safely (temp file, then rename)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from translator.errors import InputError


def decode_article(data: bytes, name: str = "the file") -> str:
    """Bytes to text: UTF-8 only, with a clear error for binary or other encodings."""
    if not data.strip():
        raise InputError(f"{name} is empty.")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name} looks like a binary file, not an article.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name} is not UTF-8 text (byte {error.start}: {data[error.start : error.start + 1]!r}); "
            "save it as UTF-8 and try again."
        ) from None


def read_article(path: Path) -> str:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a file.") from None
    except OSError as error:
        raise InputError(f"Cannot read {path}: {error.strerror or error}.") from None
    return decode_article(data, str(path))


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temp file in the same directory, fsync, then rename: no reader sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
