"""``settings``: every setting with its variable, default and meaning (the README's table comes from here)."""

from __future__ import annotations

import click

from translator.config import settings_markdown, settings_table


@click.command("settings")
@click.option("--markdown", is_flag=True, help="Print the settings table as Markdown (as in the README).")
def show_settings(markdown: bool) -> None:
    """List every setting with its environment variable, default and meaning."""
    if markdown:
        click.echo(settings_markdown(), nl=False)
        return
    for row in settings_table():
        click.echo(f"{row['variable']:<32} {row['default']:<36} {row['help']}")
