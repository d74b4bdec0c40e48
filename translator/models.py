"""Argos model packages: install from a local file (or the index when online), list, find by pair.

Package handling goes through the ``argostranslate`` module so a package that
works with Argos works here. argostranslate reads its package directory from
module-level settings; we point them at our model directory before each call.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from translator.errors import ModelError

_lock = threading.Lock()
INSTALL_COMMAND = "python -m translator models install FILE.argosmodel"
INSTALL_HINT = f"Install one with: {INSTALL_COMMAND}"
NO_MODEL = f"No translation model is installed. {INSTALL_HINT}"
NETWORK_TIMEOUT_SECONDS = 20  # installing from the Argos index: no answer for this long means give up


# The metadata.json key (value true) that marks a package whose weights are random: the demo/test model that
# tools/build_test_model.py builds and `make run` installs when there is no real one. Its output is meaningless,
# so the reader, the home page, the API and the CLI say so (DEMO_NOTICE).
DEMO_KEY = "demo"
DEMO_NOTICE = (
    "Demo model: {models} has random weights, so its output is meaningless text, not a translation. "
    "For real translations install a real model: python -m translator models install de en "
    "(online, once) or python -m translator models install FILE.argosmodel."
)


@dataclass(frozen=True)
class InstalledModel:
    """An installed translation package, as the engine and provenance need it."""

    path: Path
    name: str
    version: str
    source_language: str
    target_language: str
    target_prefix: str = ""
    demo: bool = False

    @property
    def key(self) -> str:
        return f"{self.name}@{self.version}"

    def describe(self) -> dict[str, Any]:
        return {
            "model": self.name,
            "version": self.version,
            "source_language": self.source_language,
            "target_language": self.target_language,
            "demo": self.demo,
        }


def demo_notice(models: Iterable[InstalledModel]) -> str:
    """The warning to show when any of these models is the demo one; empty when none is."""
    demos = sorted({model.key for model in models if model.demo})
    return DEMO_NOTICE.format(models=" and ".join(demos)) if demos else ""


def provenance_demo_notice(provenance: dict[str, Any]) -> str:
    """The warning for a translation whose provenance (``InstalledModel.describe``) names a demo model."""
    if provenance.get("demo") is not True:
        return ""
    return DEMO_NOTICE.format(models=f"{provenance.get('model')}@{provenance.get('version')}")


def _argos_package(model_dir: Path) -> ModuleType:
    """Import argostranslate with its package directory set to ours (its settings are read at import)."""
    model_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ARGOS_PACKAGES_DIR", str(model_dir))
    from argostranslate import package, settings

    settings.package_data_dir = model_dir
    settings.package_dirs = [model_dir]
    return package


def check_package_file(path: Path) -> dict[str, Any]:
    """Validate an .argosmodel before installing it; returns its metadata or raises ModelError."""
    if not path.is_file():
        raise ModelError(f"No model package at {path}.")
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{path} is not an Argos model package (expected a zip archive ending in .argosmodel).")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        if any(name.startswith("/") or ".." in Path(name).parts for name in names):
            raise ModelError(f"{path} contains unsafe paths; refusing to install it.")
        roots = {name.split("/", 1)[0] for name in names}
        if len(roots) != 1:
            raise ModelError(f"{path} must contain exactly one top-level folder, found {sorted(roots)}.")
        root = roots.pop()
        try:
            metadata = json.loads(archive.read(f"{root}/metadata.json"))
        except KeyError:
            raise ModelError(f"{path} has no metadata.json; it is not an Argos package.") from None
        except ValueError as error:
            raise ModelError(f"{path} has an unreadable metadata.json: {error}") from None
        if not metadata.get("from_code") or not metadata.get("to_code"):
            raise ModelError(f"{path}: metadata.json must name from_code and to_code.")
        if f"{root}/model/model.bin" not in names:
            raise ModelError(f"{path} has no CTranslate2 model (model/model.bin).")
        if f"{root}/sentencepiece.model" not in names and f"{root}/bpe.model" not in names:
            raise ModelError(f"{path} has no tokenizer (sentencepiece.model or bpe.model).")
    return dict(metadata)


def install_from_file(path: Path, model_dir: Path) -> InstalledModel:
    """Install a local .argosmodel file into model_dir with argostranslate's own installer."""
    metadata = check_package_file(path)
    with _lock:
        package = _argos_package(model_dir)
        package.install_from_path(path)
    model = find_model(model_dir, metadata["from_code"], metadata["to_code"])
    if model is None:
        raise ModelError(f"{path} was unpacked but does not load as a package in {model_dir}.")
    return model


