"""The README's commands work as written: settings table, CLI commands and options, make targets."""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest
from click.testing import CliRunner

from tests.helpers import ROOT
from translator.cli import main
from translator.config import settings_markdown

README = (ROOT / "README.md").read_text(encoding="utf-8")
# `python -m translator ...` as the README shows it (in code blocks and inline code), up to a comment or backtick.
CLI_COMMANDS = sorted(
    {m.group(1).strip() for m in re.finditer(r"python -m translator ([^`#\n)|]+)", README) if m.group(1).strip()}
)
# `make TARGET` in inline code or at the start of a line in a code block (prose such as "make a run" is not one).
MAKE_TARGETS = sorted(set(re.findall(r"(?:`|^)make ([a-z][a-z-]*)", README, flags=re.MULTILINE)))


def test_readme_settings_section_matches_the_table() -> None:
    section = README.split("<!-- settings:start -->\n", 1)[1].split("<!-- settings:end -->", 1)[0]
    assert section == settings_markdown()


def test_readme_shows_cli_commands_and_make_targets() -> None:
    assert len(CLI_COMMANDS) >= 10 and {"run", "test", "test-fast"} <= set(MAKE_TARGETS)


@pytest.mark.parametrize("command", CLI_COMMANDS)
def test_readme_cli_command_exists_with_its_options(command: str) -> None:
    """Each documented command and option is accepted (an unknown command or option exits 2 before --help)."""
    # Optional parts [--limit "..."] are tried too; placeholders such as NAME are left out.
    words = [w for w in shlex.split(command.replace("[", " ").replace("]", " ")) if not re.fullmatch(r"[A-Z]+", w)]
    result = CliRunner().invoke(main, [*words, "--help"])
    assert result.exit_code == 0, f"python -m translator {command}: {result.output}"
    assert "Usage:" in result.output


@pytest.mark.parametrize("target", MAKE_TARGETS)
def test_readme_make_target_exists(target: str) -> None:
    """`make -n` resolves the target and prints its recipe without running it."""
    result = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_ci_runs_the_documented_test_command() -> None:
    commands = [
        line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines() if line.startswith("make ")
    ]
    assert commands == ["make test"] and "test" in MAKE_TARGETS
    assert subprocess.run(["bash", "-n", str(ROOT / ".ci" / "run")], timeout=30).returncode == 0
