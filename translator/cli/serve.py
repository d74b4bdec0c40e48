"""``serve``: the web service under gunicorn with the production config, from a checkout or an installed package."""

from __future__ import annotations

import os
import sys
from dataclasses import fields
from pathlib import Path

import click

from translator.cli.common import settings_from

# The app module (app.py) and the web package sit next to the translator package, in a checkout and in an
# installed environment alike. gunicorn runs in that directory, and Python's -P keeps any other current
# directory off sys.path, so a user's own app.py or web/ never shadows them.
CODE_ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONFIG = CODE_ROOT / "web" / "gunicorn_conf.py"
APP = "app:create_app()"


def gunicorn_command(bind: str) -> list[str]:
    """The server command; run it with CODE_ROOT as the current directory."""
    return [sys.executable, "-P", "-m", "gunicorn", "--config", str(GUNICORN_CONFIG), "--bind", bind, APP]


@click.command()
@click.option("--bind", default="127.0.0.1:8000", show_default=True, help="Address and port to listen on.")
@click.pass_context
def serve(ctx: click.Context, bind: str) -> None:
    """Run the web service with gunicorn and the production config (web/gunicorn_conf.py).

    The settings given as options reach the server as TRANSLATOR_* variables, with paths made absolute
    (the server runs in the code's directory).
    """
    settings = settings_from(ctx)
    absolute = {
        spec.name: value.resolve()
        for spec in fields(settings)
        if isinstance(value := getattr(settings, spec.name), Path)
    }
    environment = {**os.environ, **settings.with_overrides(**absolute).to_env()}
    os.chdir(CODE_ROOT)
    os.execvpe(sys.executable, gunicorn_command(bind), environment)
