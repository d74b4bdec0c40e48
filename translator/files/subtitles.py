"""SubRip (.srt) and WebVTT (.vtt): cue text translated, numbering, timing, settings and notes untouched.

A small line-based reader rather than a subtitle library: the libraries parse
into objects and write their own serialisation (dropping NOTE/STYLE blocks or
re-numbering), while here every byte outside cue text is copied through. A cue's
lines are translated as one sentence (subtitles break lines mid-sentence) and
the translation is wrapped again: one line when it fits ``LINE_WIDTH``, else
lines of even length (as many as the cue had when they fit, more when the
translation is longer), breaking at spaces outside tags.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from translator.errors import InputError
from translator.files.base import Job, decode_text
from translator.inline import SegmentResult, protect_text

LINE_WIDTH = 42  # the usual subtitle line limit (Netflix, BBC guidelines)
TIMING = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{3}\s*-->\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{3}")
VTT_BLOCKS_KEPT = ("NOTE", "STYLE", "REGION")
NO_BREAK = "\x00"


def load(data: bytes, name: str) -> Job:
    text = decode_text(data, name)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    vtt = name.lower().endswith(".vtt")
    if vtt and not lines[0].startswith("WEBVTT"):
        raise InputError(f"{name} is not a WebVTT file (it must start with 'WEBVTT').")
    cues = _cue_text_ranges(lines, vtt)
    if not cues and not vtt:
        raise InputError(f"{name} has no subtitle cues (no 'start --> end' timing line).")
    segments = [protect_text(" ".join(line.strip() for line in lines[start:end])) for start, end in cues]

    def build(results: Sequence[SegmentResult], target: str) -> bytes:
        output = list(lines)
        for (start, end), result in reversed(list(zip(cues, results, strict=True))):
            output[start:end] = wrap(result.text, end - start)
        return newline.join(output).encode("utf-8")

    return Job(segments, build)


def _cue_text_ranges(lines: list[str], vtt: bool) -> list[tuple[int, int]]:
    """(first, end) line indexes of each cue's text: the lines after a timing line up to a blank line."""
    ranges = []
    index = 0
    while index < len(lines):
        if TIMING.match(lines[index]) and not (vtt and _in_kept_block(lines, index)):
            start = index + 1
            end = start
            while end < len(lines) and lines[end].strip():
                end += 1
            if end > start:
                ranges.append((start, end))
            index = end
        index += 1
    return ranges


def _in_kept_block(lines: list[str], index: int) -> bool:
    """A timing-looking line inside a NOTE block is a comment, not a cue."""
    while index > 0 and lines[index - 1].strip():
        index -= 1
    return lines[index].startswith(VTT_BLOCKS_KEPT)


def wrap(text: str, line_count: int) -> list[str]:
    """Text on ``line_count`` lines (or more when too long), breaking at spaces, never inside a tag."""
    shielded = re.sub(r"<[^<>]*>", lambda m: m.group().replace(" ", NO_BREAK), text.strip())
    if len(shielded) <= LINE_WIDTH:
        lines = [shielded]
    else:
        balanced = -(-len(shielded) // max(line_count, 2)) + 4  # even lines, some room for word ends
        width = min(LINE_WIDTH, balanced) if len(shielded) <= LINE_WIDTH * line_count else LINE_WIDTH
        lines = textwrap.wrap(shielded, width=width, break_long_words=False, break_on_hyphens=False) or [""]
    return [line.replace(NO_BREAK, " ") for line in lines]
