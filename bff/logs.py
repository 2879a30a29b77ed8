"""Structured logs (structlog, JSON lines on stderr). Never log params or personal data."""

from __future__ import annotations

import logging
import sys

import structlog


def configure_logging(level: str) -> None:
    """Configure structlog and the stdlib root logger for ``level`` (``info``, ``debug``...)."""
    numeric = getattr(logging, level.upper(), logging.INFO)
    logging.basicConfig(format="%(message)s", stream=sys.stderr, level=numeric)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
    # flask-jsonrpc logs every client error with its traceback and the raw body at INFO;
    # bodies may hold personal data, and client errors are not ours to alarm about.
    logging.getLogger("flask_jsonrpc").setLevel(logging.WARNING)
