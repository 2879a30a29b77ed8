"""What a JSON-RPC request body must look like before any method sees it (pure: no Flask).

Both dispatch paths of ``bff/rpc/endpoint.py`` (the lean render and flask-jsonrpc) parse
with ``parse_body`` and check ids with ``id_problem``, so they agree on every edge case:

* The body is strict JSON: ``NaN``, ``Infinity``, ``-Infinity`` and numbers that overflow
  a double (``1e400``) are refused (-32700), since answering with them (Python's ``json``
  would write ``"id": NaN``) produces a reply that strict JSON parsers reject.
* An ``id`` is a string of up to ``MAX_ID_CHARS`` characters, a number of up to as many
  digits, or null (JSON-RPC 2.0, section 4). Anything else, booleans and structures
  included, is an invalid request (-32600) answered with ``"id": null``: every reply
  echoes the id, so a structured id could nest ~1,000 levels deep (which crashed the
  JSON encoder with an HTTP 500) or a string id fill a megabyte.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_ID_CHARS = 64
# The WSGI environ key of a body parsed already: (value, None) or (None, BodyInvalid).
PARSED_BODY = "onsite.rpc_body"
ID_RULE = f"The id must be a string of up to {MAX_ID_CHARS} characters, a number or null."
_ID_INT_BOUND = 10**MAX_ID_CHARS


class BodyInvalid(ValueError):
    """The body is not strict JSON; ``str(exc)`` is a human message that never quotes the body."""


class _NotFinite(ValueError):
    pass


def parse_body(raw: bytes | str) -> Any:
    """The decoded body, or ``BodyInvalid`` saying what is wrong (and where, for syntax errors)."""
    try:
        return json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float)
    except _NotFinite:
        raise BodyInvalid(
            "NaN, Infinity and numbers beyond a double's range (such as 1e400) are not JSON; "
            "send finite numbers."
        ) from None
    except RecursionError:
        raise BodyInvalid("The request body is nested too deeply.") from None
    except json.JSONDecodeError as exc:
        raise BodyInvalid(
            f"The request body is not valid JSON (line {exc.lineno}, column {exc.colno})."
        ) from None
    except ValueError:  # invalid UTF-8, or an integer of more than 4,300 digits
        raise BodyInvalid("The request body is not valid JSON.") from None


def error_body(code: int, message: str, data: Any = None) -> dict[str, Any]:
    """A JSON-RPC error reply to a request whose id is unknown (``"id": null``)."""
    error = {"code": code, "message": message} | ({"data": data} if data is not None else {})
    return {"jsonrpc": "2.0", "id": None, "error": error}


def request_problem(req: Any) -> str | None:
    """Why ``req`` is not a JSON-RPC 2.0 request the endpoint answers, or None."""
    if not (isinstance(req, dict) and isinstance(req.get("method"), str)):
        return "A JSON-RPC request is an object with a string 'method' (and 'params', 'id')."
    if req.get("jsonrpc") != "2.0":
        return 'This endpoint speaks JSON-RPC 2.0: send "jsonrpc": "2.0".'
    return id_problem(req)


def id_problem(req: dict[str, Any]) -> str | None:
    """None when the request has no ``id`` or a valid one; otherwise the message for -32600."""
    if "id" not in req:
        return None
    value = req["id"]
    if value is None or (isinstance(value, str) and len(value) <= MAX_ID_CHARS):
        return None
    if isinstance(value, float) and math.isfinite(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and -_ID_INT_BOUND < value < _ID_INT_BOUND:
        return None
    return ID_RULE


def _refuse_constant(name: str) -> Any:
    raise _NotFinite(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(text)
    return value
