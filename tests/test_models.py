"""Package checks before install, and broken packages after."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from translator.errors import ModelError
from translator.models import check_package_file, find_model, install_from_file, list_models


def make_zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path


def test_real_package_passes(test_model_file: Path) -> None:
    metadata = check_package_file(test_model_file)
    assert (metadata["from_code"], metadata["to_code"]) == ("de", "en")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"pkg/README.md": "x"}, "no metadata.json"),
        ({"pkg/metadata.json": "{not json"}, "unreadable metadata"),
        ({"pkg/metadata.json": json.dumps({"from_code": "de"})}, "from_code and to_code"),
        ({"pkg/metadata.json": json.dumps({"from_code": "de", "to_code": "en"})}, "model/model.bin"),
        ({"pkg/../evil.txt": "x", "pkg/metadata.json": "{}"}, "unsafe paths"),
        ({"a/metadata.json": "{}", "b/metadata.json": "{}"}, "exactly one top-level folder"),
    ],
)
def test_bad_packages_are_refused(tmp_path: Path, files: dict[str, str], message: str) -> None:
    with pytest.raises(ModelError, match=message):
        check_package_file(make_zip(tmp_path / "p.argosmodel", files))


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="No model package"):
        check_package_file(tmp_path / "absent.argosmodel")


def test_broken_folder_is_reported_not_fatal(tmp_path: Path, test_model_file: Path) -> None:
    install_from_file(test_model_file, tmp_path)
    (tmp_path / "leftover").mkdir()
    models, problems = list_models(tmp_path)
    assert [m.key for m in models] == ["translate-de_en-test@1.0"]
    assert problems and "metadata.json is missing" in problems[0]
    assert find_model(tmp_path, "de", "en") is not None and find_model(tmp_path, "en", "de") is None
