"""``store``: check the installation's SQLite files and recover a damaged one."""

from __future__ import annotations

import click

from translator.cli.common import settings_from
from translator.storage.repair import check, recover, store_files

STORE_NAMES = ("documents", "keys", "glossaries", "cache")
EXIT_DAMAGED = 1


@click.group()
def store() -> None:
    """Check and recover the SQLite files in the data directory (documents, API keys, glossaries, sentence cache)."""


@store.command("check")
@click.pass_context
def store_check(ctx: click.Context) -> None:
    """Run SQLite's integrity check on each file; exit 1 when one is damaged."""
    damaged = False
    for file in store_files(settings_from(ctx)):
        problem = check(file.path)
        damaged = damaged or problem is not None
        state = "missing (made when first needed)" if not file.path.exists() else "ok"
        click.echo(f"{file.name:<10} {state if problem is None else 'DAMAGED: ' + problem}  {file.path}")
    if damaged:
        click.echo("Stop the server, then run: python -m translator store recover", err=True)
        ctx.exit(EXIT_DAMAGED)


@store.command("recover")
@click.option("--store", "names", multiple=True, type=click.Choice(STORE_NAMES),
              help="Only this store (repeatable); default: every damaged one.")  # fmt: skip
@click.option("--force", is_flag=True, help="Rebuild the store even when it checks as sound.")
@click.pass_context
def store_recover(ctx: click.Context, names: tuple[str, ...], force: bool) -> None:
    """Keep a damaged file as <name>.corrupt-<time>, salvage its readable rows into a fresh one.

    Stop the server first: a running server notices the new file and answers 503 until it restarts.
    """
    for file in store_files(settings_from(ctx)):
        if names and file.name not in names:
            continue
        if not file.path.exists():
            click.echo(f"{file.name:<10} missing: nothing to recover")
            continue
        problem = check(file.path)
        if problem is None and not force:
            click.echo(f"{file.name:<10} ok: nothing to recover")
            continue
        result = recover(file)
        rows = ", ".join(f"{count} from {table}" for table, count in result.salvaged.items()) or "nothing (a cache)"
        click.echo(f"{file.name:<10} kept the damaged file as {result.backup}; salvaged {rows} into {file.path}")
