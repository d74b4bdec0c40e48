"""``translate``: one article, printed side by side or as JSON."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import click

from translator.cli.common import settings_from, source_option, target_option
from translator.document import Document
from translator.models import provenance_demo_notice
from translator.pipeline import Translator
from translator.textio import read_article


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@source_option
@target_option
@click.option("--json", "as_json", is_flag=True, help="Print the document as JSON.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the sentence cache.")
@click.pass_context
def translate(ctx: click.Context, file: Path, source: str, target: str, as_json: bool, no_cache: bool) -> None:
    """Translate FILE and print it side by side (or as JSON)."""
    settings = settings_from(ctx, cache=False if no_cache else None)
    document = Translator(settings).translate_document(read_article(file), source, target)
    if as_json:
        click.echo(json.dumps(document.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_side_by_side(document, shutil.get_terminal_size((120, 40)).columns))
    if notice := provenance_demo_notice(document.provenance):
        click.echo(f"warning: {notice}", err=True)  # stderr: --json output stays one JSON document


def render_side_by_side(document: Document, width: int) -> str:
    """Two columns per block, original left, translation right, kinds labelled."""
    column = max((width - 3) // 2, 20)
    lines = [f"{document.source_language} → {document.target_language}  ({document.provenance.get('model')})", ""]
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
