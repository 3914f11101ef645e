"""Structured logs: one JSON object per line with the request id (or task id) of what was being done.

`bind(request_id=…)` puts values in a context variable for the duration of a request or task;
`ContextFilter` copies them onto every log record; `JsonFormatter` writes the record as JSON. Settings
choose the format with DANGVU_LOG_FORMAT (json by default, "text" for a terminal).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
from collections.abc import Iterator

_context: contextvars.ContextVar[dict | None] = contextvars.ContextVar("dangvu_log_context", default=None)

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def current() -> dict:
    return dict(_context.get() or {})


@contextlib.contextmanager
def bind(**values) -> Iterator[None]:
    token = _context.set({**current(), **{k: v for k, v in values.items() if v is not None}})
    try:
        yield
    finally:
        _context.reset(token)


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in current().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and key not in data:
                data[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)
