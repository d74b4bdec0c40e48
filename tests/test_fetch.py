"""URLs in: a local server on 127.0.0.1 serves saved pages; form, API and CLI read them like the file.

Every test runs inside ``loopback_only()``: an audit hook refuses (before the system call, so no
packet is sent) any connection to an address other than loopback and any DNS lookup of a name.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from click.testing import CliRunner

from tests.helpers import FIXTURES, PageServer, loopback_only
from translator import Settings
from translator.cli.main import main
from translator.segment import parse_blocks
from translator.sources import read_article, read_url
from translator.sources.fetch import FetchError

PAGE_NAME = "brigitte.de.ikigai.html"
PAGE = (FIXTURES / "web" / "pages" / PAGE_NAME).read_bytes()
LATIN = "<html><head><title>Brücke</title></head><body><article><p>Die Brücke über den Fluß wird größer, sagt die Stadt, und die Arbeiten beginnen im Mai.</p></article></body></html>"
FIFTY_MB = 50 * 1024 * 1024


def services(app: Any) -> Any:
    return app.extensions["translator_services"]


def slow(wfile: BinaryIO) -> None:
    time.sleep(3)
    wfile.write(b"<html><body><p>Zu spaet.</p></body></html>")


def fifty_megabytes(wfile: BinaryIO) -> None:
    chunk = b"<p>" + b"x" * 65_530 + b"</p>"
    for _ in range(FIFTY_MB // len(chunk) + 1):  # one 64 KB chunk reused: never 50 MB in memory
        wfile.write(chunk)


ROUTES: dict[str, Any] = {
    "/artikel.html": (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE),
    "/gespeichert.txt": (200, {"Content-Type": "text/plain"}, PAGE),
    "/latin": (200, {"Content-Type": "text/html; charset=ISO-8859-1"}, LATIN.encode("latin-1")),
    "/weiter": (302, {"Location": "/artikel.html"}, b""),
    "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
    "/to-link-local": (302, {"Location": "http://[fe80::1]/admin"}, b""),
    "/to-metadata-v6": (301, {"Location": "http://[fd00:ec2::254]/"}, b""),
    "/loop": (302, {"Location": "/loop"}, b""),
    "/to-private": (302, {"Location": "http://10.0.0.1/intern"}, b""),
    "/to-private-v6": (307, {"Location": "http://[fd12:3456::1]:8080/"}, b""),
    "/to-shared": (302, {"Location": "http://100.64.0.1/"}, b""),
    "/to-loopback-v6": (302, {"Location": "http://[::1]:9/"}, b""),
    "/slow": (200, {"Content-Type": "text/html"}, slow),
    "/huge": (200, {"Content-Type": "text/html"}, fifty_megabytes),
    "/huge-declared": (200, {"Content-Type": "text/html", "Content-Length": str(FIFTY_MB)}, fifty_megabytes),
    "/bericht.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n" + b"0" * 1000),
    "/bild.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\x00" * 1000),
}


@pytest.fixture
def server() -> Any:
    with PageServer(ROUTES) as running, loopback_only() as attempts:
        yield running
        assert attempts == [], attempts


@pytest.fixture
def intranet(settings: Settings) -> Settings:
    """The test server is on 127.0.0.1: an intranet address, allowed only with the guard relaxed."""
    return settings.with_overrides(fetch_allow_private=True, fetch_timeout=1.0)


def kinds_and_sources(blocks: list[Any]) -> list[tuple[str, str]]:
    return [(b["kind"], b["source"]) if isinstance(b, dict) else (b.kind, b.source) for b in blocks]


def file_blocks() -> list[tuple[str, str]]:
    article = read_article(PAGE, PAGE_NAME)
    return kinds_and_sources(parse_blocks(article.text, metadata=article.metadata))


def test_url_in_the_api_form_and_cli_gives_the_file_blocks(
    server: PageServer, intranet: Settings, make_app: Any, tmp_path: Path
) -> None:
    expected = file_blocks()
    url = server.url("/weiter")  # a redirect to the page, followed and checked

    core = read_url(url, intranet)
    assert kinds_and_sources(parse_blocks(core.text, metadata=core.metadata)) == expected
    assert core.metadata["source_url"] == url and core.metadata["sitename"] == "BRIGITTE.de"

    app = make_app(fetch_allow_private=True, fetch_timeout=1.0)
    client = app.test_client()
    response = client.post("/api/v1/documents", json={"url": url, "source": "de", "async": False})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert kinds_and_sources(body["document"]["blocks"]) == expected
    assert body["document"]["metadata"]["source_url"] == url and body["source_url"] == url
    listed = client.get("/api/v1/documents").get_json()["documents"]
    assert listed[0]["source_url"] == url

    form = client.post("/documents", data={"url": url, "text": "", "source": "de", "target": "en"})
    assert form.status_code == 303, form.get_data(as_text=True)
    doc_id = form.headers["Location"].rsplit("/", 1)[1]
    services(app).jobs.wait(doc_id, timeout=120)
    stored = services(app).store.get(doc_id)
    assert stored is not None and stored.status == "done", stored
    document = stored.document()
    assert document is not None and kinds_and_sources(document.blocks) == expected
    reader = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "BRIGITTE.de" in reader and f'href="{url}"' in reader
    assert url in client.get("/documents").get_data(as_text=True)

    env = {"TRANSLATOR_DATA_DIR": str(tmp_path / "cli"), "TRANSLATOR_MODEL_DIR": str(intranet.resolved_model_dir),
           "TRANSLATOR_FETCH_ALLOW_PRIVATE": "on", "TRANSLATOR_FETCH_TIMEOUT": "1"}  # fmt: skip
    result = CliRunner().invoke(main, ["translate", url, "--json", "--source", "de"], env=env)
    assert result.exit_code == 0, result.output
    assert kinds_and_sources(json.loads(result.stdout)["blocks"]) == expected
    page_file = tmp_path / PAGE_NAME
    page_file.write_bytes(PAGE)
    from_file = CliRunner().invoke(main, ["translate", str(page_file), "--json", "--source", "de"], env=env)
    assert kinds_and_sources(json.loads(from_file.stdout)["blocks"]) == expected


def test_text_plain_that_is_html_and_latin1_pages(server: PageServer, intranet: Settings) -> None:
    assert (
        kinds_and_sources(parse_blocks(**_parsed(read_url(server.url("/gespeichert.txt"), intranet)))) == file_blocks()
    )
    latin = read_url(server.url("/latin"), intranet)
    assert "Die Brücke über den Fluß wird größer" in latin.text


def _parsed(article: Any) -> dict[str, Any]:
    return {"text": article.text, "metadata": article.metadata}


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/to-metadata", "cloud metadata address"),
        ("/to-link-local", "link-local address"),
        ("/to-metadata-v6", "cloud metadata address"),
    ],
)
def test_redirects_to_internal_addresses_are_refused_before_connecting(
    server: PageServer, intranet: Settings, path: str, reason: str
) -> None:
    with pytest.raises(FetchError, match=reason) as refused:
        read_url(server.url(path), intranet)
    assert refused.value.status == 403
    assert server.requests == [path]  # the first hop only; the audit hook saw no other connection


def test_guard_on_refuses_loopback_and_private_addresses(server: PageServer, settings: Settings) -> None:
    guarded = settings.with_overrides(fetch_timeout=1.0)
    assert guarded.fetch_allow_private is False
    with pytest.raises(FetchError, match="loopback address"):
        read_url(server.url("/artikel.html"), guarded)
    for url, reason in (("http://10.0.0.1/", "private network"), ("http://192.168.1.1:8080/x", "private network"),
                        ("http://[::ffff:169.254.169.254]/", "metadata"), ("http://0.0.0.0/", "not a host")):  # fmt: skip
        with pytest.raises(FetchError, match=reason):
            read_url(url, guarded)
    assert server.requests == []  # refused on the address, before any connection


def test_api_names_each_refusal(server: PageServer, make_app: Any) -> None:
    client = make_app(fetch_allow_private=True, fetch_timeout=0.5).test_client()
    cases = [
        ("/to-metadata", 403, "metadata"),
        ("/bericht.pdf", 415, "PDF"),
        ("/bild.png", 415, "image"),
        ("/slow", 400, "did not answer within 0.5 s"),
        ("/huge", 413, "larger than"),
        ("/loop", 400, "Too many redirects"),
        ("/missing", 400, "answered 404"),
    ]
    for path, status, message in cases:
        response = client.post("/api/v1/documents", json={"url": server.url(path), "source": "de"})
        assert response.status_code == status and message in response.get_json()["error"], (path, response.json)
    bad = client.post("/api/v1/documents", json={"url": "file:///etc/passwd"})
    assert bad.status_code == 400 and "Only http:// and https://" in bad.get_json()["error"]


def test_slow_server_hits_the_timeout(server: PageServer, intranet: Settings) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="did not answer within"):
        read_url(server.url("/slow"), intranet.with_overrides(fetch_timeout=0.3))
    assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("path", ["/huge", "/huge-declared"])
def test_fifty_megabytes_hit_the_size_cap(server: PageServer, intranet: Settings, path: str) -> None:
    with pytest.raises(FetchError, match="larger than 10,485,760 bytes") as refused:
        read_url(server.url(path), intranet)
    assert refused.value.status == 413


def test_pdf_and_image_urls_are_refused_with_a_clear_message(server: PageServer, intranet: Settings) -> None:
    with pytest.raises(FetchError, match="points to a PDF document"):
        read_url(server.url("/bericht.pdf"), intranet)
    with pytest.raises(FetchError, match="points to an image"):
        read_url(server.url("/bild.png"), intranet)
    env = {"TRANSLATOR_FETCH_ALLOW_PRIVATE": "on", "TRANSLATOR_MODEL_DIR": str(intranet.resolved_model_dir)}
    result = CliRunner().invoke(main, ["translate", server.url("/bericht.pdf")], env=env)
    assert result.exit_code == 2 and "PDF document" in result.output and "Traceback" not in result.output


def test_form_shows_a_refusal_on_the_home_page(server: PageServer, make_app: Any) -> None:
    client = make_app(fetch_allow_private=True).test_client()
    response = client.post("/documents", data={"url": server.url("/to-metadata"), "source": "de", "target": "en"})
    assert response.status_code == 400 and "cloud metadata address" in response.get_data(as_text=True)
    both = client.post("/documents", data={"url": server.url("/artikel.html"), "text": "Hallo", "target": "en"})
    assert both.status_code == 400 and "only one of them" in both.get_data(as_text=True)


def test_the_loopback_guard_catches_an_outside_connection() -> None:
    """The audit hook itself works: a connection elsewhere is refused before the system call."""
    import socket

    with loopback_only() as attempts:
        with pytest.raises(PermissionError, match="outside the machine"):
            socket.create_connection(("192.0.2.1", 9), timeout=0.1)
        with pytest.raises(PermissionError, match="DNS"):
            socket.getaddrinfo("example.org", 80)
        assert attempts == ["connect ('192.0.2.1', 9)", "resolve example.org"]


def test_a_name_is_resolved_checked_and_connected_to_by_address(server: PageServer, intranet: Settings) -> None:
    """localhost resolves (from /etc/hosts) to loopback: refused with the guard on; allowed for intranets,
    the connection goes to the checked address while the Host header keeps the name."""
    port = server.base.rsplit(":", 1)[1]
    url = f"http://localhost:{port}/artikel.html"
    with pytest.raises(FetchError, match="loopback address"):
        read_url(url, intranet.with_overrides(fetch_allow_private=False))
    assert server.requests == []
    article = read_url(url, intranet.with_overrides(fetch_user_agent="Redaktionsarchiv/2.0"))
    assert article.metadata["source_url"] == url
    assert server.hosts == [f"localhost:{port}"] and server.agents == ["Redaktionsarchiv/2.0"]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/to-private", "private network address"),
        ("/to-private-v6", "private network address"),
        ("/to-shared", "not a public address"),
        ("/to-loopback-v6", "loopback address"),
        ("/to-metadata", "cloud metadata address"),
    ],
)
def test_guard_on_refuses_redirects_to_private_addresses(
    server: PageServer, settings: Settings, monkeypatch: pytest.MonkeyPatch, path: str, reason: str
) -> None:
    """With the guard on, only the test server itself (127.0.0.1) is let through: every redirect target is judged
    by the real rule, and refused before any connection (the audit hook would fail the test otherwise)."""
    import ipaddress

    from translator.sources import fetch as fetching

    real_rule = fetching.forbidden
    test_server = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(fetching, "forbidden", lambda a, allow: "" if a == test_server else real_rule(a, allow))
    guarded = settings.with_overrides(fetch_timeout=1.0)
    assert guarded.fetch_allow_private is False
    with pytest.raises(FetchError, match=reason):
        read_url(server.url(path), guarded)
    assert server.requests == [path]


def test_host_header_leaves_out_the_default_port() -> None:
    """The connection goes to an address, so the Host header carries the name: 'example.org', never ':None'."""
    from translator.sources.fetch import _host_header, _parse, _port

    cases = {"https://example.org/a": ("example.org", 443), "http://Example.org:80/": ("example.org", 80),
             "http://[2001:db8::1]:8080/": ("[2001:db8::1]:8080", 8080), "http://x.de:8443/": ("x.de:8443", 8443)}  # fmt: skip
    for url, (host, port) in cases.items():
        assert (_host_header(_parse(url)), _port(_parse(url))) == (host, port), url
