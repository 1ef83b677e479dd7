"""Structured logs on stdout, one JSON object a line, each tagged with its request's id.

A request keeps the id its reverse proxy gave it (``X-Request-ID``) or gets a fresh one; every
log line written while it is served carries that id, and the response hands it back, so an
operator can follow one failing request from nginx's log to the traceback.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# Whatever a client sends is copied into logs: only a short, plain token is trusted.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
access_logger = logging.getLogger("serendip.requests")

# The attributes every LogRecord has; anything else was passed with ``extra=`` and is kept.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    """Stamps each record with the id of the request being served ("-" outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add ``record.request_id``; never drops a record."""
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message, extras, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line."""
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id.get()),
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value if isinstance(value, (str, int, float, bool)) else str(value)
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def incoming_id(request: HttpRequest) -> str:
    """The proxy's request id when it is a plain token, else a fresh one."""
    given = request.headers.get(HEADER, "")
    return given if _ACCEPTABLE.match(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request an id (kept in a context variable), logs it once served, returns it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Serve the request under its id and write one access line."""
        rid = incoming_id(request)
        token = request_id.set(rid)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            # Health probes every few seconds would drown the log: they are logged on failure only.
            if request.path != "/healthz" or response.status_code >= 400:
                access_logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "ms": round((time.monotonic() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            request_id.reset(token)


class StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stdout`` is at the time (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self) -> Any:
        """The current standard output."""
        return sys.stdout

    @stream.setter
    def stream(self, value: Any) -> None:
        pass  # always the current sys.stdout


class TextFormatter(logging.Formatter):
    """``time level logger [request id] message`` for people reading a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The record on one line (its traceback on the following ones)."""
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return super().format(record)
