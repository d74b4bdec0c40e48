"""Request bodies without a Content-Length (``Transfer-Encoding: chunked``) held to the same size limit.

werkzeug stops reading such a stream at ``MAX_CONTENT_LENGTH`` without saying
so when the limit falls on a read boundary: the body arrives cut off, and a
3 MB JSON document became "Invalid JSON format" instead of 413. Reading one
byte past the limit tells a body that fits from one that does not.
"""

from __future__ import annotations

import io
from functools import cached_property
from typing import IO

from flask import Request
from werkzeug.exceptions import RequestEntityTooLarge

READ_SIZE = 64 * 1024


class BoundedRequest(Request):
    """A Flask request whose streamed body is read whole up to the limit, and refused with 413 beyond it."""

    @cached_property
    def stream(self) -> IO[bytes]:
        limit = self.max_content_length
        if self.content_length is not None or limit is None or not self.environ.get("wsgi.input_terminated"):
            return super().stream  # werkzeug checks a declared Content-Length against the limit itself
        return io.BytesIO(read_at_most(self.environ["wsgi.input"], limit))


def read_at_most(stream: IO[bytes], limit: int) -> bytes:
    """The whole stream, or RequestEntityTooLarge as soon as it holds more than ``limit`` bytes."""
    parts: list[bytes] = []
    size = 0
    while chunk := stream.read(min(READ_SIZE, limit + 1 - size)):
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            raise RequestEntityTooLarge()
    return b"".join(parts)
