"""Stored values that cannot be read back (``errors.StoreCorrupt``).

A value this app wrote always parses. One that does not was tampered with or written by
something else; the stores then behave as if Redis were unavailable (the caller falls back
to what it holds, a client gets a retry-later error) and log the key at error level, never
the value, so that an operator sees it.
"""

from __future__ import annotations

import structlog

from bff.errors import DataError, StoreCorrupt

log = structlog.get_logger(__name__)

# What parsing an unreadable stored value raises: JSON and int() (ValueError, including
# UnicodeDecodeError), a document of the wrong shape (TypeError, KeyError, AttributeError)
# and the documents' own validation (DataError).
UNREADABLE = (ValueError, TypeError, KeyError, AttributeError, DataError)


def corrupt(key: str) -> StoreCorrupt:
    """The error for the unreadable value at ``key``, logged here (the key, never the value)."""
    log.error("store.corrupt", key=key)
    return StoreCorrupt(f"the stored value at {key} cannot be read")
