"""The random-weight demo model says what it is: on the home page, in the reader, in the API and in the CLI.

The test model is the demo model (tools/build_test_model.py marks it); a copy without the marker stands in for a
real model, so every notice is checked both ways (shown for the demo, absent otherwise).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from tests.helpers import SEED
from translator import Settings, Translator
from translator.cli import main
from translator.exports import render
from translator.models import DEMO_KEY, demo_notice, list_models

SHORT = "Der Hafen wird erweitert\n\nDer Senat hat den Ausbau beschlossen. Die Arbeiten beginnen im Herbst.\n"
NOTICE_START = "Demo model: translate-de_en-test@1.0 has random weights"


@pytest.fixture
def real_model_dir(tmp_path: Path, model_dir: Path) -> Path:
    """The test model without the demo marker: what a real package looks like to the service."""
    copy = tmp_path / "real-models"
    shutil.copytree(model_dir, copy)
    for path in copy.glob("*/metadata.json"):
        metadata = json.loads(path.read_text(encoding="utf-8"))
        del metadata[DEMO_KEY]
        path.write_text(json.dumps(metadata), encoding="utf-8")
    return copy


def page(response: Any) -> Any:
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_the_built_model_is_marked_and_detected(model_dir: Path, real_model_dir: Path) -> None:
    demo, _ = list_models(model_dir)
    real, _ = list_models(real_model_dir)
    assert [m.demo for m in demo] == [True] and [m.demo for m in real] == [False]
    assert demo_notice(demo).startswith(NOTICE_START) and "models install de en" in demo_notice(demo)
    assert demo_notice(real) == ""
    assert demo[0].describe()["demo"] is True and real[0].describe()["demo"] is False


@pytest.mark.parametrize("demo", [True, False])
def test_home_and_reader_say_so(make_app: Callable[..., Any], real_model_dir: Path, demo: bool) -> None:
    app = make_app() if demo else make_app(model_dir=real_model_dir)
    client = app.test_client()
    home = [n.get_text(strip=True) for n in page(client.get("/")).select(".demo-model")]
    assert len(home) == (1 if demo else 0) and all(text.startswith(NOTICE_START) for text in home)
    created = client.post("/documents", data={"text": SHORT, "source": "de", "target": "en", "format": "text"})
    assert created.status_code == 303
    doc_id = created.headers["Location"].rsplit("/", 1)[1]
    app.extensions["translator_services"].jobs.wait(doc_id, timeout=120)
    reader = page(client.get(f"/documents/{doc_id}"))
    notices = [n.get_text(strip=True) for n in reader.select(".demo-model")]
    if demo:
        assert len(notices) == 1 and notices[0].startswith(NOTICE_START)
        assert "demo model" in reader.select_one(".col-tgt .col-how").get_text()
        assert "demo model" in reader.select_one(".doc-footer").get_text()
    else:
        assert notices == [] and "demo" not in reader.select_one("#live").get_text().lower()


@pytest.mark.parametrize("demo", [True, False])
def test_html_export_says_so(settings: Settings, real_model_dir: Path, demo: bool) -> None:
    translator = Translator(settings if demo else settings.with_overrides(model_dir=real_model_dir))
    html = render(translator.translate_document(SHORT, source="de"), "html").content.decode()
    assert (NOTICE_START in html) is demo


@pytest.mark.parametrize("demo", [True, False])
def test_api_provenance_and_libretranslate_info_say_so(
    make_app: Callable[..., Any], real_model_dir: Path, demo: bool
) -> None:
    client = (make_app() if demo else make_app(model_dir=real_model_dir)).test_client()
    body = client.post("/api/v1/documents", json={"text": SHORT, "source": "de"}).get_json()
    assert body["document"]["provenance"]["demo"] is demo
    settings = client.get("/frontend/settings").get_json()
    assert settings["demoModel"] is demo and settings["demoNotice"].startswith(NOTICE_START if demo else "")
    assert bool(settings["demoNotice"]) is demo
    languages = {lang["code"]: lang["name"] for lang in client.get("/languages").get_json()}
    assert languages == {"de": "German (demo model)" if demo else "German", "en": "English"}


@pytest.mark.parametrize("demo", [True, False])
def test_cli_says_so(tmp_path: Path, model_dir: Path, real_model_dir: Path, demo: bool) -> None:
    env = {
        "TRANSLATOR_DATA_DIR": str(tmp_path / "data"),
        "TRANSLATOR_MODEL_DIR": str(model_dir if demo else real_model_dir),
    }
    for args in (["translate", str(SEED)], ["translate", str(SEED), "--json"], ["models", "list"],
                 ["batch", str(SEED), "--out", str(tmp_path / "out"), "--dry-run"]):  # fmt: skip
        result = CliRunner().invoke(main, args, env=env)
        assert result.exit_code == 0, result.output
        assert (f"warning: {NOTICE_START}" in result.stderr) is demo, (args, result.stderr)
        if "--json" in args:
            assert json.loads(result.stdout)["provenance"]["demo"] is demo  # the warning stays off stdout
    listed = CliRunner().invoke(main, ["models", "list"], env=env).stdout
    assert ("\tdemo (random weights" in listed) is demo
