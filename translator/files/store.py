"""Translated files waiting to be downloaded: unguessable names, a time limit, cleaned up as requests come.

LibreTranslate answers ``/translate_file`` with a URL to fetch the result; the
name in that URL is the only key to the file, so it carries 192 random bits. A
file older than ``keep_seconds`` is neither served nor kept: every save and every
download first deletes the expired ones (no background thread needed).
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from translator.files import base_name, translated_name
from translator.textio import write_atomic

TOKEN_BYTES = 24
STORED_NAME = re.compile(r"^[A-Za-z0-9_-]{32}\.[\w.-]{1,120}$")


class FileStore:
    def __init__(self, directory: Path, keep_seconds: int) -> None:
        self.directory = directory
        self.keep_seconds = keep_seconds

    def save(self, data: bytes, download_name: str) -> str:
        """Store the file; the returned name is what the download URL carries."""
        self.clean()
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{secrets.token_urlsafe(TOKEN_BYTES)}.{safe_name(download_name)}"
        write_atomic(self.directory / name, data)
        return name

    def save_translation(self, data: bytes, original: str, target: str, suffix: str) -> str:
        """Store a translated file under the name it is given back as: ``brief.docx`` → ``brief.en.docx``."""
        return self.save(data, translated_name(original, target, suffix))

    def path(self, name: str) -> Path | None:
        """The stored file for a download name, or None when unknown, malformed or expired."""
        self.clean()
        if not STORED_NAME.match(name):
            return None
        path = self.directory / name
        return path if path.is_file() else None

    def clean(self) -> None:
        if not self.directory.is_dir():
            return
        deadline = time.time() - self.keep_seconds
        for path in self.directory.iterdir():
            try:
                if path.stat().st_mtime < deadline:
                    path.unlink()
            except FileNotFoundError:  # another request cleaned it first
                continue


def download_name(name: str) -> str:
    """The name the user gets back: the stored name without its random token."""
    return name.split(".", 1)[1] if "." in name else name


def safe_name(name: str) -> str:
    """A file name without directories or characters a URL or a file system would trip on."""
    base = base_name(name)
    cleaned = re.sub(r"[^\w.-]+", "_", base, flags=re.ASCII).strip("._") or "file"
    return cleaned[-120:]