def install_from_index(source: str, target: str, model_dir: Path) -> InstalledModel:
    """Download a package through argostranslate's index: needs a network, used only on request.

    argostranslate sets no network timeout and, when the index cannot be fetched, retries without end; here
    every connection gives up after NETWORK_TIMEOUT_SECONDS without an answer, and an index that could not be
    fetched is an error at once.
    """
    with _lock:
        package = _argos_package(model_dir)
        previous_timeout = socket.getdefaulttimeout()
        socket.setdefaulttimeout(NETWORK_TIMEOUT_SECONDS)
        try:
            index = Path(package.settings.local_package_index)
            index.unlink(missing_ok=True)  # a stale copy would hide that the index is unreachable
            package.update_package_index()
            if not index.is_file():
                raise ModelError(
                    f"Could not reach the Argos package index ({package.settings.remote_package_index}). "
                    "Offline? Copy an .argosmodel file here and run: python -m translator models install FILE"
                )
            installed = package.install_package_for_language_pair(source, target)
        except ModelError:
            raise
        except Exception as error:  # argostranslate raises bare Exceptions on network failures
            raise ModelError(
                f"Could not download a {source}→{target} model ({error}). "
                f"Offline? Copy an .argosmodel file here and run: {INSTALL_COMMAND}"
            ) from None
        finally:
            socket.setdefaulttimeout(previous_timeout)
    if not installed:
        raise ModelError(f"The Argos index has no {source}→{target} model.")
    model = find_model(model_dir, source, target)
    if model is None:
        raise ModelError(f"The {source}→{target} package was downloaded but does not load.")
    return model


def list_models(model_dir: Path) -> tuple[list[InstalledModel], list[str]]:
    """Installed translation packages, and a message for every folder that is not a usable package."""
    models: list[InstalledModel] = []
    problems: list[str] = []
    if not model_dir.is_dir():
        return models, problems
    for folder in sorted(p for p in model_dir.iterdir() if p.is_dir()):
        try:
            models.append(_load_model(folder))
        except ModelError as error:
            problems.append(str(error))
    return models, problems


def _load_model(folder: Path) -> InstalledModel:
    metadata_path = folder / "metadata.json"
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{folder} is not a model package: metadata.json is missing.") from None
    except ValueError as error:
        raise ModelError(f"{folder}/metadata.json is unreadable: {error}") from None
    if metadata.get("type", "translate") != "translate" or not metadata.get("from_code"):
        raise ModelError(f"{folder} is not a translation package.")
    if not (folder / "model" / "model.bin").is_file():
        raise ModelError(f"{folder} has no CTranslate2 model (model/model.bin is missing).")
    source, target = metadata["from_code"], metadata["to_code"]
    return InstalledModel(
        path=folder,
        name=str(metadata.get("name") or f"translate-{source}_{target}"),
        version=str(metadata.get("package_version") or "0"),
        source_language=source,
        target_language=target,
        target_prefix=str(metadata.get("target_prefix", "")),
        demo=metadata.get(DEMO_KEY) is True,
    )


def find_model(model_dir: Path, source: str, target: str) -> InstalledModel | None:
    models, _ = list_models(model_dir)
    for model in models:
        if model.source_language == source and model.target_language == target:
            return model
    return None


def load_argos_package(model: InstalledModel) -> Any:
    """argostranslate's Package for an installed model: it owns the tokenizer (SentencePiece or BPE)."""
    package = _argos_package(model.path.parent)
    return package.Package(model.path)
