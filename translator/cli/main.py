"""The ``translator`` command group: every setting as an option, the subcommands, one error handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

import click

from translator.cli.batch import batch
from translator.cli.common import TranslatorGroup
from translator.cli.keys import keys
from translator.cli.memory import memory
from translator.cli.models import models
from translator.cli.serve import serve
from translator.cli.settings import show_settings
from translator.cli.store import store
from translator.cli.translate import translate
from translator.cli.worker import worker
from translator.config import Settings, env_name, parse_setting


def setting_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """One --option per setting in the table, so every setting can be given on the command line too."""
    for spec in reversed(fields(Settings)):
        flag = "--" + spec.name.replace("_", "-")
        command = click.option(flag, spec.name, default=None, metavar="VALUE",
                               help=f"{spec.metadata['help']} (env {env_name(spec.name)})")(command)  # fmt: skip
    return command


@click.group(cls=TranslatorGroup)
@setting_options
@click.pass_context
def main(ctx: click.Context, **raw: str | None) -> None:
    """Offline article translator (Argos Translate models, nothing leaves the machine).

    Every setting comes from its TRANSLATOR_* environment variable; the options below override it.
    """
    ctx.obj = {name: parse_setting(name, value) for name, value in raw.items() if value is not None}


for command in (translate, serve, models, show_settings, batch, keys, store, memory, worker):
    main.add_command(command)
