"""The command line (click lives only in this package)."""

from translator.cli.main import main

__all__ = ["main"]
