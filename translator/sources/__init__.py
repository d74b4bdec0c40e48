"""One way to read any input, for every way in (web form, document API, ``translate``, ``batch``).

``read_article`` takes what a user gave (bytes of a file or a fetched page,
or pasted text) and returns an ``Article``: the text the segmenter reads and,
for a web page, the page's metadata. The format is decided once, here
(``sniff``): an explicit format wins, then the file suffix or content type,
then the content (a ``.txt`` that is an HTML page is read as HTML). HTML goes
through article extraction (``extract``); text and Markdown go through as
they are. URLs are fetched by ``fetch``, feeds read by ``feeds``; both end in
``read_article``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from translator.config import Settings
from translator.errors import InputError
from translator.htmlguard import check_html
from translator.sources.extract import STRUCTURED_KEY, NoArticleText, extract_html
from translator.sources.fetch import FetchError, fetch_url, is_url
from translator.sources.sniff import (
    ARTICLE_SUFFIXES,
    FORMATS,
    charset_of,
    decide_format,
    decode_html,
    decode_text,
    format_for_name,
)


@dataclass(frozen=True)
class Article:
    """An input ready to translate: ``text`` for the segmenter, ``metadata`` about where it came from."""

    text: str
    format: str
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.metadata.get("title", "")


def read_article(
    data: bytes | str,
    name: str = "",
    fmt: str | None = None,
    *,
    settings: Settings | None = None,
    declared: str | None = None,
    charset: str | None = None,
    source_url: str = "",
    label: str = "",
) -> Article:
    """Read an article from bytes (a file, a fetched page) or text (a paste, a JSON field).

    ``name`` is a file name (its suffix declares the format), ``declared`` a format
    the transport declared (a URL's content type), ``fmt`` an explicit override.
    ``charset`` is the server's for fetched pages. Raises InputError with a reason
    a person understands (empty, binary, not UTF-8, no article text in the page).
    """
    label = label or name or "The article"
    settings = settings or Settings()
    if fmt == "auto":
        fmt = None
    declared = declared or (format_for_name(name) if name else None)
    if isinstance(data, str):
        if not data.strip():
            raise InputError(f"{label} is empty: there is no text to translate.")
        chosen = decide_format(declared, data[:4096], fmt)
        text = data
    else:
        head = data[:4096].decode("latin-1")
        chosen = decide_format(declared, head, fmt)
        text = decode_html(data, label, charset) if chosen == "html" else decode_text(data, label)
    metadata: dict[str, str] = {}
    if chosen == "html":
        check_html(text)  # a clear 400 for pathological nesting or unfinished markup, before any parsing
        try:
            text, metadata = extract_html(text, settings.extract_comments, settings.extract_max_elements)
        except NoArticleText:
            raise InputError(f"{label} contains no article text.") from None
    elif not text.strip():
        raise InputError(f"{label} is empty: there is no text to translate.")
    if source_url:
        metadata = {**metadata, "source_url": source_url}
    return Article(text, chosen, metadata)


def read_url(url: str, settings: Settings, fmt: str | None = None) -> Article:
    """Fetch a page (translator.sources.fetch: timeouts, size cap, SSRF guard) and read it like a file."""
    fetched = fetch_url(url, settings)
    host = urlsplit(fetched.url).hostname or url
    return read_article(
        fetched.content,
        fmt=fmt,
        settings=settings,
        declared=fetched.format,
        charset=charset_of(fetched.content_type),
        source_url=url.strip(),
        label=f"The page at {host}",
    )


def read_path(path: Path, settings: Settings, fmt: str | None = None) -> Article:
    """Read a file from disk, with OSError turned into InputError."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a file.") from None
    except OSError as error:
        raise InputError(f"Cannot read {path}: {error.strerror or error}.") from None
    return read_article(data, path.name, fmt, settings=settings, label=str(path))


def is_structured(metadata: dict[str, str] | None) -> bool:
    """True for text written by the extractor (exact block kinds, no guessing)."""
    return bool(metadata and metadata.get(STRUCTURED_KEY))


__all__ = ["ARTICLE_SUFFIXES", "FORMATS", "Article", "FetchError", "is_structured", "is_url", "read_article",
           "read_path", "read_url"]  # fmt: skip
