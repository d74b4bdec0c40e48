"""``keys``: create, list and remove API keys."""

from __future__ import annotations

import time

import click

from translator.cli.common import settings_from
from translator.errors import InputError
from translator.storage.keys import KeyStore, key_store_path


@click.group()
def keys() -> None:
    """Manage API keys (stored hashed in <data dir>/keys.sqlite3)."""


@keys.command("add")
@click.argument("name")
@click.option("--limit", "rate_limit", help="Rate limit for this key, e.g. '600 per minute'.")
@click.option("--admin", is_flag=True, help="With keys required, this key sees every key's documents.")
@click.pass_context
def keys_add(ctx: click.Context, name: str, rate_limit: str | None, admin: bool) -> None:
    """Create a key called NAME and print it (the only time it is shown)."""
    store = KeyStore(key_store_path(settings_from(ctx)))
    try:
        key = store.add(name, rate_limit, admin=admin)
    finally:
        store.close()
    click.echo(key)
    click.echo(f"Created key {name!r}. Keep it now: only its hash is stored.", err=True)


@keys.command("list")
@click.pass_context
def keys_list(ctx: click.Context) -> None:
    """List key names, creation dates, rate limits and admin keys (never the keys)."""
    store = KeyStore(key_store_path(settings_from(ctx)))
    try:
        found = store.all()
    finally:
        store.close()
    for key in found:
        created = time.strftime("%Y-%m-%d %H:%M", time.localtime(key.created))
        role = "\tadmin" if key.admin else ""
        click.echo(f"{key.name}\t{created}\t{key.rate_limit or 'default limit'}{role}")
    if not found:
        click.echo("No API keys. Create one with: python -m translator keys add NAME", err=True)


@keys.command("remove")
@click.argument("name")
@click.pass_context
def keys_remove(ctx: click.Context, name: str) -> None:
    """Delete the key called NAME; requests with it are refused from then on."""
    store = KeyStore(key_store_path(settings_from(ctx)))
    try:
        removed = store.remove(name)
    finally:
        store.close()
    if not removed:
        raise InputError(f"No key named {name!r}.")
    click.echo(f"Removed key {name!r}.")
