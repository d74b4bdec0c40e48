"""Argos model packages: install from a local file (or the index when online), list, find by pair.

Package handling goes through the ``argostranslate`` module so a package that
works with Argos works here. argostranslate reads its package directory from
module-level settings; we point them at our model directory before each call.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import threading
import zipfile
import zlib
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

# Package limits. Argos models unpack to 100-500 MB, with entries compressed 1-5 times; a zip bomb
# compresses hundreds or thousands of times.
MAX_UNPACKED_BYTES = 2 * 1024**3
MAX_RATIO = 50
RATIO_FREE_BYTES = 1024**2  # smaller entries (metadata, READMEs, vocabularies) may compress as they like
MAX_ENTRIES = 10_000
UNPACK_CHUNK = 1024**2


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
    return _inspect(path)[0]


def _inspect(path: Path) -> tuple[dict[str, Any], str]:
    """The package's metadata and its one top-level folder, from the zip's directory alone (nothing unpacked).

    Refused: unsafe entry names (absolute, ``..``, ``.``, backslashes), anything but one
    plainly named top-level folder, too many entries, more than MAX_UNPACKED_BYTES in
    all, an entry compressed more than MAX_RATIO times (a zip bomb), metadata that is
    not a JSON object, and language codes that are not codes.
    """
    if not path.is_file():
        raise ModelError(f"No model package at {path}.")
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{path} is not an Argos model package (expected a zip archive ending in .argosmodel).")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = [info.filename for info in infos]
            if not all(map(_safe_entry_name, names)):
                raise ModelError(f"{path} contains unsafe paths; refusing to install it.")
            roots = {name.split("/", 1)[0] for name in names}
            if len(roots) != 1:
                raise ModelError(f"{path} must contain exactly one top-level folder, found {sorted(roots)}.")
            root = roots.pop()
            if root.startswith("."):  # hidden: would pass for a staging folder or be overlooked
                raise ModelError(f"{path} must contain exactly one top-level folder, found {[root]}.")
            _check_sizes(path, infos)
            try:
                if archive.getinfo(f"{root}/metadata.json").file_size > RATIO_FREE_BYTES:
                    raise ModelError(f"{path}: metadata.json is larger than {RATIO_FREE_BYTES:,} bytes.")
                metadata = json.loads(archive.read(f"{root}/metadata.json"))
            except KeyError:
                raise ModelError(f"{path} has no metadata.json; it is not an Argos package.") from None
            except ValueError as error:
                raise ModelError(f"{path} has an unreadable metadata.json: {error}") from None
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
        raise ModelError(f"{path} is a damaged zip archive: {error}") from None
    if not isinstance(metadata, dict):
        raise ModelError(f"{path}: metadata.json must hold a JSON object, not {type(metadata).__name__}.")
    if not metadata.get("from_code") or not metadata.get("to_code"):
        raise ModelError(f"{path}: metadata.json must name from_code and to_code.")
    for field in ("from_code", "to_code"):
        if not _language_code(metadata[field]):
            raise ModelError(f"{path}: metadata.json {field} {metadata[field]!r} is not a language code such as 'de'.")
    if f"{root}/model/model.bin" not in names:
        raise ModelError(f"{path} has no CTranslate2 model (model/model.bin).")
    if f"{root}/sentencepiece.model" not in names and f"{root}/bpe.model" not in names:
        raise ModelError(f"{path} has no tokenizer (sentencepiece.model or bpe.model).")
    return dict(metadata), root


def _safe_entry_name(name: str) -> bool:
    """A relative POSIX path of plain names: no "/" start, no "." or ".." part, no empty part but a
    directory's trailing one, no backslash or NUL (another system's separator, or a truncation)."""
    parts = name.split("/")
    if name.endswith("/"):
        parts.pop()
    return bool(parts) and not any(part in ("", ".", "..") or "\\" in part or "\0" in part for part in parts)


def _check_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip bomb from its directory: too many entries, too much in all, or too high a ratio."""
    if len(infos) > MAX_ENTRIES:
        raise ModelError(f"{path} has {len(infos):,} entries; a model package has a few (at most {MAX_ENTRIES:,}).")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        raise ModelError(
            f"{path} would unpack to {total:,} bytes; the limit is {MAX_UNPACKED_BYTES:,}. Refusing to install it."
        )
    for info in infos:
        if _too_compressed(info.file_size, info.compress_size):
            raise ModelError(
                f"{path}: {info.filename} is compressed {info.file_size // max(info.compress_size, 1):,} times "
                f"(at most {MAX_RATIO} is plausible for a model); refusing a possible zip bomb."
            )


