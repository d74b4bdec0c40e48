"""A background job's status: the one list of states, stored as text in the document store.

Its own module (not ``jobs``) so the store can use it without importing the
job runner, which imports the store.
"""

from __future__ import annotations

from enum import StrEnum


class JobStatus(StrEnum):
    """queued → running → done / failed / cancelled (running → queued again when the process stops)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)  # a job that may still change: poll it, cancel it, resume it


def is_active(status: str) -> bool:
    return status in ACTIVE
