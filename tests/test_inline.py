"""Protected spans and inline tags: exactly once, in place, nested; repaired and flagged when the model fails."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fakes import RewritingFakeEngineForUnitTests
from translator import Settings, Translator
from translator.flags import FORMATTING_GUESSED, PLACEHOLDER_RESTORED
from translator.html_translate import translate_html
from translator.inline import Marker, protect_text, translate_segments
from translator.texts import translate_texts

SPANS = [
    "%s", "%1$s", "%(name)s", "%d", "%%", "{name}", "{0}", "{}", "{{var}}", "${x}", "&amp;", "&#x20;", "&nbsp;",
    "[X7X]", "https://example.com/a?b=1&c=2", "redaktion@example.org", "{count, plural, one {# Datei} other {# Dateien}}",
]  # fmt: skip


def _faked(tmp_path: Path, rewrite: Callable[[str], str]) -> Translator:
    return Translator(Settings(data_dir=tmp_path, cache=False), engine=RewritingFakeEngineForUnitTests(rewrite))


@pytest.mark.parametrize("span", SPANS)
def test_each_span_kind_is_protected(span: str) -> None:
    segment = protect_text(f"Vorher {span} nachher.")
    assert [p.raw for p in segment if isinstance(p, Marker)] == [span]


@pytest.mark.parametrize("text", ["50 % der Leute", "eine 50%ige Chance", "Preis: {", "a < b > c"])
def test_ordinary_text_is_not_protected(text: str) -> None:
    assert protect_text(text) == [text]


def test_url_keeps_out_trailing_punctuation() -> None:
    segment = protect_text("Siehe https://example.com/x. Danke")
    assert [p.raw for p in segment if isinstance(p, Marker)] == ["https://example.com/x"]


def test_placeholders_never_reach_the_model_as_text(tmp_path: Path) -> None:
    translator = _faked(tmp_path, str.upper)
    text = "Hallo %s, siehe https://example.com/a?b=1 oder schreib an a@b.de {name}."
    assert translate_texts(translator, [text], "de", "en") == [
        "HALLO %s, SIEHE https://example.com/a?b=1 ODER SCHREIB AN a@b.de {name}."
    ]
    seen = translator._engine.seen  # type: ignore[union-attr]
    assert seen == ["Hallo [X0X], siehe [X1X] oder schreib an [X2X] [X3X]."]


def test_dropped_placeholder_is_restored_once_and_flagged(tmp_path: Path) -> None:
    translator = _faked(tmp_path, lambda s: re.sub(r"\[X\d+X\]", "", s).upper())
    [result] = translate_segments(translator, [protect_text("Datei %s wurde von {user} gelöscht.")], "de", "en")
    assert result.text.count("%s") == 1 and result.text.count("{user}") == 1
    assert result.text.index("%s") < result.text.index("{user}")  # relative position kept
    assert result.flags == [PLACEHOLDER_RESTORED]


def test_doubled_and_invented_placeholders_are_removed(tmp_path: Path) -> None:
    translator = _faked(tmp_path, lambda s: s.replace("[X0X]", "[X0X] [X0X] [X9X]"))
    [result] = translate_segments(translator, [protect_text("Hallo %s da.")], "de", "en")
    assert result.text.count("%s") == 1 and "[X9X]" not in result.text and PLACEHOLDER_RESTORED in result.flags


def test_unnumbered_printf_keeps_source_order_but_positional_may_move(tmp_path: Path) -> None:
    swap = {"[X0X]": "[X1X]", "[X1X]": "[X0X]"}
    translator = _faked(tmp_path, lambda s: re.sub(r"\[X[01]X\]", lambda m: swap[m.group()], s))
    ordered, positional = translate_segments(
        translator, [protect_text("Von %s nach %d."), protect_text("Von %1$s nach %2$s.")], "de", "en"
    )
    assert ordered.text == "Von %s nach %d." and ordered.flags == [PLACEHOLDER_RESTORED]
    assert positional.text == "Von %2$s nach %1$s." and positional.flags == []


def test_clean_output_raises_no_flag(tmp_path: Path) -> None:
    [result] = translate_segments(_faked(tmp_path, str.upper), [protect_text("Hallo {name}.")], "de", "en")
    assert result.text == "HALLO {name}." and result.flags == []


def test_sentences_reach_the_model_numbered_from_zero(tmp_path: Path) -> None:
    """The same sentence is the same model input (and cache entry) wherever it stands."""
    translator = _faked(tmp_path, lambda s: s.replace("[X1X]", "[X1X] [X5X]").upper())
    texts = ["Erst {a} und {b}. Dann %s und %d.", "Dann {x} und {y}."]
    first, second = translate_segments(translator, [protect_text(t) for t in texts], "de", "en")
    assert translator._engine.seen == ["Erst [X0X] und [X1X].", "Dann [X0X] und [X1X]."]  # type: ignore[union-attr]
    assert first.text == "ERST {a} UND {b}. DANN %s UND %d." and second.text == "DANN {x} UND {y}."
    assert first.flags == second.flags == [PLACEHOLDER_RESTORED]  # the invented [X5X] was dropped


def test_tag_spanning_two_sentences_stays_balanced(tmp_path: Path) -> None:
    html = "<p><b>Erster Satz. Zweiter</b> Satz hier.</p>"
    assert _html(tmp_path, str.upper, html) == "<p><b>ERSTER SATZ. ZWEITER</b> SATZ HIER.</p>"
    dropped = _html(tmp_path, lambda s: re.sub(r"\[X\d+X\]", "", s), html)
    assert dropped.count("<b>") == 1 and dropped.count("</b>") == 1


def _html(tmp_path: Path, rewrite: Callable[[str], str], html: str) -> str:
    return translate_html(_faked(tmp_path, rewrite), [html], "de", "en")[0]


def test_inline_tag_sentence_is_translated_whole(tmp_path: Path) -> None:
    translator = _faked(tmp_path, str.upper)
    assert translate_html(translator, ["<p>Das ist <b>sehr</b> gut.</p>"], "de", "en") == [
        "<p>DAS IST <b>SEHR</b> GUT.</p>"
    ]
    assert translator._engine.seen == ["Das ist [X0X]sehr[X1X] gut."]  # type: ignore[union-attr]


def test_model_moving_a_tag_pair_is_followed(tmp_path: Path) -> None:
    moved = _html(tmp_path, lambda s: "[X0X]Very[X1X] is that good.", "<p>Das ist <b>sehr</b> gut.</p>")
    assert moved == "<p><b>Very</b> is that good.</p>"


def test_crossed_tags_are_renested(tmp_path: Path) -> None:
    crossed = _html(tmp_path, lambda s: "A [X0X]b [X2X]c[X1X] d[X3X] e.", "<p>A <b>b</b> <i>c</i> d e.</p>")
    soup = BeautifulSoup(crossed, "html.parser")
    assert [t.name for t in soup.find_all(True)] == ["p", "b", "i"]
    assert soup.b is not None and soup.b.find("i") is None  # siblings again, not crossed


def test_lost_tags_are_put_back_balanced_and_flagged(tmp_path: Path) -> None:
    translator = _faked(tmp_path, lambda s: "This is very good indeed.")
    [result] = translate_segments(
        translator,
        [["Das ist ", Marker("open", "<b>", pair=1), "sehr", Marker("close", "</b>", pair=1), " gut."]],
        "de",
        "en",
    )
    kinds = [p.kind for p in result.pieces if isinstance(p, Marker)]
    assert kinds == ["open", "close"] and result.flags == [FORMATTING_GUESSED]
    html = _html(tmp_path, lambda s: "This is very good indeed.", "<p>Das ist <b>sehr</b> gut.</p>")
    assert html.count("<b>") == 1 and html.count("</b>") == 1 and "<b> " not in html and "<b></b>" not in html


def test_untranslatable_html_travels_whole(tmp_path: Path) -> None:
    html = '<p>Text <code>x = 1</code> und <span translate="no">Marke</span> hier<!-- k --><br/>mehr.</p>'
    out = _html(tmp_path, lambda s: re.sub(r"\[X\d+X\]", "", s), html)
    for kept in ("<code>x = 1</code>", '<span translate="no">Marke</span>', "<!-- k -->", "<br/>"):
        assert out.count(kept) == 1


def test_markup_that_is_only_text_stays_text(tmp_path: Path) -> None:
    out = _html(tmp_path, str.upper, "<p>Schreib &lt;b&gt;fett&lt;/b&gt; so.</p>")
    assert out == "<p>SCHREIB &lt;b&gt;FETT&lt;/b&gt; SO.</p>"


def test_real_model_keeps_spans_and_tags(translator: Translator) -> None:
    """The test model returns gibberish: what is checked is the repair (exactly once, balanced)."""
    text = "Die Datei %s wurde am {date} von <b>Anna</b> unter https://example.com/x gespeichert."
    [plain] = translate_texts(translator, [text], "de", "en")
    for span in ("%s", "{date}", "<b>", "</b>", "https://example.com/x"):
        assert plain.count(span) == 1
    html = '<p>Das ist <b>sehr</b> gut und <a href="/x">hier</a> steht %d mehr.</p>'
    [out] = translate_html(translator, [html], "de", "en")
    soup = BeautifulSoup(out, "html.parser")
    assert [t.name for t in soup.find_all(True)] == ["p", "b", "a"] and out.count("%d") == 1


def test_weblate_request_round_trips_markers(client: Any) -> None:
    q = [f"Datei [X{n}X] wurde gelöscht, [X{n + 1}X] bleibt." for n in range(0, 40, 2)]
    body = client.post("/translate", json={"q": q, "source": "de", "target": "en"}).get_json()
    for n, translated in zip(range(0, 40, 2), body["translatedText"], strict=True):
        assert translated.count(f"[X{n}X]") == 1 and translated.count(f"[X{n + 1}X]") == 1


WORDS = st.sampled_from(["Das", "ist", "sehr", "gut", "und", "hier", "Satz.", "mehr", "Text", "Anna"])


@st.composite
def segments(draw: st.DrawFn) -> list[str | Marker]:
    """Text with protected spans and (possibly nested) tag pairs in it."""
    pieces: list[str | Marker] = []
    open_pairs: list[int] = []
    for number in range(draw(st.integers(1, 12))):
        choice = draw(st.sampled_from(["word", "word", "span", "open", "close"]))
        if choice == "span":
            pieces.append(Marker("protected", draw(st.sampled_from(["%s", "{name}", "%d", "https://x.de"])),
                                 ordered=draw(st.booleans())))  # fmt: skip
        elif choice == "open":
            pieces.append(Marker("open", "<b>", pair=number))
            open_pairs.append(number)
        elif choice == "close" and open_pairs:
            pieces.append(Marker("close", "</b>", pair=open_pairs.pop()))
        else:
            pieces.append(draw(WORDS) + " ")
    pieces.extend(Marker("close", "</b>", pair=pair) for pair in reversed(open_pairs))
    return [*pieces, "Ende."]


@settings(max_examples=150, deadline=None)
@given(segment=segments(), data=st.data())
def test_any_model_output_keeps_every_marker_once_and_nested(
    tmp_path_factory: pytest.TempPathFactory, segment: Any, data: Any
) -> None:
    """Whatever the model does to the placeholders (drop, double, invent, shuffle), the result is sound."""

    chance = random.Random(data.draw(st.integers(0, 2**32), label="seed"))  # the fake runs in another thread

    def mangle(sentence: str) -> str:
        tokens = re.findall(r"\[X\d+X\]|[^\s\[]+|\s+|\[", sentence)
        if chance.random() < 0.5:
            chance.shuffle(tokens)
        kept = [t for t in tokens if not (t.startswith("[X") and chance.random() < 0.4)]
        if chance.random() < 0.3:
            kept.insert(chance.randrange(len(kept) + 1), chance.choice(["[X0X]", "[X99X]", "[X1X]"]))
        return "".join(kept)

    [result] = translate_segments(_faked(tmp_path_factory.getbasetemp(), mangle), [segment], "de", "en")
    source_markers = [p for p in segment if isinstance(p, Marker)]
    result_markers = [p for p in result.pieces if isinstance(p, Marker)]
    assert sorted(map(id, result_markers)) == sorted(map(id, source_markers))  # each exactly once
    depth: list[int] = []
    for marker in result_markers:
        if marker.kind == "open":
            depth.append(marker.pair)
        elif marker.kind == "close":
            assert depth and depth.pop() == marker.pair
    assert not depth
    ordered = [m for m in result_markers if m.ordered]
    assert ordered == [m for m in source_markers if m.ordered]  # unnumbered printf keeps its order


def test_a_sentence_the_memory_answers_never_reaches_the_model(tmp_path: Path) -> None:
    """An approved translation of a sentence with a placeholder is used, and the model is not asked for it."""
    translator = _faked(tmp_path, str.upper)
    assert translator.memory is not None
    translator.memory.put("de", "en", "Die Datei %s wurde gelöscht.", "The file %s was removed.", "edit")
    [result] = translate_segments(translator, [protect_text("Die Datei %s wurde gelöscht. Danke.")], "de", "en")
    assert result.text == "The file %s was removed. DANKE."
    assert result.origins == ["memory", "model"]
    assert translator._engine.seen == ["Danke."]  # type: ignore[union-attr]
