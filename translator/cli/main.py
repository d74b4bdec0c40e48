"""A thin command line over the core: translate one article, manage models, show settings."""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import click

from translator.cli.batch import batch
from translator.cli.common import fail, settings_from
from translator.cli.keys import keys
from translator.cli.store import store
from translator.cli.worker import worker
from translator.config import Settings, env_name, parse_setting, settings_markdown, settings_table
from translator.document import Document
from translator.errors import InputError, TranslatorError
from translator.models import (
    NO_MODEL,
    demo_notice,
    install_from_file,
    install_from_index,
    list_models,
    provenance_demo_notice,
)
from translator.pipeline import Translator
from translator.textio import read_article

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


def setting_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """One --option per setting in the table, so every setting can be given on the command line too."""
    for spec in reversed(fields(Settings)):
        flag = "--" + spec.name.replace("_", "-")
        command = click.option(flag, spec.name, default=None, metavar="VALUE",
                               help=f"{spec.metadata['help']} (env {env_name(spec.name)})")(command)  # fmt: skip
    return command


@click.group()
@setting_options
@click.pass_context
def main(ctx: click.Context, **raw: str | None) -> None:
    """Offline article translator (Argos Translate models, nothing leaves the machine).

    Every setting comes from its TRANSLATOR_* environment variable; the options below override it.
    """
    try:
        ctx.obj = {name: parse_setting(name, value) for name, value in raw.items() if value is not None}
    except TranslatorError as error:
        fail(error)


@main.command()
@click.option("--bind", default="127.0.0.1:8000", show_default=True, help="Address and port to listen on.")
@click.pass_context
def serve(ctx: click.Context, bind: str) -> None:
    """Run the web service with gunicorn and the project's production config (gunicorn.conf.py)."""
    settings = settings_from(ctx)
    environment = dict(os.environ)
    for spec in fields(Settings):
        value = getattr(settings, spec.name)
        if value is not None:
            environment[env_name(spec.name)] = ("on" if value else "off") if isinstance(value, bool) else str(value)
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", bind, "app:create_app()"]
    os.chdir(PROJECT_ROOT)
    os.execvpe(sys.executable, command, environment)


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
    if notice := demo_notice([model]):
        click.echo(f"warning: {notice}", err=True)


@models.command("list")
@click.pass_context
def models_list(ctx: click.Context) -> None:
    """List installed model packages and any broken package folders."""
    installed, problems = list_models(settings_from(ctx).resolved_model_dir)
    for model in installed:
        demo = "\tdemo (random weights, meaningless output)" if model.demo else ""
        click.echo(f"{model.source_language}→{model.target_language}\t{model.key}\t{model.path}{demo}")
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)
    if notice := demo_notice(installed):
        click.echo(f"warning: {notice}", err=True)
    if not installed:
        click.echo(NO_MODEL, err=True)


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
main.add_command(store)
main.add_command(worker)
