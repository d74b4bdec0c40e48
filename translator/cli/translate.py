"""``translate``: one article (a file or a web page), printed side by side or as JSON."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import click

from translator.cli.common import settings_from, source_option, target_option
from translator.document import Document, source_lines
from translator.models import provenance_demo_notice
from translator.pipeline import Translator
from translator.sources import FORMATS, is_url, read_path, read_url


@click.command()
@click.argument("file", metavar="FILE_OR_URL")
@source_option
@target_option
@click.option("--format", "fmt", type=click.Choice(["auto", *FORMATS]), default="auto", show_default=True,
              help="Input format; auto: suffix or content type, then the content (HTML is found).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the document as JSON.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the sentence cache.")
@click.pass_context
def translate(ctx: click.Context, file: str, source: str, target: str, fmt: str, as_json: bool, no_cache: bool) -> None:
    """Translate FILE_OR_URL (a .txt, .md or .html file, or an http(s):// page) and print it side by side.

    Web pages are reduced to the article (title, byline, headings, paragraphs, quotes, lists) first.
    """
    settings = settings_from(ctx, cache=False if no_cache else None)
    article = read_url(file, settings, fmt) if is_url(file) else read_path(Path(file), settings, fmt)
    document = Translator(settings).translate_document(article.text, source, target, metadata=article.metadata)
    if as_json:
        click.echo(json.dumps(document.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_side_by_side(document, shutil.get_terminal_size((120, 40)).columns))
    if notice := provenance_demo_notice(document.provenance):
        click.echo(f"warning: {notice}", err=True)  # stderr: --json output stays one JSON document


def render_side_by_side(document: Document, width: int) -> str:
    """Two columns per block, original left, translation right, kinds labelled."""
    column = max((width - 3) // 2, 20)
    lines = [f"{document.source_language} → {document.target_language}  ({document.provenance.get('model')})"]
    lines += [f"{label}: {value}" for label, value in source_lines(document.metadata)]
    lines.append("")
    for block in document.blocks:
        left = textwrap.wrap(block.source, column) or [""]
        right = textwrap.wrap(block.translation, column) or [""]
        lines.append(f"[{block.kind}]")
        for index in range(max(len(left), len(right))):
            a = left[index] if index < len(left) else ""
            b = right[index] if index < len(right) else ""
            lines.append(f"{a:<{column}} │ {b}")
        lines.append("")
    lines.extend(document.notes)
    return "\n".join(lines)
