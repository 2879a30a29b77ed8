"""The one exception hierarchy of the BFF, and the fixed JSON-RPC error codes.

::

    OnsiteError                      base; never reaches a client as a traceback
    ├── ConfigError                  bad configuration, raised at start-up
    ├── RedisNotInstalled            no redis-server on PATH for the embedded mode
    ├── StoreUnavailable             Redis could not be reached in time
    │   └── StoreCorrupt             a stored value cannot be read back (tampered, or not ours)
    ├── DataError                    a data file (merchant, campaigns) is invalid
    └── RpcError                     carries a JSON-RPC code and a human message
        ├── InvalidParams            -32602, names the param and the reason
        │   └── InvalidDocument      -32602, plus the problems of a document by field path
        ├── UnknownClient            -32001, the client_id is not a known merchant
        ├── InternalError            -32603, something failed on our side (never says what)
        ├── ServiceUnavailable       -32002, a dependency is down; retry later
        ├── Unauthorized             -32003, missing, unknown or revoked API key
        ├── NotFound                 -32004, no such object for this merchant
        ├── RateLimited              -32005, too many calls; data.retry_after_s says when to retry
        └── Conflict                 -32009, the object changed or already exists

Foreign exceptions are translated where they enter (``raise StoreUnavailable(...) from exc``).

Messages sent to clients quote client input only through ``quoted()`` (at most about 40
characters), so that no error echoes a large value back (docs/security.md, "JSON-RPC edge
cases").
"""

from __future__ import annotations

import reprlib
from typing import Any

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
UNKNOWN_CLIENT = -32001
SERVICE_UNAVAILABLE = -32002
UNAUTHORIZED = -32003
NOT_FOUND = -32004
RATE_LIMITED = -32005
CONFLICT = -32009

INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. The request was not processed; please retry."

MAX_QUOTED_CHARS = 40
MAX_LISTED_PROBLEMS = 10
MAX_PROBLEM_CHARS = 160

_quoting = reprlib.Repr()
_quoting.maxlevel = 2
_quoting.maxstring = _quoting.maxlong = _quoting.maxother = MAX_QUOTED_CHARS
_quoting.maxlist = _quoting.maxtuple = _quoting.maxdict = _quoting.maxset = 4


def quoted(value: object) -> str:
    """``repr(value)`` for a message, at most about ``MAX_QUOTED_CHARS`` characters.

    The middle of a longer string or number is replaced by ``...``; containers show their
    first few items and two levels. Cost is bounded by the shown part, not the value.
    """
    return _quoting.repr(value)


def clipped(text: str, limit: int = MAX_PROBLEM_CHARS) -> str:
    """``text`` itself, or its first ``limit - 3`` characters and ``...``."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


class OnsiteError(Exception):
    """Base class of every error the BFF raises on purpose."""


class ConfigError(OnsiteError):
    """The configuration is invalid; the message says which setting and why."""


class RedisNotInstalled(OnsiteError):
    """The embedded mode needs ``redis-server`` on PATH and there is none."""

    def __init__(self) -> None:
        super().__init__(
            "redis-server was not found on PATH. Install it (Debian/Ubuntu: "
            "'sudo apt-get install redis-server'; macOS: 'brew install redis'), "
            "or point the app at an existing server with REDIS_URL=redis://host:6379/0."
        )


class StoreUnavailable(OnsiteError):
    """Redis did not answer in time or refused the connection."""


class StoreCorrupt(StoreUnavailable):
    """A stored value cannot be read back: not what this app wrote (tampered with, or
    written by something else). Handled as the store being unavailable (callers fall back
    to what they hold, clients get a retry-later error); the message names the key, never
    the value."""


class DataError(OnsiteError):
    """A data file is invalid; the message names the file and the field path."""


class RpcError(OnsiteError):
    """An error that is sent to the client as a JSON-RPC error object."""

    code: int = INTERNAL_ERROR

    def __init__(self, message: str, data: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.data = data or {}


class InvalidParams(RpcError):
    """A parameter is missing, of the wrong type, or out of range."""

    code = INVALID_PARAMS

    def __init__(self, param: str, reason: str) -> None:
        super().__init__(f"Invalid params: '{param}' {reason}", {"param": param, "reason": reason})
        self.param = param
        self.reason = reason


class UnknownClient(RpcError):
    """The ``client_id`` does not belong to a known merchant."""

    code = UNKNOWN_CLIENT

    def __init__(self, client_id: str) -> None:
        super().__init__(f"Unknown client_id {quoted(client_id)}: check the data-client-id of the script tag")


class InternalError(RpcError):
    """Something failed on our side. The reply never says what (its log line names the
    exception's type); every path that answers JSON-RPC sends this one."""

    code = INTERNAL_ERROR

    def __init__(self) -> None:
        super().__init__("Internal error", {"message": INTERNAL_ERROR_MESSAGE})


class ServiceUnavailable(RpcError):
    """A dependency is down; the client may retry later."""

    code = SERVICE_UNAVAILABLE

    def __init__(
        self, message: str = "The service is temporarily unavailable; please retry shortly."
    ) -> None:
        super().__init__(message)


class InvalidDocument(InvalidParams):
    """A document param (a campaign) has problems, each ``{path, message}``.

    ``problems`` keeps them all (the CLI prints them). The client gets a bounded reply:
    ``data.problems`` holds the first ``MAX_LISTED_PROBLEMS``, path and message clipped to
    ``MAX_PROBLEM_CHARS`` (both may quote the document), and ``data.problem_count`` the total.
    """

    def __init__(self, param: str, problems: list[dict[str, str]]) -> None:
        count = len(problems)
        shown = [
            {"path": clipped(p["path"]), "message": clipped(p["message"])}
            for p in problems[:MAX_LISTED_PROBLEMS]
        ]
        super().__init__(
            param,
            f"has {count} problem{'s' if count != 1 else ''}: "
            + "; ".join(f"{p['path']}: {p['message']}" for p in shown[:5])
            + ("; ..." if count > 5 else ""),
        )
        self.problems = problems
        self.data["problems"] = shown
        self.data["problem_count"] = count


class Unauthorized(RpcError):
    """The call needs a valid API key in ``Authorization: Bearer <key>``."""

    code = UNAUTHORIZED

    def __init__(
        self, message: str = "A valid API key is required: send 'Authorization: Bearer <key>'."
    ) -> None:
        super().__init__(message)


class NotFound(RpcError):
    code = NOT_FOUND


class Conflict(RpcError):
    code = CONFLICT


class RateLimited(RpcError):
    code = RATE_LIMITED

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"Too many requests: retry in {retry_after_s} s.", {"retry_after_s": retry_after_s})
        self.retry_after_s = retry_after_s
