"""The import rules that keep the layout meaningful (read from the source, so a violation fails here first).

- the core (`translator`) never imports the web layer (Flask, werkzeug, `web`);
- click is imported only under `translator/cli/`;
- sibling sub-packages do not reach into each other: the layers below the CLI never import it, the stores
  import neither the batch tool nor the pipeline, and `web.api` and `web.reader` stay apart;
- no module imports another package's private (underscore) names or modules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import ROOT

SOURCES = ["translator", "web", "app.py"]

# (importer prefix, forbidden import prefix, why)
FORBIDDEN = [
    ("translator", "flask", "the core is usable without the web layer"),
    ("translator", "werkzeug", "the core is usable without the web layer"),
    ("translator", "web", "the core is usable without the web layer"),
    ("translator.storage", "translator.batch", "stores know nothing of the archive tool"),
    ("translator.storage", "translator.pipeline", "stores know nothing of the pipeline"),
    ("translator.batch", "translator.cli", "the archive tool's core has no command line in it"),
    ("web", "translator.cli", "the web layer does not go through the command line"),
    ("web.api", "web.reader", "the APIs and the browser side are siblings"),
    ("web.reader", "web.api", "the APIs and the browser side are siblings"),
]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def python_files(root: Path) -> Iterator[Path]:
    for source in SOURCES:
        path = root / source
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.exists() else []


def imports(path: Path, module: str) -> Iterator[tuple[str, list[str], int]]:
    """(imported module, imported names, line) for each import, relative imports resolved."""
    package = package_of(module, path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base, [alias.name for alias in node.names], node.lineno


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(root: Path = ROOT) -> list[str]:
    found = []
    for path in python_files(root):
        module = module_name(path, root)
        where = f"{path.relative_to(root)}"
        for imported, names, line in imports(path, module):
            for importer, forbidden, why in FORBIDDEN:
                if within(module, importer) and within(imported, forbidden):
                    found.append(f"{where}:{line} imports {imported} ({why})")
            if within(imported, "click") and not within(module, "translator.cli"):
                found.append(f"{where}:{line} imports click outside translator/cli/")
            own_package = package_of(module, path)
            imported_package = imported.rpartition(".")[0]
            if not within(imported, own_package) and not within(own_package, imported_package):
                private = [n for n in names if n.startswith("_") and n != "__version__"]
                private += [p for p in imported.split(".") if p.startswith("_") and p != "__init__"]
                if private and within(imported, "translator") | within(imported, "web"):
                    found.append(f"{where}:{line} imports private {private} from {imported}")
    return found


def test_the_import_rules_hold() -> None:
    assert violations() == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("translator/x.py", "import flask\n", "the core is usable"),
        ("translator/storage/x.py", "from translator.batch.work import Options\n", "archive tool"),
        ("web/reader/x.py", "from web.api.common import fail\n", "siblings"),
        ("web/x.py", "import click\n", "click outside"),
        ("web/x.py", "from translator.merging import _Request\n", "private"),
        ("translator/batch/x.py", "from ..cli import main\n", "no command line"),
    ],
)
def test_the_checker_catches_each_kind_of_violation(module: str, source: str, expected: str, tmp_path: Path) -> None:
    """The rules above are only worth something if the checker sees a breach of each (relative imports too)."""
    path = tmp_path / module
    path.parent.mkdir(parents=True)
    path.write_text(source)
    found = violations(tmp_path)
    assert any(expected in line for line in found), found
