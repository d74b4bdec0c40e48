"""``memory``: import and export TMX, review suggestions (LibreTranslate's /suggest) and approve them."""

from __future__ import annotations

import time
from pathlib import Path

import click

from translator.cli.common import say, settings_from
from translator.errors import InputError
from translator.storage.memory import TranslationMemory, memory_path
from translator.textio import printable, write_atomic
from translator.tmx import read_units, write_tmx


def _memory(ctx: click.Context) -> TranslationMemory:
    return TranslationMemory(memory_path(settings_from(ctx).data_dir))


@click.group()
def memory() -> None:
    """The translation memory: approved human translations, used before the model (<data dir>/memory.sqlite3)."""


@memory.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def memory_import(ctx: click.Context, file: Path) -> None:
    """Add every unit of a TMX 1.4 FILE, in one transaction: all of it, or (on any error) nothing."""
    store = _memory(ctx)
    started = time.perf_counter()
    try:
        with file.open("rb") as stream:
            count = store.put_many(read_units(stream), "tmx")
    except OSError as error:
        raise InputError(f"Cannot read {file}: {error.strerror}.") from None
    finally:
        store.close()
    say(f"Imported {count:,} translation units from {file.name} in {time.perf_counter() - started:.1f} s.")


@memory.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--source", "source_language", help="Only this source language (e.g. de).")
@click.option("--target", "target_language", help="Only this target language (e.g. en).")
@click.pass_context
def memory_export(ctx: click.Context, file: Path, source_language: str | None, target_language: str | None) -> None:
    """Write the memory (or one language pair of it) to FILE as TMX 1.4."""
    store = _memory(ctx)
    try:
        entries = list(store.entries(source_language, target_language))
        write_atomic(file, write_tmx(entries))
    except OSError as error:
        raise InputError(f"Cannot write {file}: {error.strerror}.") from None
    finally:
        store.close()
    say(f"Exported {len(entries):,} translation units to {file}.")


@memory.command("suggestions")
@click.pass_context
def memory_suggestions(ctx: click.Context) -> None:
    """List suggestions waiting for review: id, languages, source and suggested translation."""
    store = _memory(ctx)
    try:
        waiting = store.suggestions()
    finally:
        store.close()
    for item in waiting:
        by = f" (from {item.submitter})" if item.submitter else ""
        fields = (str(item.id), f"{item.source_language}→{item.target_language}{by}", item.source, item.translation)
        click.echo("\t".join(printable(field) for field in fields))  # tab-separated, each field escaped
    if not waiting:
        say("No suggestions are waiting.", err=True)


@memory.command("approve")
@click.argument("ids", nargs=-1, type=int, required=True)
@click.pass_context
def memory_approve(ctx: click.Context, ids: tuple[int, ...]) -> None:
    """Move the suggestions with these IDS into the memory (see `memory suggestions`)."""
    _decide(ctx, ids, approve=True)


@memory.command("reject")
@click.argument("ids", nargs=-1, type=int, required=True)
@click.pass_context
def memory_reject(ctx: click.Context, ids: tuple[int, ...]) -> None:
    """Discard the suggestions with these IDS."""
    _decide(ctx, ids, approve=False)


def _decide(ctx: click.Context, ids: tuple[int, ...], approve: bool) -> None:
    store = _memory(ctx)
    try:
        missing = [n for n in ids if not (store.approve(n) is not None if approve else store.reject(n))]
    finally:
        store.close()
    done = len(ids) - len(missing)
    say(f"{'Approved' if approve else 'Rejected'} {done} suggestion{'s' if done != 1 else ''}.")
    if missing:
        raise InputError(f"No suggestion with id {', '.join(map(str, missing))}: see `memory suggestions`.")
