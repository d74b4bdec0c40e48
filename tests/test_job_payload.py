"""What a job carries from its submitter: the approved translations and glossary entries its article needs.

A worker on another machine has its own (empty, or different) memory and glossaries; it must translate
with the submitter's, and give the document the submitter's own pipeline would give. Fake engine: these
test the request's contents and the task ids, not the model (tests/test_celery_corrections.py runs
a real worker process with the real test model).
"""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import pytest

from tests.fakes import FakeEngineForUnitTests
from tests.helpers import SEED
from translator.config import Settings
from translator.document import Document
from translator.errors import InputError
from translator.glossary import Glossary, terms_in
from translator.jobs import ArticleRequest, EmbeddedBackend, article_request, task_id_for
from translator.jobs.base import GLOSSARY_BY_NAME
from translator.jobs.remote import RemoteJobRunner
from translator.jobs.tasks import MISMATCH, run_task
from translator.pipeline import Translator
from translator.storage.documents import DocumentStore
from translator.storage.memory import MemorySnapshot

ARTICLE = "Siemens baut in Berlin. Der Vorstand tagte gestern.\n\nDie Deutsche Bank zahlt."


def _fake(data_dir: Path) -> Translator:
    return Translator(Settings(data_dir=data_dir, cache=False), engine=FakeEngineForUnitTests())


def _run(translator: Translator, request: ArticleRequest, task_id: str | None = None) -> dict[str, object]:
    return run_task(translator, request, task_id or task_id_for(translator, request), lambda _report: None)


@pytest.fixture
def server(tmp_path: Path) -> Translator:
    """A submitter with a correction and a glossary of terms in the article and terms that are not."""
    translator = _fake(tmp_path / "server")
    assert translator.memory is not None
    translator.memory.put("de", "en", "Der  Vorstand tagte gestern.", "The board met yesterday.", "edit")
    translator.memory.put("de", "en", "Ein anderer Satz.", "Another sentence.", "edit")  # not in the article
    translator.memory.put("de", "fr", "Siemens baut in Berlin.", "Siemens construit à Berlin.", "edit")
    entries = {"Siemens": "Siemens", "Deutsche Bank": "Deutsche Bank", "Bank": "bank", "Bosch": "Bosch",
               "Hamburg": "Hamburg", "Vorstand tagte": "board met"}  # fmt: skip
    translator.glossaries.put("news", entries, "de", "en")
    return translator


def test_a_request_carries_only_the_glossary_terms_in_the_text_and_the_approved_sentences(server: Translator) -> None:
    request = article_request(server, ARTICLE, "de", "en", glossary=server.glossary_named("news"))
    assert request.glossary is not None
    assert (request.glossary.name, request.glossary.source, request.glossary.target) == ("news", "de", "en")
    # "Bank" is inside "Deutsche Bank" (the longer term wins there), Bosch and Hamburg are not in the text.
    assert request.glossary.entries == {"Deutsche Bank": "Deutsche Bank", "Siemens": "Siemens",
                                        "Vorstand tagte": "board met"}  # fmt: skip
    # The corrected sentence holds a term: the engine is asked its masked form, which the memory does not know.
    assert request.memory == MemorySnapshot("de", "en", {})
    plain = article_request(server, ARTICLE, "auto", "en")  # without the glossary: the sentence as written
    assert plain.glossary is None
    assert plain.memory == MemorySnapshot("de", "en", {"Der Vorstand tagte gestern.": "The board met yesterday."})


def test_a_glossary_of_the_carried_terms_translates_like_the_whole_glossary(tmp_path: Path) -> None:
    """Every word of the seed and every pair of neighbouring words is a term: overlapping, longest-first."""
    translator = _fake(tmp_path)
    text = SEED.read_text(encoding="utf-8")
    words = text.split()
    terms = {w.strip(".,;:!?()„“\"'") for w in words} | {f"{a} {b}" for a, b in itertools.pairwise(words)}
    entries = {t: t.upper()[::-1] for t in terms if t and "<" not in t and t[0] not in "=+@-'"}
    entries.update({f"Begriff{n}": f"term{n}" for n in range(2000)})  # nowhere in the text
    whole = Glossary("all", "de", "en", entries)
    document = translator.translate_document(text, "de", "en", glossary=whole)
    request = article_request(translator, text, "de", "en", glossary=whole)
    assert request.glossary is not None
    assert 0 < len(request.glossary.entries) < len(words) and "Begriff1" not in request.glossary.entries
    assert request.glossary.entries == terms_in([s.source for s in document.sentences], whole)
    carried = translator.translate_document(text, "de", "en", glossary=request.glossary)
    assert carried.stable_dict() == document.stable_dict()


