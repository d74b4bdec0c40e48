"""RSS and Atom feeds: the addresses of their entries, for ``batch --feed``.

The feed is fetched like any page (translator.sources.fetch: guard, timeouts,
size cap) or read from a file, and parsed by feedparser from bytes (it opens
no connection of its own). Each entry's page is then fetched and extracted by
the batch like a URL given on the command line, so a feed run from cron
translates only entries that are new or whose article changed (the manifest
keys them by URL and compares a hash of the extracted article).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from translator.config import Settings
from translator.errors import InputError
from translator.sources.fetch import fetch_url, is_url

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"


def feed_content_type(content_type: str) -> str | None:
    """Feeds come as RSS, Atom or plain XML types (some servers say text/html or text/plain): not PDFs or images."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media.startswith(("image/", "audio/", "video/")) or media in ("application/pdf", "application/zip"):
        raise InputError(f"The feed address points to a {media} resource, not an RSS or Atom feed.")
    return None


def feed_urls(source: str, settings: Settings) -> list[str]:
    """The http(s) links of a feed's entries, in feed order, without duplicates."""
    import feedparser

    if is_url(source):
        fetched = fetch_url(source, settings, accept=FEED_ACCEPT, declared_format=feed_content_type)
        data, base = fetched.content, fetched.url
    else:
        try:
            data = Path(source).read_bytes()[: settings.fetch_max_bytes + 1]
        except OSError as error:
            raise InputError(f"Cannot read the feed {source}: {error.strerror or error}.") from None
        if len(data) > settings.fetch_max_bytes:
            raise InputError(f"The feed {source} is larger than {settings.fetch_max_bytes:,} bytes.")
        base = ""
    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise InputError(f"{source} is not an RSS or Atom feed with entries{problem}.")
    urls: list[str] = []
    for entry in parsed.entries:
        link = urljoin(base, str(entry.get("link") or "").strip())
        if is_url(link) and link not in urls:
            urls.append(link)
    if not urls:
        raise InputError(f"The feed {source} has no entries with a web address.")
    return urls


def url_list(path: Path) -> list[str]:
    """Addresses from a text file, one per line; blank lines and lines starting with # are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"Cannot read the address list {path}: {error}.") from None
    urls = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    for url in urls:
        if not is_url(url):
            raise InputError(f"{path}: {url[:200]!r} is not an http:// or https:// address.")
    return urls
