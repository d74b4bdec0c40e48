"""API keys (issue: HTTP API). Placeholder until it lands."""

from __future__ import annotations

import click


@click.group()
def keys() -> None:
    """Manage API keys (not implemented yet)."""
