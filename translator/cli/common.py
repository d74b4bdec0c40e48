"""Pieces every command shares: exit codes, error printing, settings from the group's options."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click

from translator.config import Settings
from translator.errors import InputError, ModelError, TranslatorError
from translator.textio import printable

EXIT_INPUT = 2
EXIT_MODEL = 3


def fail(error: TranslatorError) -> NoReturn:
    """Print the error for a person and exit with a code that says which kind it was."""
    say(f"error: {error}", err=True)
    code = EXIT_INPUT if isinstance(error, InputError) else EXIT_MODEL if isinstance(error, ModelError) else 1
    sys.exit(code)


def say(message: str, err: bool = False) -> None:
    """Print a line for a person, escaped: file names may hold control characters (an ESC sequence clears a screen)."""
    click.echo(printable(message), err=err)


def settings_from(ctx: click.Context, **overrides: Any) -> Settings:
    """Settings from the environment, the group's --data-dir/--model-dir, then the command's overrides."""
    try:
        merged = {**(ctx.find_root().obj or {})}
        merged.update({name: value for name, value in overrides.items() if value is not None})
        return Settings.from_env(**merged)
    except TranslatorError as error:
        fail(error)
