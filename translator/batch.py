"""Batch translation of many article files (issue: batch CLI). Placeholder until it lands."""

from __future__ import annotations

import click


@click.command()
def batch() -> None:
    """Translate many files into a folder of bilingual outputs (not implemented yet)."""
    raise click.ClickException("batch is not implemented yet")
