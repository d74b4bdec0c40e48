"""``python -m translator``: the command-line entry."""

from translator.cli import main

if __name__ == "__main__":
    main()
