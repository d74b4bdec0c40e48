"""Which format an input is, and how its bytes become text.

The decision is the same for every way in (form, API, CLI, batch, URL): an
explicit format wins; otherwise the file name's suffix or the server's
content type, then the content itself: a ``.txt`` (or a paste, or a
``text/plain`` response) that is really an HTML page is read as HTML. Only the
first few kilobytes are looked at, with anchored patterns, so sniffing costs
the same for any input size.
"""

from __future__ import annotations

import codecs
import re
from pathlib import PurePosixPath

from translator.errors import InputError

FORMATS = ("text", "markdown", "html")
SUFFIX_FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                  ".html": "html", ".htm": "html", ".xhtml": "html"}  # fmt: skip
ARTICLE_SUFFIXES = tuple(SUFFIX_FORMATS)
CONTENT_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text",
                 "text/markdown": "markdown", "text/x-markdown": "markdown"}  # fmt: skip
REFUSED_TYPES = {"application/pdf": "a PDF document", "image/": "an image", "video/": "a video",
                 "audio/": "an audio file", "application/zip": "a ZIP archive",
                 "application/octet-stream": "binary data"}  # fmt: skip
SNIFF_BYTES = 4096
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# An HTML document starts (after a BOM, blank space and comments) with a doctype or one of these tags;
# a pasted fragment starts with a block-level tag.
HTML_START = re.compile(
    r"^\s*(?:<!--.{0,2000}?-->\s*){0,8}<(?:!doctype\s+html|html|head|body|meta|title|article|main|section|div|p"
    r"|h[1-6]|ul|ol|table|blockquote|header|nav|figure)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
META_CHARSET = re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})", re.IGNORECASE)
# WHATWG: labels for Latin-1 mean windows-1252 (a superset that browsers use for them).
CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "iso8859-1": "cp1252",
                   "us-ascii": "cp1252", "ascii": "cp1252"}  # fmt: skip


def format_for_name(name: str) -> str | None:
    """The format a file name's suffix implies; None without a suffix; InputError for an unsupported one."""
    suffix = PurePosixPath(name).suffix.lower()
    if not suffix:
        return None
    if suffix not in SUFFIX_FORMATS:
        raise InputError(f"{name}: unsupported file type {suffix}; use .txt, .md or .html.")
    return SUFFIX_FORMATS[suffix]


def format_for_content_type(content_type: str) -> str | None:
    """The format a server's Content-Type implies; InputError for types that are not articles (PDF, images...)."""
    media = content_type.split(";", 1)[0].strip().lower()
    if not media:
        return None
    if media in CONTENT_TYPES:
        return CONTENT_TYPES[media]
    for prefix, what in REFUSED_TYPES.items():
        if media.startswith(prefix):
            raise InputError(f"The address points to {what} ({media}), not a web page or text article.")
    raise InputError(f"The address points to a {media} resource, not a web page or text article.")


def looks_like_html(text: str) -> bool:
    return bool(HTML_START.match(text[:SNIFF_BYTES].lstrip("\ufeff")))


def decide_format(declared: str | None, head: str, override: str | None = None) -> str:
    """The override if given; else the declared format (suffix or content type), unless the content is HTML."""
    if override:
        if override not in FORMATS:
            raise InputError(f"Unknown format {override!r}; use one of {', '.join(FORMATS)}.")
        return override
    if declared == "html" or looks_like_html(head):
        return "html"
    return declared or "text"


def charset_of(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", content_type or "", re.IGNORECASE)
    return match.group(1) if match else None


def decode_text(data: bytes, name: str = "the file") -> str:
    """Text and Markdown: UTF-8 only, with a clear error for binary or other encodings."""
    _check_not_binary(data, name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name} is not UTF-8 text (byte {error.start}: {data[error.start : error.start + 1]!r}); "
            "save it as UTF-8 and try again."
        ) from None


def decode_html(data: bytes, name: str = "the page", declared: str | None = None) -> str:
    """HTML bytes to text: BOM, then the server's charset, then the page's <meta charset>, then UTF-8.

    German pages are still served as ISO-8859-1 (read as windows-1252, as browsers do). Bytes that do
    not fit the chosen encoding become U+FFFD rather than an error: a page is read like a browser reads it.
    """
    _check_not_binary(data, name)
    for bom, bom_encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(bom_encoding, "replace")
    meta = META_CHARSET.search(data[:SNIFF_BYTES])
    for label in (declared, meta.group(1).decode("ascii") if meta else None):
        encoding = _encoding(label)
        if encoding:
            return data.decode(encoding, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _encoding(label: str | None) -> str | None:
    if not label:
        return None
    key = label.strip().lower()
    try:
        name = codecs.lookup(CHARSET_ALIASES.get(key, key)).name
    except LookupError:
        return None
    return None if name.startswith("utf-16") else name  # a page that says UTF-16 without a BOM is lying


def _check_not_binary(data: bytes, name: str) -> None:
    if not data.strip():
        raise InputError(f"{name} is empty.")
    head = data[:8192]
    if head.startswith(b"%PDF"):
        raise InputError(f"{name} is a PDF document, not a text or HTML article.")
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{name} looks like a binary file, not an article.")
