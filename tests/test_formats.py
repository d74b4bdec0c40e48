"""Input formats: HTML articles reduce to Markdown blocks; file names pick the format."""

from __future__ import annotations

from pathlib import Path

import pytest

from translator.batch.inputs import discover
from translator.errors import InputError
from translator.formats import SUFFIX_FORMATS, format_for, html_to_markdown, load_article
from translator.segment import parse_article

ARTICLE = """<html><head><title>Seite</title><script>alert(1)</script><style>p{}</style></head>
<body><nav><a href="/">Start</a></nav><article>
<h1>Alibaba wächst</h1><p class="byline">von Max Muster - <time>24.01.2017</time></p>
<p>Erster <b>Absatz</b> mit einem <a href="javascript:alert(1)">Link</a>.</p>
<div><p>Zweiter Absatz.</p><img src=x onerror="alert(1)"></div>
<h2>Zwischentitel</h2><ul><li>eins</li><li>zwei</li></ul>
<footer>Verwandte Themen</footer></article></body></html>"""


def test_html_article_becomes_typed_blocks() -> None:
    blocks = parse_article(html_to_markdown(ARTICLE))
    assert [(b.kind, b.source) for b in blocks] == [
        ("title", "Alibaba wächst"),
        ("byline", "von Max Muster - 24.01.2017"),
        ("paragraph", "Erster Absatz mit einem Link."),
        ("paragraph", "Zweiter Absatz."),
        ("heading", "Zwischentitel"),
        ("paragraph", "eins"),
        ("paragraph", "zwei"),
        ("footer", "Verwandte Themen"),
    ]
    assert blocks[1].data["author"] == "Max Muster"


def test_scripts_and_navigation_are_dropped() -> None:
    text = html_to_markdown(ARTICLE)
    assert "alert" not in text and "Start" not in text


def test_formats_by_suffix() -> None:
    assert [format_for(n) for n in ("a.txt", "b.MD", "c.html", "d.htm")] == ["text", "markdown", "html", "html"]
    with pytest.raises(InputError, match="unsupported file type"):
        format_for("e.pdf")


def test_a_folder_walk_takes_every_suffix_a_named_file_may_have(tmp_path: Path) -> None:
    """One list of suffixes: the batch folder walk once skipped .text files that format_for accepts."""
    folder = tmp_path / "in"
    folder.mkdir()
    for index, suffix in enumerate(SUFFIX_FORMATS):
        (folder / f"article{index}{suffix.upper() if index % 2 else suffix}").write_text("Ein Satz.")
    (folder / "notes.pdf").write_text("not an article")
    items, _, _ = discover([str(folder)], tmp_path / "out")
    assert sorted(Path(item.key).suffix.lower() for item in items) == sorted(SUFFIX_FORMATS)


def test_load_article_errors() -> None:
    with pytest.raises(InputError, match="not UTF-8"):
        load_article("Größe".encode("latin-1"), "x.txt")
    with pytest.raises(InputError, match="no article text"):
        load_article(b"<html><script>x</script></html>", "x.html")
