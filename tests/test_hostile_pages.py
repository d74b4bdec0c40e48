"""A hostile web page (script, handlers, javascript: links, entity tricks, hostile metadata) renders inert everywhere."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from typing import Any

from bs4 import BeautifulSoup

from translator.exports import EXPORT_FORMATS

PAGE = """<!DOCTYPE html><html lang="de"><head>
<title>Wahl &lt;script&gt;alert('t')&lt;/script&gt; entschieden</title>
<meta name="author" content='Eve "><img src=x onerror=alert(1)>'>
<meta property="og:site_name" content="<svg onload=alert(2)>">
<link rel="canonical" href="javascript:alert(3)">
<script>window.__pwned = 1</script><style>body{background:url(javascript:alert(4))}</style></head>
<body onload="alert(5)"><nav><a href="/">Start</a></nav><article>
<h1 onclick="alert(6)">Wahl entschieden</h1>
<p>Die Wahl in der Stadt ist entschieden, die Beteiligung lag bei mehr als sechzig Prozent der Stimmberechtigten.
<img src=x onerror="alert(7)"> Ein Satz mit &lt;b&gt;Entity-Tricks&lt;/b&gt; und &amp;lt;i&amp;gt; darin.</p>
<p><a href="javascript:alert(8)" onmouseover="alert(9)">Mehr zur Wahl und zu den Ergebnissen in den Stadtteilen</a>.</p>
<p>Offener Absatz <b>fett <i>kursiv</p></b> und weiter im Text, der nicht richtig geschlossen ist.
<script>alert(10)</script></article></body></html>"""


def assert_inert(html: str) -> None:
    """As a browser parses it: no element from the page, no event handler, no javascript: link, no inline script."""
    page = BeautifulSoup(html, "html.parser")
    assert not page.find_all(["img", "svg", "iframe", "b", "i"])
    for element in page.find_all(True):
        assert not [name for name in element.attrs if name.lower().startswith("on")], element
        assert not str(element.get("href", "")).lower().startswith("javascript:"), element
    assert all(script.get("src") and not script.string for script in page.find_all("script"))


def test_hostile_page_is_inert_in_the_reader_and_every_export(client: Any, app: Any) -> None:
    data = {"text": "", "source": "de", "target": "en", "file": (io.BytesIO(PAGE.encode()), "wahl.html")}
    response = client.post("/documents", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)
    doc_id = response.headers["Location"].rsplit("/", 1)[1]
    services = app.extensions["translator_services"]
    services.jobs.wait(doc_id, timeout=120)
    stored = services.store.get(doc_id)
    document = stored.document()
    assert stored.status == "done" and document is not None
    sources = " ".join(block.source for block in document.blocks)
    assert "window.__pwned" not in sources and "alert(10)" not in sources and "Start" not in sources
    assert "<b>Entity-Tricks</b>" in sources  # an entity-encoded tag is text, shown escaped
    assert document.metadata["sitename"] == "<Svg Onload=Alert(2)>"  # hostile metadata is kept as text
    reader = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert_inert(reader)
    assert "&lt;Svg Onload=Alert(2)&gt;" in reader and "&lt;b&gt;Entity-Tricks&lt;/b&gt;" in reader
    for fmt in EXPORT_FORMATS:
        exported = client.get(f"/documents/{doc_id}/export/{fmt}").get_data()
        text = exported.decode("utf-8")
        if fmt == "html":
            assert_inert(text)
        elif fmt == "md":
            assert "<svg" not in text.lower() and "<b>" not in text
        elif fmt == "xliff":
            ET.fromstring(exported)  # well-formed whatever the page held
        assert "Onload=Alert(2)" in text, fmt  # the page's metadata is in every export
