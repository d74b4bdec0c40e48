"""The web form takes documents too: translated in their own format and offered for download on the page."""

from __future__ import annotations

import io
import re
from typing import Any

SRT = "1\n00:00:01,000 --> 00:00:02,000\nDie Regierung hat heute entschieden.\n"


def _submit(client: Any, data: bytes, name: str, **fields: str) -> Any:
    form = {"text": "", "source": "de", "target": "en", **fields, "file": (io.BytesIO(data), name)}
    return client.post("/documents", data=form, content_type="multipart/form-data")


def test_form_translates_a_document_and_links_the_download(client: Any) -> None:
    page = _submit(client, SRT.encode(), "film.srt")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    link = re.search(r'<a href="(/download_file/[^"]+)" download>Download translated file film.en.srt</a>', html)
    assert link is not None, html
    download = client.get(link.group(1))
    assert download.status_code == 200 and "00:00:01,000 --> 00:00:02,000" in download.get_data(as_text=True)


def test_form_refuses_a_bad_document_with_its_reason(client: Any) -> None:
    page = _submit(client, b"MZ" + b"\0" * 64, "bericht.docx")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "is a Windows program, not a document" in html and "Download translated file" not in html