def test_a_worker_translates_with_the_requests_memory_and_glossary_never_its_own(
    server: Translator, tmp_path: Path
) -> None:
    worker = _fake(tmp_path / "worker")  # its own data directory: a correction and a glossary that disagree
    assert worker.memory is not None
    worker.memory.put("de", "en", "Siemens baut in Berlin.", "Worker's own version.", "edit")
    worker.glossaries.put("news", {"Berlin": "BERLIN-ON-SPREE"}, "de", "en")
    text = "Der Vorstand tagte gestern. Siemens baut in Berlin."
    request = article_request(server, text, "de", "en")
    sent = ArticleRequest.from_dict(json.loads(json.dumps(request.to_dict())))  # as Celery sends it
    assert sent == request
    result = _run(worker, sent, task_id_for(server, request))
    assert "document" in result, result
    expected = server.translate_document(text, "de", "en")
    worker_document = result["document"]
    assert isinstance(worker_document, dict)
    assert [(s["translation"], s["origin"]) for b in worker_document["blocks"] for s in b["sentences"]] == [
        ("The board met yesterday.", "memory"),
        ("SIEMENS BAUT IN BERLIN.", "model"),  # not the worker's own correction
    ]
    assert Document.from_dict(worker_document).stable_dict() == expected.stable_dict()

    glossed = article_request(server, ARTICLE, "de", "en", glossary=server.glossary_named("news"))
    on_worker = _run(worker, glossed, task_id_for(server, glossed))  # the worker's "news" differs: not used
    embedded = server.translate_document(ARTICLE, "de", "en", glossary=server.glossary_named("news"))
    assert isinstance(on_worker["document"], dict)
    assert Document.from_dict(on_worker["document"]).stable_dict() == embedded.stable_dict()
    assert "Siemens BAUT IN BERLIN." in embedded.blocks[0].translation  # the server's do-not-translate term
    bare = _run(_fake(tmp_path / "bare"), glossed, task_id_for(server, glossed))  # no glossaries at all
    assert isinstance(bare["document"], dict)
    assert Document.from_dict(bare["document"]).stable_dict() == embedded.stable_dict()


def test_task_ids_change_with_a_correction_and_stay_for_a_resubmission(server: Translator, tmp_path: Path) -> None:
    def task_id(translator: Translator = server, glossary: str | None = None) -> str:
        named = translator.glossary_named(glossary)
        return task_id_for(translator, article_request(translator, ARTICLE, "de", "en", glossary=named))

    first = task_id()
    assert task_id() == first  # an identical resubmission: the same task
    assert server.memory is not None
    server.memory.put("de", "en", "Noch ein Satz.", "One more.", "edit")  # not in this article
    assert task_id() == first
    server.memory.put("de", "en", "Der Vorstand tagte gestern.", "The board met yesterday, corrected.", "edit")
    corrected = task_id()
    assert corrected != first
    assert task_id() == corrected
    server.memory.put("de", "en", "Der Vorstand tagte gestern.", "The board met yesterday.", "edit")
    assert task_id() == first  # the same memory for this article: the same task again

    with_glossary = task_id(glossary="news")
    assert with_glossary != first and task_id(glossary="news") == with_glossary
    server.glossaries.add("news", "Hamburg", "Hamburg (city)", "de", "en")  # not in the article
    assert task_id(glossary="news") == with_glossary
    server.glossaries.add("news", "Siemens", "Siemens AG", "de", "en")
    assert task_id(glossary="news") != with_glossary

    # A worker with a different memory computes the same id for the request, so it accepts the task.
    worker = _fake(tmp_path / "worker")
    request = article_request(server, ARTICLE, "de", "en")
    assert task_id_for(worker, request) == task_id_for(server, request)
    assert _run(worker, request, task_id_for(server, request)) != {"error": MISMATCH}