def _too_compressed(size: int, compressed: int) -> bool:
    return size > RATIO_FREE_BYTES and size > MAX_RATIO * max(compressed, 1)


def _language_code(code: Any) -> bool:
    from translator.pipeline import LANGUAGE_CODE  # pipeline imports the engine, which imports this module

    return isinstance(code, str) and code != "auto" and LANGUAGE_CODE.fullmatch(code) is not None


def install_from_file(path: Path, model_dir: Path) -> InstalledModel:
    """Install a local .argosmodel file into model_dir, after the checks of check_package_file."""
    metadata, root = _inspect(path)
    with _lock:
        _unpack(path, root, model_dir)
    model = find_model(model_dir, metadata["from_code"], metadata["to_code"])
    if model is None:
        raise ModelError(f"{path} was unpacked but does not load as a package in {model_dir}.")
    return model


def _unpack(path: Path, root: str, model_dir: Path) -> None:
    """Unpack into a hidden staging folder in model_dir, then move the package folder into place.

    Bytes are counted as they come out, against the same limits as the directory
    check: the directory can lie. A failure leaves model_dir as it was.
    """
    model_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=model_dir))
    try:
        written = 0
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                target = staging.joinpath(*info.filename.rstrip("/").split("/"))
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                entry = 0
                with archive.open(info) as source, open(target, "wb") as sink:
                    while chunk := source.read(UNPACK_CHUNK):
                        entry += len(chunk)
                        written += len(chunk)
                        if written > MAX_UNPACKED_BYTES or _too_compressed(entry, info.compress_size):
                            raise ModelError(
                                f"{path} unpacks to more than its directory says ({info.filename}); "
                                "refusing a possible zip bomb."
                            )
                        sink.write(chunk)
        final = model_dir / root
        if final.exists():  # a reinstall: the old folder goes only once the new one is complete
            shutil.rmtree(final)
        (staging / root).rename(final)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
        raise ModelError(f"{path} could not be unpacked: {error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def install_from_index(source: str, target: str, model_dir: Path) -> InstalledModel:
    """Download a package through argostranslate's index: needs a network, used only on request.

    argostranslate sets no network timeout and, when the index cannot be fetched, retries without end; here
    every connection gives up after NETWORK_TIMEOUT_SECONDS without an answer, and an index that could not be
    fetched is an error at once.
    The download is then installed like a local file (install_from_file), with the same checks:
    argostranslate's own installer would unpack whatever the index serves.
    """
    for code in (source, target):
        if not _language_code(code):
            raise ModelError(f"{code!r} is not a language code such as 'de'.")
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
                    f"Offline? Copy an .argosmodel file here and run: {INSTALL_COMMAND}"
                )
            matching = [p for p in package.get_available_packages() if (p.from_code, p.to_code) == (source, target)]
            download = matching[0].download() if matching else None
        except ModelError:
            raise
        except Exception as error:  # argostranslate raises bare Exceptions on network failures
            raise ModelError(
                f"Could not download a {source}→{target} model ({error}). "
                f"Offline? Copy an .argosmodel file here and run: {INSTALL_COMMAND}"
            ) from None
        finally:
            socket.setdefaulttimeout(previous_timeout)
    if download is None:
        raise ModelError(f"The Argos index has no {source}→{target} model.")
    try:
        return install_from_file(Path(download), model_dir)
    finally:
        Path(download).unlink(missing_ok=True)


def list_models(model_dir: Path) -> tuple[list[InstalledModel], list[str]]:
    """Installed translation packages, and a message for every folder that is not a usable package.

    Hidden folders are left out: an install in progress (or one killed mid-way) unpacks into one.
    """
    models: list[InstalledModel] = []
    problems: list[str] = []
    if not model_dir.is_dir():
        return models, problems
    for folder in sorted(p for p in model_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
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
    if not isinstance(metadata, dict):
        raise ModelError(f"{folder}/metadata.json must hold a JSON object, not {type(metadata).__name__}.")
    if metadata.get("type", "translate") != "translate" or not metadata.get("from_code"):
        raise ModelError(f"{folder} is not a translation package.")
    if not (_language_code(metadata["from_code"]) and _language_code(metadata.get("to_code"))):
        raise ModelError(f"{folder}/metadata.json: from_code and to_code must be language codes such as 'de'.")
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
