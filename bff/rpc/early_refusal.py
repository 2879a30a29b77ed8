"""Refusing a public write before dispatch when its address is known to be over its limit.

A client flooding ``events.track`` or ``consent.update`` from one address is refused by the
per-address limits after its first calls; each further call would still go through
flask-jsonrpc, the param checks and two Redis round trips just to be refused again.
``early_refusal(req)`` gives those calls the same -32005 from the process's memory of
refusals (``bff.rate_limits.known_refusal``, exact: never stricter than Redis) before
the library sees them (and before their params are checked: an over-limit address gets
-32005 for a malformed call too). Only valid single calls without an API key qualify;
anything else, or an address not known to be over, is dispatched as usual. Measured in
docs/security.md, "Public writes".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request
from flask_jsonrpc.exceptions import JSONRPCError

from bff.rate_limits import client_ip, known_refusal

EVENTS_LIMIT = "events.track/ip"
CONSENT_LIMIT = "consent.update/ip"


def _events_cost(params: Any) -> int | None:
    events = params.get("events") if isinstance(params, dict) else None
    if isinstance(params, list) and params:
        events = params[0]
    return len(events) if isinstance(events, list) and events else None


def _one(params: Any) -> int | None:
    return 1


# The per-address limit each public write enforces (the name it passes to ``enforce``) and
# the cost of a call; tests/rpc/test_early_refusal.py checks both against the methods.
ANONYMOUS_LIMITS: dict[str, tuple[str, Callable[[Any], int | None]]] = {
    "events.track": (EVENTS_LIMIT, _events_cost),
    "consent.update": (CONSENT_LIMIT, _one),
}


def early_refusal(req: Any) -> dict[str, Any] | None:
    """The -32005 reply object for ``req`` (a single call with a valid envelope), or None."""
    if "Authorization" in request.headers or not isinstance(req, dict):
        return None
    rule = ANONYMOUS_LIMITS.get(req["method"])
    if rule is None:
        return None
    name, cost_of = rule
    cost = cost_of(req.get("params", {}))
    refused = known_refusal(name, client_ip(), cost) if cost is not None else None
    if refused is None:
        return None
    error = JSONRPCError(message=refused.message, code=refused.code, data=refused.data)
    return {"id": req.get("id"), "jsonrpc": "2.0", "error": error.jsonrpc_format}
