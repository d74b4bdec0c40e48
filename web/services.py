"""The objects a request needs (translator, document store, job runner), attached to the app."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from translator import Settings, Translator
from translator.files.store import FileStore
from translator.jobs import StoreJobRunner
from translator.storage.documents import DocumentStore


@dataclass
class Services:
    settings: Settings
    translator: Translator
    store: DocumentStore
    jobs: StoreJobRunner


def services() -> Services:
    """The current app's services (set up once by create_app)."""
    found: Services = current_app.extensions["translator_services"]
    return found


def translated_files() -> FileStore:
    """The current app's store of translated files awaiting download (created on first use)."""
    store: FileStore | None = current_app.extensions.get("translated_files")
    if store is None:
        settings = services().settings
        store = FileStore(settings.data_dir / "translated-files", settings.file_keep_seconds)
        current_app.extensions["translated_files"] = store
    return store
