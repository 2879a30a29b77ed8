"""Structured logs: JSON lines through the standard library's logging, to stderr.

Never log params or personal data. Exceptions are logged as their type and the stack of
``file:line in function`` frames only: an exception's message may quote input (a name,
an e-mail address), so it is left out.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import MutableMapping
from typing import Any

import structlog


def without_exception_messages(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: replace ``exc_info`` with the exception type and its frames."""
    exc_info = event.pop("exc_info", None)
    if exc_info:
        error = exc_info if isinstance(exc_info, BaseException) else sys.exc_info()[1]
        if error is not None:
            frames = traceback.extract_tb(error.__traceback__)
            event["exception_type"] = type(error).__name__
            event["stack"] = [f"{f.filename.rsplit('/', 2)[-1]}:{f.lineno} in {f.name}" for f in frames]
    return event


def configure_logging(level: str) -> None:
    """Configure structlog and the stdlib root logger for ``level`` (``info``, ``debug``...)."""
    numeric = getattr(logging, level.upper(), logging.INFO)
    logging.basicConfig(format="%(message)s", stream=sys.stderr, level=numeric)
    logging.getLogger().setLevel(numeric)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            without_exception_messages,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    # flask-jsonrpc logs every client error with its traceback and the raw body at INFO;
    # bodies may hold personal data, and client errors are not ours to alarm about.
    logging.getLogger("flask_jsonrpc").setLevel(logging.WARNING)
    # The dev server's access log prints query strings, which may carry identifiers.
    logging.getLogger("werkzeug").setLevel(max(numeric, logging.WARNING))
