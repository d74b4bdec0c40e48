"""``models``: install and list Argos model packages."""

from __future__ import annotations

from pathlib import Path

import click

from translator.cli.common import settings_from
from translator.errors import InputError
from translator.models import NO_MODEL, demo_notice, install_from_file, install_from_index, list_models


@click.group()
def models() -> None:
    """Install and list Argos model packages."""


@models.command("install")
@click.argument("what", nargs=-1, required=True)
@click.pass_context
def models_install(ctx: click.Context, what: tuple[str, ...]) -> None:
    """Install from a file (models install FILE.argosmodel) or, online, a pair (models install de en)."""
    model_dir = settings_from(ctx).resolved_model_dir
    if len(what) == 1:
        model = install_from_file(Path(what[0]), model_dir)
    elif len(what) == 2:
        model = install_from_index(what[0], what[1], model_dir)
    else:
        raise InputError("Give one .argosmodel file, or a source and a target language code.")
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
