"""The objects a request needs (translator, document store, job runner), attached to the app."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from translator import Settings, Translator
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
