"""LibreTranslate-compatible endpoints: shapes, bodies (JSON, form, query string), errors, HTML markup."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from translator.engine import Translation

GERMAN = "Die Regierung hat am Montag ein neues Gesetz beschlossen. Es tritt im Sommer in Kraft."


def _error(response: Any, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]
    return str(body["error"])


def test_translate_a_string_with_auto_detection(client: Any) -> None:
    response = client.post("/translate", json={"q": GERMAN, "source": "auto", "target": "en"})
    assert response.status_code == 200
    body = response.get_json()
    assert isinstance(body["translatedText"], str) and body["translatedText"]
    assert body["detectedLanguage"]["language"] == "de"
    assert 0 < body["detectedLanguage"]["confidence"] <= 100
    assert "alternatives" not in body


def test_translate_a_list_in_one_engine_call(client: Any, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = app.extensions["translator_services"].translator.engine
    calls: list[list[str]] = []
    original = engine.translate_batch

    def spy(sentences: list[str], source: str, target: str) -> list[Translation]:
        calls.append(list(sentences))
        return list(original(sentences, source, target))

    monkeypatch.setattr(engine, "translate_batch", spy)
    texts = [GERMAN, "Guten Morgen.", GERMAN, "2024"]
    response = client.post("/translate", json={"q": texts, "source": "de", "target": "en"})
    assert response.status_code == 200
    body = response.get_json()
    assert isinstance(body["translatedText"], list) and len(body["translatedText"]) == 4
    assert body["translatedText"][0] == body["translatedText"][2]  # same text, same translation
    assert body["translatedText"][3] == "2024"  # nothing to translate: kept as it is
    assert "detectedLanguage" not in body
    assert len(calls) == 1 and len(calls[0]) == 3  # distinct sentences of every item, one batch


def test_translate_keeps_line_breaks(client: Any) -> None:
    text = "Erste Zeile hier.\n\nZweite Zeile dort.\n"
    body = client.post("/translate", json={"q": text, "source": "de", "target": "en"}).get_json()
    assert body["translatedText"].count("\n") == 3 and body["translatedText"].endswith("\n")


def test_translate_form_body_and_query_string(client: Any) -> None:
    form = client.post("/translate", data={"q": GERMAN, "source": "de", "target": "en"})
    assert form.status_code == 200 and isinstance(form.get_json()["translatedText"], str)
    query = client.post("/translate?q=Guten%20Morgen&source=auto&target=en")  # as deep-translator sends it
    assert query.status_code == 200 and query.get_json()["detectedLanguage"]["language"] in ("de", "en")
    repeated = client.post(
        "/translate", data={"q": ["Eins ist gut.", "Zwei ist besser."], "source": "de", "target": "en"}
    )
    assert len(repeated.get_json()["translatedText"]) == 2


def test_batch_with_auto_lists_one_detection_per_item(client: Any) -> None:
    body = client.post("/translate", json={"q": [GERMAN, GERMAN], "source": "auto", "target": "en"}).get_json()
    assert [d["language"] for d in body["detectedLanguage"]] == ["de", "de"]


def test_same_source_and_target_returns_the_text(client: Any) -> None:
    body = client.post("/translate", json={"q": "Hello there.", "source": "en", "target": "en"}).get_json()
    assert body == {"translatedText": "Hello there."}


def test_alternatives_in_libretranslates_shape(client: Any) -> None:
    single = client.post("/translate", json={"q": GERMAN, "source": "de", "target": "en", "alternatives": 2})
    body = single.get_json()
    assert isinstance(body["alternatives"], list) and 1 <= len(body["alternatives"]) <= 2
    assert all(isinstance(text, str) and text and text != body["translatedText"] for text in body["alternatives"])
    assert len(set(body["alternatives"])) == len(body["alternatives"])
    plain = client.post("/translate", json={"q": GERMAN, "source": "de", "target": "en"}).get_json()
    assert plain["translatedText"] == body["translatedText"]  # asking for alternatives never changes the translation
    batch = client.post("/translate", json={"q": [GERMAN, "Guten Morgen."], "source": "de", "target": "en",
                                            "alternatives": 1}).get_json()  # fmt: skip
    assert [len(found) for found in batch["alternatives"]] == [1, 1]
    assert all(isinstance(found[0], str) for found in batch["alternatives"])
    html = client.post("/translate", json={"q": "<p>Hallo</p>", "source": "de", "target": "en", "format": "html",
                                           "alternatives": 3}).get_json()  # fmt: skip
    assert html["alternatives"] == []  # as LibreTranslate: none for HTML
    for wrong in ("x", 6, -1):
        assert "alternatives" in _error(
            client.post("/translate", json={"q": GERMAN, "source": "de", "target": "en", "alternatives": wrong}), 400
        )


@pytest.mark.parametrize(
    "payload",
    [
        {"source": "de", "target": "en"},
        {"q": "", "source": "de", "target": "en"},
        {"q": [], "source": "de", "target": "en"},
    ],
)
def test_missing_q_is_400(client: Any, payload: dict[str, Any]) -> None:
    assert _error(client.post("/translate", json=payload), 400) == "Invalid request: missing q parameter"
    assert "missing q" in _error(client.post("/translate", data={k: v for k, v in payload.items() if v}), 400)


def test_missing_source_or_target_is_400(client: Any) -> None:
    assert "missing source" in _error(client.post("/translate", json={"q": "Hallo", "target": "en"}), 400)
    assert "missing target" in _error(client.post("/translate", json={"q": "Hallo", "source": "de"}), 400)


def test_unknown_language_is_400(client: Any) -> None:
    assert "xx is not supported" in _error(
        client.post("/translate", json={"q": "Hallo", "source": "xx", "target": "en"}), 400
    )
    assert "fr is not supported" in _error(
        client.post("/translate", json={"q": "Hallo", "source": "de", "target": "fr"}), 400
    )
    # en is a target of the installed model, but nothing translates en→de
    message = _error(client.post("/translate", json={"q": "Hello", "source": "en", "target": "de"}), 400)
    assert "is not supported" in message or "not available" in message


def test_bad_bodies_are_400_json(client: Any) -> None:
    assert (
        _error(client.post("/translate", data="{not json", content_type="application/json"), 400)
        == "Invalid JSON format"
    )
    assert _error(client.post("/translate", json=["q"]), 400) == "Invalid JSON format"
    assert "q" in _error(client.post("/translate", json={"q": 5, "source": "de", "target": "en"}), 400)
    assert "format" in _error(
        client.post("/translate", json={"q": "x", "source": "de", "target": "en", "format": "pdf"}), 400
    )


def test_wrong_method_is_json(client: Any) -> None:
    _error(client.get("/translate"), 405)


HTML = """<article id="a1" class="story" data-x="1">
<h1 title="Titel bleibt">Die Regierung hat entschieden.</h1>
<p>Ein <a href="/x?a=1&amp;b=2" rel="nofollow">neues Gesetz</a> tritt <em>im Sommer</em> in Kraft.</p>
<p translate="no">Dieser Satz bleibt unverändert.</p>
<div class="box notranslate"><span>Markenname GmbH</span></div>
<div translate="no"><p translate="yes">Dieser Satz wird übersetzt.</p></div>
<pre><code>x = berechne(Wert)</code></pre>
<script>var text = "Nicht anfassen";</script>
<!-- Kommentar bleibt -->
<img src="bild.png" alt="Ein Bild">
</article>"""


def _skeleton(soup: BeautifulSoup) -> list[tuple[str, dict[str, Any]]]:
    return [(tag.name, dict(tag.attrs)) for tag in soup.find_all(True) if isinstance(tag, Tag)]


def test_html_keeps_tags_attributes_and_untranslatable_content(client: Any) -> None:
    response = client.post("/translate", json={"q": HTML, "source": "de", "target": "en", "format": "html"})
    assert response.status_code == 200
    before = BeautifulSoup(HTML, "html.parser")
    after = BeautifulSoup(response.get_json()["translatedText"], "html.parser")
    assert _skeleton(after) == _skeleton(before)  # same elements, same order, same attributes
    for selector in ('p[translate="no"]', ".notranslate", "pre", "script"):
        assert str(after.select_one(selector)) == str(before.select_one(selector))
    assert "Kommentar bleibt" in str(after)
    assert after.h1 is not None and before.h1 is not None and after.h1.get_text() != before.h1.get_text()
    assert after.select_one('p[translate="yes"]').get_text() != before.select_one('p[translate="yes"]').get_text()  # type: ignore[union-attr]


def test_html_batch(client: Any) -> None:
    fragments = ["<b>Guten Morgen.</b>", '<span translate="no">Hallo</span>']
    body = client.post("/translate", json={"q": fragments, "source": "de", "target": "en", "format": "html"}).get_json()
    assert body["translatedText"][0].startswith("<b>") and body["translatedText"][1] == fragments[1]


def test_detect(client: Any) -> None:
    response = client.post("/detect", data={"q": GERMAN})
    assert response.status_code == 200
    found = response.get_json()
    assert found[0]["language"] == "de" and 0 < found[0]["confidence"] <= 100
    assert all(set(item) == {"confidence", "language"} for item in found)
    assert client.post("/detect", json={"q": "12345"}).get_json() == [{"confidence": 0.0, "language": "de"}]
    assert _error(client.post("/detect", json={}), 400) == "Invalid request: missing q parameter"


def test_languages_and_frontend_settings(client: Any, settings: Any) -> None:
    languages = client.get("/languages").get_json()
    assert {"code": "de", "name": "German (demo model)", "targets": ["en"]} in languages  # the test model is the demo
    frontend = client.get("/frontend/settings").get_json()
    assert frontend["charLimit"] == settings.api_max_chars
    assert frontend["keyRequired"] is False and frontend["language"]["source"]["code"] == "auto"
    assert frontend["language"]["target"]["code"] == "en"


def test_cross_origin_headers(client: Any) -> None:
    response = client.post("/translate", json={"q": "Hallo", "source": "de", "target": "en"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
