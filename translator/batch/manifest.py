"""The batch manifest: what is finished in an output directory, so a re-run only does what is left.

``DIR/.translator-manifest.json`` maps each input's key to what produced its
outputs (content hash, languages, model, decoding options, formats). After
every file its entry is appended (and fsynced) to ``.translator-manifest.journal``,
so a crash or SIGKILL loses at most the file in progress, and recording a file
costs one line, not a rewrite of an archive-sized manifest. The journal is
folded into the manifest (written atomically) whenever it has grown as long as
the manifest, and at the end of a run: total writes stay linear in the number
of files. Journal lines carry a sequence number that the manifest records, so
a crash between the two steps of a fold replays nothing twice. A lock file
keeps two batches from writing to one directory.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translator.errors import InputError
from translator.textio import TEMP_NAME_CHARACTERS, write_atomic

MANIFEST_NAME = ".translator-manifest.json"
JOURNAL_NAME = ".translator-manifest.journal"
FOLD_AT_LEAST = 64  # journal lines before a fold is worth it, however small the manifest
LOCK_NAME = ".translator-manifest.lock"
MANIFEST_VERSION = 1
# A file name that is not UTF-8 reaches us with surrogate escapes ("\udcff"), which UTF-8 cannot encode.
# They only occur inside JSON strings, where backslashreplace writes them as the JSON escape \udcff:
# the file stays valid UTF-8 JSON and reads back as the same name.
NAME_BYTES = "backslashreplace"
# write_atomic's temp files: ".<name>.<8 random chars>.part"
STALE_TEMP = re.compile(rf"^\..+\.[{re.escape(TEMP_NAME_CHARACTERS)}]{{8}}\.part$")


@dataclass(frozen=True)
class Fingerprint:
    """Everything that decides an input's outputs; equal fingerprints mean equal outputs."""

    sha256: str
    source: str  # as requested: "auto" or a code
    source_language: str  # as used
    target: str
    model: str | None  # name@version; None when the article was already in the target language
    engine: dict[str, Any]  # decoding options that change translations (beam size, compute type, engine version)
    formats: list[str]
    base: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "source": self.source,
            "source_language": self.source_language,
            "target": self.target,
            "model": self.model,
            "engine": self.engine,
            "formats": self.formats,
            "base": self.base,
        }


class Manifest:
    """The manifest's entries in memory; ``record`` is serialised so worker threads can finish in any order."""

    def __init__(self, out_dir: Path, files: dict[str, dict[str, Any]] | None = None, sequence: int = 0) -> None:
        self.out_dir = out_dir
        self.path = out_dir / MANIFEST_NAME
        self.journal_path = out_dir / JOURNAL_NAME
        self.files: dict[str, dict[str, Any]] = files or {}
        self.sequence = sequence  # of the last recorded entry
        self.journal_lines = 0  # since the last fold
        self._lock = threading.Lock()

    @classmethod
    def load(cls, out_dir: Path) -> tuple[Manifest, str | None]:
        """The manifest in out_dir, journal replayed (empty if none), and a warning when it could not be read."""
        path = out_dir / MANIFEST_NAME
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            data = {"version": MANIFEST_VERSION, "files": {}}
        except (OSError, ValueError) as error:
            return cls(out_dir), f"ignoring unreadable manifest {path} ({error}); every file will be translated"
        if (
            not isinstance(data, dict)
            or data.get("version") != MANIFEST_VERSION
            or not isinstance(data.get("files"), dict)
        ):
            return cls(out_dir), f"ignoring manifest {path} of an unknown version; every file will be translated"
        manifest = cls(out_dir, data["files"], int(data.get("sequence", 0)))
        manifest._replay()
        return manifest, None

    def _replay(self) -> None:
        """Apply journal lines newer than the manifest; a torn last line (killed mid-write) is skipped."""
        try:
            lines = self.journal_path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        for line in lines:
            try:
                record = json.loads(line)
                sequence, key, entry = int(record["sequence"]), str(record["key"]), dict(record["entry"])
            except (ValueError, KeyError, TypeError):
                continue
            if sequence > self.sequence:
                self.files[key] = entry
                self.sequence = sequence
            self.journal_lines += 1

    def entry(self, key: str) -> dict[str, Any] | None:
        return self.files.get(key)

    def is_finished(self, key: str, fingerprint: Fingerprint) -> bool:
        """True when key finished with this exact fingerprint and all its outputs are still there."""
        entry = self.files.get(key)
        if entry is None or entry.get("status") != "done":
            return False
        if any(entry.get(name) != value for name, value in fingerprint.to_dict().items()):
            return False
        outputs = entry.get("outputs") or []
        return len(outputs) == len(fingerprint.formats) and all((self.out_dir / name).is_file() for name in outputs)

    def record(self, key: str, entry: dict[str, Any]) -> None:
        """Replace key's entry and make it durable at once: a journal line, or a fold when the journal is long."""
        with self._lock:
            self.files[key] = entry
            self.sequence += 1
            if self.journal_lines + 1 >= max(FOLD_AT_LEAST, len(self.files)):
                self._fold()
                return
            line = json.dumps({"sequence": self.sequence, "key": key, "entry": entry}, ensure_ascii=False)
            with open(self.journal_path, "a", encoding="utf-8", errors=NAME_BYTES) as journal:
                journal.write(line + "\n")
                journal.flush()
                os.fsync(journal.fileno())
            self.journal_lines += 1

    def fold(self) -> None:
        """Write every entry into the manifest file and empty the journal (at the end of a run)."""
        with self._lock:
            if self.journal_lines or self.journal_path.exists():
                self._fold()

    def _fold(self) -> None:
        content = json.dumps(
            {"version": MANIFEST_VERSION, "sequence": self.sequence, "files": self.files},
            ensure_ascii=False, indent=2, sort_keys=True,
        )  # fmt: skip
        write_atomic(self.path, (content + "\n").encode("utf-8", errors=NAME_BYTES))
        self.journal_path.unlink(missing_ok=True)  # a crash before this line: replay skips what the fold holds
        self.journal_lines = 0


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on out_dir for the run; the OS drops it if the process dies."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle = open(out_dir / LOCK_NAME, "a")  # noqa: SIM115 - closed below, after the yield
    except OSError as error:
        raise InputError(f"Cannot write to {out_dir}: {error.strerror or error}.") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                f"Another batch is writing to {out_dir}; wait for it to finish or choose another --out."
            ) from None
        yield


def remove_stale_temps(out_dir: Path) -> int:
    """Delete temp files a killed run left behind (they never carry a final output name)."""
    removed = 0
    for path in out_dir.rglob("*.part"):
        if STALE_TEMP.match(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    return removed
