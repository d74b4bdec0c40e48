"""Fetching a page a user gave by URL: the only network use of the product.

httpx with connect/read timeouts and a deadline for the whole download, a
size cap counted while streaming (after decompression), at most
TRANSLATOR_FETCH_MAX_REDIRECTS redirects, each followed here so every hop is
checked, and the Content-Type checked before the body is read (a PDF or an
image is refused with a clear message).

Server-side request forgery guard: the host name is resolved here, every
address it resolves to is checked (loopback, private, link-local, multicast,
reserved, shared, unspecified and cloud-metadata addresses are refused;
TRANSLATOR_FETCH_ALLOW_PRIVATE=on lets loopback, private and shared ones through
for intranets, never link-local or metadata ones), and the
connection goes to that checked address (the Host header and TLS SNI carry the
name), so a second DNS answer cannot switch it (DNS rebinding). Proxies from the
environment are ignored for the same reason.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from translator.config import Settings
from translator.errors import InputError
from translator.sources.sniff import format_for_content_type

if TYPE_CHECKING:
    import httpx

CHUNK_BYTES = 64 * 1024
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254",
                                                                 "100.100.100.200"))  # fmt: skip
REDIRECTS = (301, 302, 303, 307, 308)
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(InputError):
    """A URL that could not or may not be fetched; ``status`` is the HTTP status the API answers with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content: bytes
    content_type: str
    format: str | None  # what the content type declares (None: let the content decide)


def is_url(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://"))


def fetch_url(
    url: str,
    settings: Settings,
    accept: str = "text/html,application/xhtml+xml,text/plain;q=0.8",
    declared_format: Callable[[str], str | None] = format_for_content_type,
) -> Fetched:
    """GET url (following checked redirects); raises FetchError naming the reason for any refusal or failure.

    ``declared_format`` maps the Content-Type to a format, or raises InputError for a type that is
    not wanted (a PDF, an image): checked before any of the body is read.
    """
    import httpx

    deadline = time.monotonic() + settings.fetch_timeout * 3
    timeout = httpx.Timeout(settings.fetch_timeout)
    headers = {"User-Agent": settings.fetch_user_agent, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
    current = url.strip()
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for _hop in range(settings.fetch_max_redirects + 1):
            parsed = _parse(current)
            address = checked_address(parsed.host, _port(parsed), settings.fetch_allow_private)
            pinned = parsed.copy_with(host=str(address))
            extensions = {"sni_hostname": parsed.host} if parsed.scheme == "https" else {}
            request_headers = {**headers, "Host": _host_header(parsed)}
            try:
                with client.stream("GET", pinned, headers=request_headers, extensions=extensions) as response:
                    if response.status_code in REDIRECTS and response.headers.get("location"):
                        current = urljoin(current, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"{parsed.host} answered {response.status_code} {response.reason_phrase}.")
                    content_type = response.headers.get("content-type", "")
                    try:
                        fmt = declared_format(content_type)
                    except InputError as error:
                        raise FetchError(str(error), 415) from None
                    body = _body(response, settings, deadline, parsed.host)
                    return Fetched(current, body, content_type, fmt)
            except httpx.TimeoutException:
                raise FetchError(f"{parsed.host} did not answer within {settings.fetch_timeout:g} s.") from None
            except httpx.HTTPError as error:
                raise FetchError(f"Could not fetch {parsed.host}: {_reason(error)}.") from None
    raise FetchError(f"Too many redirects (more than {settings.fetch_max_redirects}) from {url}.")


def _parse(url: str) -> httpx.URL:
    import httpx

    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise FetchError(f"Not a valid web address: {url[:200]!r}.") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchError(f"Only http:// and https:// addresses can be fetched, not {url[:200]!r}.")
    return parsed


def _port(parsed: httpx.URL) -> int:
    """The URL's port (httpx leaves the scheme's default one out)."""
    return parsed.port or (443 if parsed.scheme == "https" else 80)


def _host_header(parsed: httpx.URL) -> str:
    host = f"[{parsed.host}]" if ":" in parsed.host else parsed.host
    return host if parsed.port is None else f"{host}:{parsed.port}"


def checked_address(host: str, port: int, allow_private: bool) -> Address:
    """The address to connect to: host resolved, every answer checked; FetchError if any is forbidden."""
    try:
        literal: Address | None = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            raise FetchError(f"The host name {host!r} could not be resolved.") from None
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
    if not addresses:
        raise FetchError(f"The host name {host!r} could not be resolved.")
    for address in addresses:
        reason = forbidden(address, allow_private)
        if reason:
            raise FetchError(f"Refused to fetch from {host} ({address}): {reason}.", status=403)
    return addresses[0]


def forbidden(address: Address, allow_private: bool) -> str:
    """Why the guard refuses this address ('' when it may be fetched from).

    Metadata, link-local, multicast, reserved and unspecified addresses are never pages: refused
    always. Loopback, private and shared (carrier-grade NAT) addresses only with allow_private.
    """
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    always = (("is_unspecified", "not a host address"), ("is_multicast", "a multicast address"),
              ("is_link_local", "a link-local address"))  # fmt: skip
    for check, what in always:
        if getattr(address, check):
            return what
    hint = " (set TRANSLATOR_FETCH_ALLOW_PRIVATE=on for intranet pages)"
    if address.is_loopback:
        return "" if allow_private else "a loopback address" + hint
    if address.is_reserved:
        return "a reserved address"
    if allow_private or address.is_global:
        return ""
    if address.is_private:
        return "a private network address" + hint
    return "not a public address" + hint


def _body(response: httpx.Response, settings: Settings, deadline: float, host: str) -> bytes:
    """The body, streamed: stops at the size cap or the deadline without holding more than the cap."""
    limit = settings.fetch_max_bytes
    too_large = FetchError(f"The page at {host} is larger than {limit:,} bytes (TRANSLATOR_FETCH_MAX_BYTES).", 413)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            raise too_large
        if time.monotonic() > deadline:
            raise FetchError(f"{host} sent the page too slowly (more than {settings.fetch_timeout * 3:g} s).")
        chunks.append(chunk)
    return b"".join(chunks)


def _reason(error: Exception) -> str:
    text = str(error).strip()
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return "its TLS certificate could not be verified"
    if "Connection refused" in text or "Errno 111" in text:
        return "the connection was refused"
    return text.split("\n")[0][:200] or type(error).__name__
