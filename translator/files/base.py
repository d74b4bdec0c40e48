"""What every format handler gives the driver: the segments to translate, and how to write the result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from translator.errors import InputError
from translator.inline import Segment, SegmentResult


@dataclass
class Job:
    """A parsed file: its segments in document order, and ``build`` to write it back translated."""

    segments: list[Segment]
    build: Callable[[Sequence[SegmentResult], str], bytes]
    output_suffix: str | None = None  # None: same as the input (.pot gives .po)
    notes: list[str] = field(default_factory=list)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) text, or a clear refusal."""
    if b"\x00" in data[:8192]:
        raise InputError(f"{name} looks like a binary file, not text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{name} is not UTF-8 text (byte {error.start}); save it as UTF-8 and try again.") from None
