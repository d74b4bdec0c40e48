"""``glossary``: add, remove, list, import and export glossaries and do-not-translate terms."""

from __future__ import annotations

from pathlib import Path

import click

from translator.cli.common import say, settings_from
from translator.errors import InputError
from translator.glossary.files import FileFormat, format_for, read_entries, write_entries
from translator.storage.glossary import GlossaryStore, glossary_store_path
from translator.textio import printable, write_atomic

DEFAULT_PAIR = ("de", "en")
FORMATS = click.Choice(["csv", "tsv"])
source_option = click.option("--source", help="Source language of a new glossary (default: de, or the glossary's).")
target_option = click.option("--target", help="Target language of a new glossary (default: en, or the glossary's).")


def _store(ctx: click.Context) -> GlossaryStore:
    return GlossaryStore(glossary_store_path(settings_from(ctx)))


def _pair(store: GlossaryStore, name: str, source: str | None, target: str | None) -> tuple[str, str]:
    """The pair given, else the existing glossary's, else de→en."""
    existing = store.get(name)
    default = (existing.source, existing.target) if existing is not None else DEFAULT_PAIR
    return source or default[0], target or default[1]


def _row(*cells: str) -> None:
    """One tab-separated line, each cell escaped for the terminal."""
    click.echo("\t".join(printable(cell) for cell in cells))


@click.group()
def glossary() -> None:
    """Glossaries and do-not-translate terms (in <data dir>/glossaries.sqlite3), used with --glossary / "glossary".

    A term whose translation is itself (or given without one) is never translated: names, brands, products.
    Files are DeepL's glossary format: two columns, source term and target term, no header; CSV or TSV.
    """


@glossary.command("add")
@click.argument("name")
@click.argument("term")
@click.argument("translation", required=False)
@source_option
@target_option
@click.pass_context
def glossary_add(
    ctx: click.Context, name: str, term: str, translation: str | None, source: str | None, target: str | None
) -> None:
    """Add TERM (translated as TRANSLATION; without it, never translated) to glossary NAME, creating it if new."""
    store = _store(ctx)
    try:
        found = store.add(name, term, translation, *_pair(store, name, source, target))
    finally:
        store.close()
    kind = "do-not-translate term" if not translation or translation.strip() == term.strip() else "term"
    say(f"Added {kind} {term.strip()!r} to {name!r} ({found.source}→{found.target}, {len(found.entries)} entries).")


@glossary.command("remove")
@click.argument("name")
@click.argument("term", required=False)
@click.pass_context
def glossary_remove(ctx: click.Context, name: str, term: str | None) -> None:
    """Remove TERM from glossary NAME; without TERM, remove the whole glossary."""
    store = _store(ctx)
    try:
        removed = store.remove_term(name, term) if term is not None else store.remove(name)
    finally:
        store.close()
    if not removed:
        raise InputError(f"No term {term!r} in glossary {name!r}." if term else f"No glossary named {name!r}.")
    say(f"Removed {term!r} from {name!r}." if term else f"Removed glossary {name!r}.")


@glossary.command("list")
@click.argument("name", required=False)
@click.pass_context
def glossary_list(ctx: click.Context, name: str | None) -> None:
    """List glossaries (name, pair, entries, do-not-translate terms); with NAME, its entries (TSV)."""
    store = _store(ctx)
    try:
        if name is not None:
            for source_term, target_term in store.require(name).entries.items():
                _row(source_term, target_term)
            return
        found = store.all()
    finally:
        store.close()
    for info in found:
        pair, counts = f"{info.source}→{info.target}", f"{info.entries} entries"
        _row(info.name, pair, counts, f"{info.do_not_translate} do-not-translate")
    if not found:
        say("No glossaries. Add a term with: python -m translator glossary add NAME TERM [TRANSLATION]", err=True)


@glossary.command("import")
@click.argument("name")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "file_format", type=FORMATS, help="Default: from the file name, else a tab means TSV.")
@click.option("--replace", is_flag=True, help="Replace the glossary's entries instead of adding to them.")
@source_option
@target_option
@click.pass_context
def glossary_import(
    ctx: click.Context,
    name: str,
    file: Path,
    file_format: FileFormat | None,
    replace: bool,
    source: str | None,
    target: str | None,
) -> None:
    """Import FILE (CSV or TSV, DeepL's format) into glossary NAME, all entries or none."""
    chosen = file_format or (format_for(file.name, "csv") if file.suffix.lower() in (".csv", ".tsv", ".tab") else None)
    with file.open("rb") as stream:
        try:
            entries = read_entries(stream, chosen)
        except InputError as error:
            raise InputError(f"{file.name}: {error} Nothing was imported.") from None
    store = _store(ctx)
    try:
        found = store.put(name, entries, *_pair(store, name, source, target), replace=replace)
    finally:
        store.close()
    say(f"Imported {len(entries)} entries into {name!r} ({found.source}→{found.target}, {len(found.entries)} in all).")


@glossary.command("export")
@click.argument("name")
@click.argument("output", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "file_format", type=FORMATS, help="Default: from OUTPUT's name, else CSV.")
@click.pass_context
def glossary_export(ctx: click.Context, name: str, output: Path | None, file_format: FileFormat | None) -> None:
    """Write glossary NAME as a DeepL glossary file to OUTPUT (default: standard output)."""
    store = _store(ctx)
    try:
        found = store.require(name)
    finally:
        store.close()
    data = write_entries(found.entries.items(), file_format or format_for(output.name if output else ""))
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        write_atomic(output, data)
        say(f"Wrote {len(found.entries)} entries to {output}.", err=True)
