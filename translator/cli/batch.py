"""``python -m translator batch``: translate a folder of articles into bilingual files, resumably.

The command owns the run: it finds the inputs (batch_inputs), skips what the
manifest says is finished (batch_manifest), sends the rest through the job
backend (this process's thread pool sharing one Translator and its sentence
cache, or Celery workers when TRANSLATOR_BROKER_URL is set), writes every
output and manifest entry itself (batch_work), reports progress
(batch_progress) and stops cleanly on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import click

from translator.batch.inputs import Item, discover
from translator.batch.manifest import MANIFEST_NAME, Manifest, locked, remove_stale_temps
from translator.batch.plan import describe_plan, plan
from translator.batch.progress import progress_for
from translator.batch.same import SAME
from translator.batch.work import Loaded, Options, Outcome, Submitted, collect_item, submit_item, unchanged
from translator.cli.common import say, settings_from, source_option, target_option
from translator.config import Settings, available_cores
from translator.engine import ArgosEngine
from translator.errors import BrokerUnavailable, InputError
from translator.exports import EXPORT_FORMATS
from translator.files import DOCUMENT_SUFFIXES
from translator.jobs import EmbeddedBackend, JobBackend, job_backend
from translator.languages import check_pair
from translator.models import demo_notice, list_models
from translator.pipeline import Translator
from translator.sources import ARTICLE_SUFFIXES
from translator.sources.feeds import feed_urls, url_list

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130
EXIT_BROKER = 4
BROKER_WINDOW = 64  # with a broker: files queued at once, so every worker has the next one waiting
DEFAULT_FORMATS = "html,json"

SUFFIXES = ", ".join(ARTICLE_SUFFIXES)
EPILOG = f"""\b
Outputs: one file per format under OUT, at the input's path relative to the
directory given (for files and globs: its file name), with the language pair
(the detected source language, with --source auto) before the extension:
  articles/sub/bericht.md -> OUT/sub/bericht.de-en.html, ...de-en.json
  formats html, md, tsv, json; xliff is written as .xlf
  same: the translated file in its own format, named with the target only
  (bericht.en.md, page.en.html with the page's own markup); with same, folders
  also yield .docx, .pptx, .odt, .odp, .epub, .po/.pot, .xlf/.xliff, .srt and
  .vtt files, which get only that output (a .pot gives a .po)
Inputs differing only in suffix keep it (bericht.txt.de-en.html, bericht.md.de-en.html);
two inputs with the same relative name (files from different folders) get -2,
-3... (bericht-2.de-en.html). Folders are read recursively for {SUFFIXES}
files, leaving out hidden entries and OUT itself.
Nothing under OUT is an input (for globs and files too); symlinked folders
are not followed (nor by '**'); only regular files are read, FIFOs, sockets
and devices are listed as skipped.
Web pages (http(s):// INPUTs, --urls FILE, the entries of --feed) are fetched,
reduced to the article and written under a folder named after the host:
  https://www.example.de/politik/bericht.html -> OUT/www.example.de/politik-bericht.de-en.html
JSON outputs leave out per-run fields (timings, cached flags, cache path), so
the same input, model and options always give the same bytes.

\b
Resume: OUT/{MANIFEST_NAME} records each finished file (content hash,
model name@version, options, outputs). Run the same command again: unchanged
files are skipped; changed files, another model or other options are redone;
failed files are always retried. Pages are keyed by URL and compared by a hash
of their extracted article, so a --feed run from cron translates only entries
that are new or changed. Outputs are written to a temporary file and
renamed, so none is ever half-written. Ctrl-C or SIGTERM finishes the current
file(s) and stops (exit 130); a second Ctrl-C stops at once.

\b
Exit codes: 0 every file translated or unchanged; 1 some files failed (listed
in the summary); 2 bad usage, nothing matched, or OUT in use by another batch;
3 no model installed for the language pair; 4 the job broker (TRANSLATOR_BROKER_URL)
does not answer (re-run to resume); 130 interrupted.

\b
With TRANSLATOR_BROKER_URL set, files are translated by `python -m translator
worker` processes (on any machine with the same model and settings); this
command reads the files, queues them and writes every output itself. Stopping
leaves queued files to the workers: the next run collects their results.
"""


def _formats(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    chosen: list[str] = []
    for value in values or (DEFAULT_FORMATS,):
        for name in (part.strip().lower() for part in value.split(",")):
            if name == "all":
                chosen += EXPORT_FORMATS
            elif name in EXPORT_FORMATS or name == SAME:
                chosen.append(name)
            elif name:
                raise click.BadParameter(f"unknown format {name!r}; use {', '.join(EXPORT_FORMATS)}, same or all.")
    if not chosen:
        raise click.BadParameter("give at least one format.")
    return tuple(dict.fromkeys(chosen))


@click.command(epilog=EPILOG)
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output directory (created if missing); holds the outputs and the manifest.")  # fmt: skip
@source_option
@target_option
@click.option("--format", "formats", multiple=True, callback=_formats, metavar="LIST",
              help=f"Comma-separated output formats: {', '.join(EXPORT_FORMATS)}, same (the input's own) or all "
                   f"[default: {DEFAULT_FORMATS}].")  # fmt: skip
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Files translated at once: threads sharing one model (N replicas) and the cache.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Count files, sentences and words and estimate the time; write nothing.")
@click.option("--feed", "feeds", multiple=True, metavar="URL_OR_FILE",
              help="An RSS or Atom feed: translate the page of each entry (repeatable).")  # fmt: skip
@click.option("--urls", "url_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A text file of web addresses, one per line (# comments).")  # fmt: skip
@click.pass_context
def batch(
    ctx: click.Context,
    inputs: tuple[str, ...],
    out_dir: Path,
    source: str,
    target: str,
    formats: tuple[str, ...],
    jobs: int,
    dry_run: bool,
    feeds: tuple[str, ...],
    url_file: Path | None,
) -> None:
    """Translate INPUT... (files, folders, globs, web addresses) and feed entries into bilingual files in --out.

    Re-run the same command to resume or to pick up new feed entries.
    """
    settings = _settings(ctx, jobs)
    options = Options(source, target, formats, out_dir)
    addresses = [url for feed in feeds for url in feed_urls(feed, settings)]
    addresses += url_list(url_file) if url_file is not None else []
    if not inputs and not addresses:
        raise InputError("Give INPUT files, folders or addresses, --urls FILE or --feed URL_OR_FILE.")
    suffixes = ARTICLE_SUFFIXES + DOCUMENT_SUFFIXES if SAME in formats else ARTICLE_SUFFIXES
    items, warnings, skipped = discover([*inputs, *addresses], out_dir, suffixes)
    for name in skipped:
        say(f"skipped: {name}: only regular files are read", err=True)
    if not items:
        raise InputError(f"No article files ({', '.join(suffixes)}) matched " + " ".join(inputs))
    check_pair(ArgosEngine(settings).pairs(), source, target)  # exit 3 before anything starts
    if notice := demo_notice(list_models(settings.resolved_model_dir)[0]):
        warnings.append(notice)
    for warning in warnings:
        say(f"warning: {warning}", err=True)
    if dry_run:
        manifest, problem = Manifest.load(out_dir)
        if problem:
            say(f"warning: {problem}", err=True)
        for line in describe_plan(plan(settings, items, manifest, options), out_dir):
            say(line)
        return
    translator = Translator(settings)
    try:
        backend = job_backend(settings, translator, workers=jobs)
        if problem := backend.problem():
            raise BrokerUnavailable(problem)
        with locked(out_dir), _stop_on_signals() as stop:
            code = _run(translator, backend, items, skipped, options, jobs, stop)
    except BrokerUnavailable as error:  # outputs and manifest hold what finished: the next run resumes
        say(f"error: {error} Run the same command again to resume.", err=True)
        code = EXIT_BROKER
    except KeyboardInterrupt:  # a second Ctrl-C before any file started
        say("Interrupted before translating. Run the same command again to resume.", err=True)
        code = EXIT_INTERRUPTED
    ctx.exit(code)


def _settings(ctx: click.Context, jobs: int) -> Settings:
    """Settings for the run: with --jobs N, N model replicas (CTranslate2 inter_threads) share the cores."""
    settings = settings_from(ctx)
    if jobs > 1 and settings.inter_threads < jobs:
        intra = settings.intra_threads or max(available_cores() // jobs, 1)
        settings = settings.with_overrides(inter_threads=jobs, intra_threads=intra)
    return settings


def _run(
    translator: Translator,
    backend: JobBackend,
    items: list[Item],
    skipped: list[str],
    options: Options,
    jobs: int,
    stop: threading.Event,
) -> int:
    """Translate what is not finished yet; returns the exit code. ``skipped``: inputs that are not regular files."""
    out_dir = options.out_dir
    if removed := remove_stale_temps(out_dir):
        say(f"Removed {removed} temporary file(s) left by an interrupted run.", err=True)
    manifest, warning = Manifest.load(out_dir)
    if warning:
        say(f"warning: {warning}", err=True)
    todo: list[Item] = []
    done_before = 0
    loaded: dict[str, Loaded] = {}  # pages fetched to compare with the manifest, reused for the translation
    for item in items:
        if stop.is_set():
            break  # interrupted while checking: start nothing
        if unchanged(translator, manifest, item, options, loaded):
            done_before += 1
        else:
            todo.append(item)
    window = jobs if backend.name == EmbeddedBackend.name else max(jobs, BROKER_WINDOW)
    how = f"{jobs} job(s)" if window == jobs else f"up to {window} queued on the workers"
    say(
        f"{len(items)} files: {len(todo)} to translate, {done_before} unchanged (skipped); "
        f"{how}, formats {','.join(options.formats)}, into {out_dir}",
        err=True,
    )
    progress = progress_for(len(todo))
    outcomes: list[Outcome] = []
    started = time.monotonic()

    def record(outcome: Outcome) -> None:
        manifest.record(outcome.item.key, outcome.entry)
        outcomes.append(outcome)
        progress.finished(outcome)

    try:
        _pool(translator, backend, todo, options, manifest, window, stop, record, progress.note, loaded)
    except KeyboardInterrupt:  # a second Ctrl-C: outputs and manifest are consistent, abandon the current file
        backend.close(wait=False)
        progress.close()
        _interrupted(outcomes, done_before, skipped, len(items), time.monotonic() - started)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)  # worker threads cannot be cancelled; nothing is left to save
    except BrokerUnavailable:
        backend.close(wait=False)
        progress.close()
        manifest.fold()
        raise
    backend.close()
    progress.close()
    manifest.fold()
    if stop.is_set() and done_before + len(outcomes) < len(items):
        _interrupted(outcomes, done_before, skipped, len(items), time.monotonic() - started)
        return EXIT_INTERRUPTED
    _summary(outcomes, done_before, skipped, len(items), time.monotonic() - started)
    return EXIT_FAILED if any(not o.ok for o in outcomes) else 0


def _pool(
    translator: Translator,
    backend: JobBackend,
    todo: list[Item],
    options: Options,
    manifest: Manifest,
    window: int,
    stop: threading.Event,
    record: Callable[[Outcome], None],
    notify: Callable[[str], None],
    loaded: dict[str, Loaded],
) -> None:
    """At most ``window`` files in flight; none submitted once stop is set. Outputs are written by this thread.

    Without a broker, stopping finishes the files in progress. With one, it leaves them to the workers: their
    results wait in the result backend and the next run (same task ids) collects them.
    """
    queue = iter(todo)
    pending: dict[str, list[Submitted]] = {}  # task id -> items waiting for it (equal files share one task)
    in_flight = 0
    announced = False
    remote = backend.name != EmbeddedBackend.name
    while True:
        if stop.is_set() and not announced:  # said here, not in the signal handler: print is not reentrant
            notify("Stopping after the current file(s)... (press Ctrl-C again to stop at once)")
            announced = True
        if stop.is_set() and remote:
            return
        while not stop.is_set() and in_flight < window and (item := next(queue, None)) is not None:
            previous, prefetched = manifest.entry(item.key), loaded.pop(item.key, None)
            submitted = submit_item(translator, backend, item, options, previous, prefetched)
            if isinstance(submitted, Outcome):
                record(submitted)
                continue
            pending.setdefault(submitted.task_id, []).append(submitted)
            in_flight += 1
        if not pending:
            return
        for task_id, waiting in list(pending.items()):
            state = backend.state(task_id)
            if not state.finished:
                continue
            for submitted in waiting:
                record(collect_item(translator, submitted, state, options, manifest.entry(submitted.item.key)))
            in_flight -= len(waiting)
            del pending[task_id]
            backend.forget(task_id)
        time.sleep(backend.poll_interval)


def _summary(outcomes: list[Outcome], unchanged: int, skipped: list[str], total: int, seconds: float) -> None:
    failed = [o for o in outcomes if not o.ok]
    translated = len(outcomes) - len(failed)
    sentences = sum(o.sentences for o in outcomes)
    not_regular = f", {len(skipped)} not regular files (skipped)" if skipped else ""
    say(
        f"Summary: {translated} translated, {unchanged} unchanged (skipped), {len(failed)} failed, of {total} files"
        f"{not_regular} ({sentences} sentences in {seconds:.1f}s)."
    )
    if failed:
        say("Failed:")
        for outcome in failed:
            say(f"  {outcome.item.key}: {outcome.error}")
    if skipped:
        say("Skipped, not regular files (only regular files are read):")
        for name in skipped:
            say(f"  {name}")


def _interrupted(outcomes: list[Outcome], unchanged: int, skipped: list[str], total: int, seconds: float) -> None:
    _summary(outcomes, unchanged, skipped, total, seconds)
    done = unchanged + sum(1 for o in outcomes if o.ok)
    say(f"Interrupted: {done} of {total} files done. Run the same command again to resume.", err=True)


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """The first SIGINT/SIGTERM sets the event (finish the current files); a second raises KeyboardInterrupt."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop  # signal handlers can only be installed from the main thread
        return

    def handle(_signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


__all__ = ["EXIT_BROKER", "EXIT_FAILED", "EXIT_INTERRUPTED", "batch"]
