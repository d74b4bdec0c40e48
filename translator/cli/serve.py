"""``serve``: the web service under gunicorn with the production config, from a checkout or an installed package."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from translator.cli.common import settings_from

# The app module (app.py) and the web package sit next to the translator package, in a checkout and in an
# installed environment alike: gunicorn imports them from there, whatever the current directory holds.
CODE_ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONFIG = "python:web.gunicorn_conf"
APP = "app:create_app()"


def gunicorn_command(bind: str) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONFIG, "--pythonpath", str(CODE_ROOT),
            "--bind", bind, APP]  # fmt: skip


@click.command()
@click.option("--bind", default="127.0.0.1:8000", show_default=True, help="Address and port to listen on.")
@click.pass_context
def serve(ctx: click.Context, bind: str) -> None:
    """Run the web service with gunicorn and the production config (web/gunicorn_conf.py).

    The settings given as options reach the server as TRANSLATOR_* variables.
    """
    environment = {**os.environ, **settings_from(ctx).to_env()}
    os.execvpe(sys.executable, gunicorn_command(bind), environment)
