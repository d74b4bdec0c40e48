"""Pieces every command shares: exit codes, one place that turns errors into them, settings, shared options."""

from __future__ import annotations

from typing import Any

import click

from translator.config import Settings
from translator.errors import InputError, ModelError, TranslatorError
from translator.pipeline import LANGUAGE_CODE
from translator.textio import printable

EXIT_INPUT = 2
EXIT_MODEL = 3
EXIT_OTHER = 1  # a setting the core cannot use, or another TranslatorError


def exit_code(error: TranslatorError) -> int:
    """2 for unusable input, 3 for a missing or broken model, 1 otherwise (e.g. a bad setting)."""
    if isinstance(error, InputError):
        return EXIT_INPUT
    return EXIT_MODEL if isinstance(error, ModelError) else EXIT_OTHER


class TranslatorGroup(click.Group):
    """The command group that reports the core's errors for every command below it, once.

    A TranslatorError's message is meant for the user: it is printed as ``error: ...``
    on stderr, without a traceback, and the exit code says which kind it was.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TranslatorError as error:
            say(f"error: {error}", err=True)
            ctx.exit(exit_code(error))


def say(message: str, err: bool = False) -> None:
    """Print a line for a person, escaped: file names may hold control characters (an ESC sequence clears a screen)."""
    click.echo(printable(message), err=err)


def settings_from(ctx: click.Context, **overrides: Any) -> Settings:
    """Settings from the environment, the group's setting options, then the command's overrides."""
    merged = {**(ctx.find_root().obj or {})}
    merged.update({name: value for name, value in overrides.items() if value is not None})
    return Settings.from_env(**merged)


def _language(_ctx: click.Context, param: click.Parameter, value: str) -> str:
    code = value.strip().lower()
    if not LANGUAGE_CODE.match(code) or (param.name == "target" and code == "auto"):
        raise click.BadParameter(f"{value!r} is not a language code such as 'de'.")
    return code


source_option = click.option(
    "--source",
    default="auto",
    show_default=True,
    callback=_language,
    help="Source language code, or auto to detect it.",
)
target_option = click.option(
    "--target", default="en", show_default=True, callback=_language, help="Target language code."
)
