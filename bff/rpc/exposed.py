"""``exposed``: the wrapper every RPC method's work goes through.

Methods are registered wrapped, except ``placements.render``, whose registered function
only gathers its Flask request's inputs and calls the wrapped ``render_placement`` (which
the lean dispatch in front of Flask calls too).

It lives apart from ``bff/rpc/endpoint.py`` so that the method modules, which the
endpoint registers, import it without importing the endpoint (no import cycle).

Contract of a wrapped method, as a client sees it:

* ``RpcError`` -> its own JSON-RPC code, message and data.
* ``StoreUnavailable`` (Redis did not answer in time) -> -32002, "retry later".
* anything else -> -32603 with a fixed human message; the exception is logged as its
  type and frames (``bff/logs.py`` keeps messages, which may quote input, out of logs).

Needed because flask-jsonrpc turns any ``TypeError`` raised inside a method into -32602
with the exception's text, which would leak internals and mislabel bugs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import structlog
from flask_jsonrpc.exceptions import JSONRPCError

from bff.errors import InternalError, RpcError, ServiceUnavailable, StoreUnavailable

log = structlog.get_logger(__name__)


def exposed(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an RPC method so that only ``JSONRPCError``s with our fixed codes leave it."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except RpcError as exc:
            raise as_jsonrpc(exc) from exc
        except StoreUnavailable as exc:
            log.warning("rpc.store_unavailable", method=fn.__name__)
            raise as_jsonrpc(ServiceUnavailable()) from exc
        except Exception as exc:
            log.error("rpc.internal_error", method=fn.__name__, error=type(exc).__name__, exc_info=exc)
            raise as_jsonrpc(InternalError()) from exc

    return wrapper


def as_jsonrpc(exc: RpcError) -> JSONRPCError:
    """``exc`` as flask-jsonrpc's error, which the library writes as the reply's ``error``."""
    return JSONRPCError(message=exc.message, code=exc.code, data=exc.data or None)
