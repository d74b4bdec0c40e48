"""Progress for a batch: a tqdm bar on a terminal, one plain line per file otherwise (logs, cron, CI)."""

from __future__ import annotations

import os
import sys
import time
from typing import IO, Protocol

from tqdm import tqdm

from translator.batch.work import Outcome
from translator.textio import printable


class Progress(Protocol):
    def finished(self, outcome: Outcome) -> None:
        """One file is done (translated or failed)."""
        ...

    def note(self, message: str) -> None:
        """A message that must not garble the bar (nor the terminal: printed escaped)."""
        ...

    def close(self) -> None: ...


class LogProgress:
    """``[3/10] ok article.md (42 sentences, 1.2s)`` per file."""

    def __init__(self, total: int, stream: IO[str]) -> None:
        self.total = total
        self.done = 0
        self.stream = stream

    def finished(self, outcome: Outcome) -> None:
        self.done += 1
        prefix = f"[{self.done}/{self.total}]"
        if outcome.ok:
            self.note(f"{prefix} ok {outcome.item.key} ({outcome.sentences} sentences, {outcome.seconds:.1f}s)")
            for note in outcome.notes:
                self.note(f"{' ' * len(prefix)} note: {note}")
        else:
            self.note(f"{prefix} FAILED {outcome.item.key}: {outcome.error}")

    def note(self, message: str) -> None:
        print(printable(message), file=self.stream, flush=True)

    def close(self) -> None:
        pass


class BarProgress:
    """Files done/total with ETA (tqdm's), and sentences per second in the postfix."""

    def __init__(self, total: int, stream: IO[str]) -> None:
        self.bar = tqdm(total=total, unit="file", file=stream, dynamic_ncols=True, smoothing=0.1)
        self.sentences = 0
        self.started = time.monotonic()

    def finished(self, outcome: Outcome) -> None:
        if not outcome.ok:
            self.note(f"FAILED {outcome.item.key}: {outcome.error}")
        self.sentences += outcome.sentences
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.bar.set_postfix_str(f"{self.sentences / elapsed:.1f} sentences/s", refresh=False)
        self.bar.update(1)

    def note(self, message: str) -> None:
        self.bar.write(printable(message), file=self.bar.fp)

    def close(self) -> None:
        self.bar.close()


def progress_for(total: int, stream: IO[str] | None = None) -> Progress:
    """A bar when the stream is a terminal, log lines when it is not."""
    stream = stream or sys.stderr
    return BarProgress(total, stream) if _terminal_width(stream) > 0 else LogProgress(total, stream)


def _terminal_width(stream: IO[str]) -> int:
    """Columns of the terminal behind stream; 0 when it is not one (or one without a size, where tqdm shows nothing)."""
    try:
        return os.get_terminal_size(stream.fileno()).columns if stream.isatty() else 0
    except (AttributeError, OSError, ValueError):
        return 0
