"""A thin command line over the core: translate one article, manage models, show settings."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import click

from translator.batch import batch
from translator.cli_common import fail, settings_from
from translator.config import settings_markdown, settings_table
from translator.document import Document
from translator.errors import InputError, TranslatorError
from translator.keys import keys
from translator.models import install_from_file, install_from_index, list_models
from translator.pipeline import Translator
from translator.textio import read_article


@click.group()
@click.option("--data-dir", type=click.Path(path_type=Path), help="Overrides TRANSLATOR_DATA_DIR.")
@click.option("--model-dir", type=click.Path(path_type=Path), help="Overrides TRANSLATOR_MODEL_DIR.")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None, model_dir: Path | None) -> None:
    """Offline article translator (Argos Translate models, nothing leaves the machine)."""
    ctx.obj = {"data_dir": data_dir, "model_dir": model_dir}


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--source", default="auto", show_default=True, help="Source language code, or auto.")
@click.option("--target", default="en", show_default=True, help="Target language code.")
@click.option("--json", "as_json", is_flag=True, help="Print the document as JSON.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the sentence cache.")
@click.pass_context
def translate(ctx: click.Context, file: Path, source: str, target: str, as_json: bool, no_cache: bool) -> None:
    """Translate FILE and print it side by side (or as JSON)."""
    settings = settings_from(ctx, cache=False if no_cache else None)
    try:
        document = Translator(settings).translate_document(read_article(file), source, target)
    except TranslatorError as error:
        fail(error)
    if as_json:
        click.echo(json.dumps(document.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_side_by_side(document, shutil.get_terminal_size((120, 40)).columns))


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


@main.group()
def models() -> None:
    """Install and list Argos model packages."""


@models.command("install")
@click.argument("what", nargs=-1, required=True)
@click.pass_context
def models_install(ctx: click.Context, what: tuple[str, ...]) -> None:
    """Install from a file (models install FILE.argosmodel) or, online, a pair (models install de en)."""
    model_dir = settings_from(ctx).resolved_model_dir
    try:
        if len(what) == 1:
            model = install_from_file(Path(what[0]), model_dir)
        elif len(what) == 2:
            model = install_from_index(what[0], what[1], model_dir)
        else:
            raise InputError("Give one .argosmodel file, or a source and a target language code.")
    except TranslatorError as error:
        fail(error)
    click.echo(f"installed {model.key} ({model.source_language}→{model.target_language}) in {model.path}")


@models.command("list")
@click.pass_context
def models_list(ctx: click.Context) -> None:
    """List installed model packages and any broken package folders."""
    installed, problems = list_models(settings_from(ctx).resolved_model_dir)
    for model in installed:
        click.echo(f"{model.source_language}→{model.target_language}\t{model.key}\t{model.path}")
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)
    if not installed:
        click.echo(
            "No models installed. Install one with: python -m translator models install FILE.argosmodel", err=True
        )


@main.command("settings")
@click.option("--markdown", is_flag=True, help="Print the settings table as Markdown (as in the README).")
def show_settings(markdown: bool) -> None:
    """List every setting with its environment variable, default and meaning."""
    if markdown:
        click.echo(settings_markdown(), nl=False)
        return
    for row in settings_table():
        click.echo(f"{row['variable']:<32} {row['default']:<36} {row['help']}")


main.add_command(batch)
main.add_command(keys)
