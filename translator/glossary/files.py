"""Glossary files in DeepL's format: two columns (source term, target term), no header, CSV or TSV.

Read line by line with a length cap, so a 10 MB line or a binary file costs one
bounded read and a clear error naming the line, never the memory of the whole
line. Every entry follows the same rules as one typed in (``check_entry``).
Written files have every cell neutralised for spreadsheets (``spreadsheet_cell``):
a term starting with '=' or '@' is shown as text, never run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO, Literal

from translator.errors import InputError
from translator.exports import FORMULA_TRIGGERS, spreadsheet_cell
from translator.glossary.entries import check_entry

MAX_LINE_BYTES = 4 * 1024  # two terms of at most 1024 bytes, quoted, with room to spare
MAX_ENTRIES = 100_000
FileFormat = Literal["csv", "tsv"]


def format_for(name: str, default: FileFormat = "csv") -> FileFormat:
    """The format a file name implies: '.tsv' or '.tab' is TSV, '.csv' is CSV, anything else ``default``."""
    lowered = name.lower()
    if lowered.endswith((".tsv", ".tab")):
        return "tsv"
    return "csv" if lowered.endswith(".csv") else default


def read_entries(stream: IO[bytes], file_format: FileFormat | None = None) -> dict[str, str]:
    """Every entry of a glossary file, checked; the first bad line is an InputError naming it.

    ``file_format`` None: TSV when the first line holds a tab, else CSV.
    """
    entries: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for number, line in _lines(stream):
        if not line.strip():
            continue
        if file_format is None:
            file_format = "tsv" if "\t" in line else "csv"
        cells = next(csv.reader([line], delimiter="\t" if file_format == "tsv" else ",", strict=True), [])
        if len(cells) != 2:
            raise InputError(f"Line {number}: expected 2 columns (source term, target term), found {len(cells)}.")
        try:
            source, target = check_entry(_defused(cells[0]), _defused(cells[1]))
        except InputError as error:
            raise InputError(f"Line {number}: {error}") from None
        if source in entries:
            raise InputError(f"Line {number}: the source term {source!r} is already on line {first_line[source]}.")
        if len(entries) >= MAX_ENTRIES:
            raise InputError(f"Line {number}: a glossary holds at most {MAX_ENTRIES:,} entries.")
        entries[source] = target
        first_line[source] = number
    return entries


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, str]]:
    """(number, text) of each line, decoded as UTF-8 (a BOM is dropped); over-long lines are refused unread."""
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise InputError(f"Line {number} is longer than {MAX_LINE_BYTES:,} bytes; is this a glossary file?")
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if b"\0" in raw:
            raise InputError(f"Line {number} holds a NUL byte; a glossary is a text file (CSV or TSV).")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"Line {number} is not UTF-8 text.") from None
        yield number, text.rstrip("\r\n")


def _defused(cell: str) -> str:
    """A cell as ``spreadsheet_cell`` wrote it ("'-los") back to the term ("-los"): export, then import, is a no-op."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS) else cell


def write_entries(entries: Iterable[tuple[str, str]], file_format: FileFormat = "csv") -> bytes:
    """The entries as a DeepL glossary file, every cell safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if file_format == "tsv" else ",", lineterminator="\n")
    writer.writerows((spreadsheet_cell(source), spreadsheet_cell(target)) for source, target in entries)
    return buffer.getvalue().encode("utf-8")
