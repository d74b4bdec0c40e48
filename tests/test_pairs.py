"""Which language pairs a request may use: one check (translator.languages.check_pair) for every surface."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.helpers import SEED
from translator.cli import main
from translator.errors import ModelError, UnsupportedPairError
from translator.languages import check_pair

PAIRS = [("de", "en"), ("en", "fr")]


def test_auto_or_an_installed_pair_passes() -> None:
    check_pair(PAIRS, "de", "en")
    check_pair(PAIRS, "auto", "en")
    check_pair(PAIRS, "en", "en")  # nothing to translate, but a model into en exists


@pytest.mark.parametrize(
    ("source", "target", "fragment"),
    [
        ("de", "xx", "xx is not supported. No installed model translates into xx."),
        ("auto", "de", "de is not supported. No installed model translates into German."),
        ("it", "en", "it is not supported. No installed model translates Italian into English."),
        ("de", "fr", "French (fr) is not available as a target language from German (de)."),
    ],
)
def test_a_pair_that_is_not_installed_says_what_is(source: str, target: str, fragment: str) -> None:
    with pytest.raises(UnsupportedPairError) as raised:
        check_pair(PAIRS, source, target)
    message = str(raised.value)
    assert fragment in message and "Installed: German → English, English → French." in message
    assert "models install" in message


def test_nothing_installed_is_a_model_error_not_a_bad_request() -> None:
    with pytest.raises(ModelError) as raised:
        check_pair([], "de", "en")
    assert not isinstance(raised.value, UnsupportedPairError) and "models install" in str(raised.value)


def test_api_reader_and_batch_refuse_a_missing_pair_with_the_same_message(
    client: Any, model_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(UnsupportedPairError) as raised:
        check_pair([("de", "en")], "fr", "en")
    expected = str(raised.value)

    api = client.post("/translate", json={"q": "Bonjour", "source": "fr", "target": "en"})
    assert api.status_code == 400 and api.get_json()["error"] == expected

    form = {"text": "Un article assez long.", "source": "fr", "target": "en", "format": "text"}
    reader = client.post("/documents", data=form)
    assert reader.status_code == 400 and expected in reader.get_data(as_text=True)

    env = {"TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR_MODEL_DIR": str(model_dir)}
    batch = CliRunner().invoke(main, ["batch", str(SEED), "--out", str(tmp_path / "out"), "--source", "fr"], env=env)
    assert batch.exit_code == 3 and f"error: {expected}" in batch.output