def test_requests_read_as_json_and_older_ones_are_tolerated(tmp_path: Path) -> None:
    translator = _fake(tmp_path)
    older = {"text": "Ein Satz.", "source": "de", "target": "en", "metadata": {}, "glossary": ""}
    request = ArticleRequest.from_dict(older)
    assert request.glossary is None and request.memory == MemorySnapshot()
    # Nothing carried: the same task id as before requests carried anything.
    assert task_id_for(translator, request) == "article-" + translator.job_key("Ein Satz.", "de", "en")
    assert ArticleRequest.from_dict({"text": "Ein Satz.", "source": "de", "target": "en"}) == request
    with pytest.raises(InputError, match="older version"):
        ArticleRequest.from_dict({**older, "glossary": "news"})
    assert "Upgrade" in GLOSSARY_BY_NAME


def test_the_web_job_runner_sends_its_corrections_to_another_machines_translator(tmp_path: Path) -> None:
    """RemoteJobRunner (the web server with a broker) over a backend whose translator has its own data dir."""
    server, worker = _fake(tmp_path / "server"), _fake(tmp_path / "worker")
    assert server.memory is not None
    server.memory.put("de", "en", "Siemens baut in Berlin.", "Siemens is building in Berlin.", "edit")
    server.glossaries.add("names", "Vorstand", "management board", "de", "en")
    store = DocumentStore(tmp_path / "server" / "documents.sqlite3")
    runner = RemoteJobRunner(server, store, EmbeddedBackend(worker))
    text = "Siemens baut in Berlin. Der Vorstand tagte gestern."
    doc_id = store.create(text, "de", "en", glossary="names")
    missing = store.create(text, "de", "en", glossary="gone")
    try:
        runner.submit(doc_id)
        runner.submit(missing)
        runner.wait(doc_id, timeout=20)
    finally:
        runner.stop()
    stored = store.get(doc_id)
    assert stored is not None and stored.status == "done", stored
    expected = server.translate_document(text, "de", "en", glossary=server.glossary_named("names"))
    document = stored.document()
    assert document is not None and document.stable_dict() == expected.stable_dict()
    assert [s.origin for s in document.sentences] == ["memory", "model"]
    assert "management board" in document.blocks[0].translation
    failed = store.get(missing)
    assert failed is not None and failed.status == "failed" and "gone" in (failed.error or "")


def test_the_batch_sends_its_corrections_with_each_article(tmp_path: Path) -> None:
    """The batch CLI's submit path: the worker (another machine's translator) applies the batch's memory."""
    from translator.batch.inputs import Item
    from translator.batch.work import Options, Submitted, submit_item

    batch, worker = _fake(tmp_path / "batch"), _fake(tmp_path / "worker")
    assert batch.memory is not None
    batch.memory.put("de", "en", "Siemens baut in Berlin.", "Siemens is building in Berlin.", "edit")
    article = tmp_path / "bericht.txt"
    article.write_text("Siemens baut in Berlin. Der Vorstand tagte gestern.\n", encoding="utf-8")
    backend = EmbeddedBackend(worker)
    options = Options("de", "en", ("json",), tmp_path / "out")
    try:
        submitted = submit_item(batch, backend, Item(article, "bericht.txt", "bericht"), options)
        assert isinstance(submitted, Submitted)
        deadline = time.monotonic() + 20
        while not (state := backend.state(submitted.task_id)).finished:
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        backend.close()
    assert state.document is not None, state.error
    sentences = [s for block in Document.from_dict(state.document).blocks for s in block.sentences]
    assert [(s.translation, s.origin) for s in sentences] == [
        ("Siemens is building in Berlin.", "memory"),
        ("DER VORSTAND TAGTE GESTERN.", "model"),
    ]
