"""The ``POST /rpc`` endpoint: flask-jsonrpc, with errors translated and scrubbed.

Contract:

* Every JSON-RPC response is sent with HTTP 200, errors included; HTTP statuses are kept
  for transport problems (413 for an oversized body, 204 for a batch of notifications).
* ``RpcError`` subclasses become JSON-RPC errors with their own code, message and data.
* Any other exception is logged (without params, which may hold personal data) and
  becomes -32603 with a human message: no traceback or internal text reaches a client.
* A single ``placements.render`` call (the hot path: every frame sends one) takes a lean
  dispatch that skips flask-jsonrpc's generic machinery but produces the same bytes; any
  other shape goes the library's way. Why, and the measurements: ``docs/serving.md``.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from typing import Any

import structlog
from flask import Flask, current_app, make_response, request
from flask_jsonrpc import JSONRPC
from flask_jsonrpc.exceptions import InvalidRequestError, JSONRPCError, ParseError
from flask_jsonrpc.site import JSONRPCSite
from flask_jsonrpc.views import JSONRPCView
from werkzeug.exceptions import RequestEntityTooLarge

from bff.errors import INTERNAL_ERROR, INTERNAL_ERROR_MESSAGE, PARSE_ERROR, RpcError
from bff.metrics import observe_rpc

log = structlog.get_logger(__name__)

RPC_PATH = "/rpc"
MAX_BODY_BYTES = 1024 * 1024
MAX_BATCH_CALLS = 100
LEAN_METHOD = "placements.render"


def _error_response(code: int, message: str, data: Any = None, status: int = 200) -> Any:
    error = {"code": code, "message": message} | ({"data": data} if data is not None else {})
    body = {"jsonrpc": "2.0", "id": None, "error": error}
    return make_response(json.dumps(body), status, {"Content-Type": "application/json"})


class ScrubbingSite(JSONRPCSite):
    """A ``JSONRPCSite`` that never echoes the body back and never leaks exceptions."""

    def to_json(self, request_data: bytes) -> Any:
        try:
            return json.loads(request_data)
        except RecursionError as exc:
            raise ParseError(data={"message": "The request body is nested too deeply."}) from exc
        except ValueError as exc:
            where = (
                f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
            )
            raise ParseError(data={"message": f"The request body is not valid JSON{where}."}) from exc

    def handle_dispatch_except(self, req_json: Any) -> Any:
        # The library's own message echoes the whole request back; ours says what is wrong.
        problem = None
        if not (isinstance(req_json, dict) and isinstance(req_json.get("method"), str)):
            problem = "A JSON-RPC request is an object with a string 'method' (and 'params', 'id')."
        elif req_json.get("jsonrpc") != "2.0":
            problem = 'This endpoint speaks JSON-RPC 2.0: send "jsonrpc": "2.0".'
        if problem is not None:
            error = InvalidRequestError(data={"message": problem})
            return {"id": _request_id(req_json), "jsonrpc": "2.0", "error": error.jsonrpc_format}, 200, {}
        return super().handle_dispatch_except(req_json)

    def dispatch(self, req_json: dict[str, Any]) -> Any:
        method = req_json.get("method")
        name = method if isinstance(method, str) and method in self.view_funcs else "unknown"
        started, ok = time.perf_counter(), False
        try:
            response = super().dispatch(req_json)
            ok = True
            return response
        finally:
            observe_rpc(name, time.perf_counter() - started, ok)

    def batch_dispatch(self, reqs_json: list[dict[str, Any]]) -> Any:
        if len(reqs_json) > MAX_BATCH_CALLS:
            raise InvalidRequestError(
                data={"message": f"A batch holds at most {MAX_BATCH_CALLS} calls; got {len(reqs_json)}."}
            )
        return super().batch_dispatch(reqs_json)

    def handle_exception(self, req_json: dict[str, Any], exc: Exception) -> Any:
        log.error("rpc.internal_error", method=_method_name(req_json), error=type(exc).__name__)
        error = JSONRPCError(
            message="Internal error", code=INTERNAL_ERROR, data={"message": INTERNAL_ERROR_MESSAGE}
        )
        response = {"id": _request_id(req_json), "jsonrpc": "2.0", "error": error.jsonrpc_format}
        return response, 200, {}


class Http200View(JSONRPCView):
    """Sends JSON-RPC errors with HTTP 200 and maps an oversized body to 413."""

    def post(self) -> Any:
        try:
            response = _lean_render(self.jsonrpc_site) or make_response(super().post())
        except RequestEntityTooLarge:
            return _error_response(
                PARSE_ERROR, "Request body too large", {"limit_bytes": MAX_BODY_BYTES}, 413
            )
        if response.status_code in (400, 500):
            response.status_code = 200
        return response


def _lean_render(site: JSONRPCSite) -> Any:
    """Serve a single ``placements.render`` call directly; None for anything else.

    Taken only for a JSON object with ``"jsonrpc": "2.0"``, that method, an ``id``, and
    params as an object or array: then the library would bind the params by name (or
    position) and call the same function, so this does exactly that and serializes with
    the app's JSON provider, as the library does, without its generic per-value walk.
    tests/rpc/test_lean_render.py compares both paths byte for byte.
    """
    if not current_app.extensions["onsite.settings"].rpc_lean_render or not request.is_json:
        return None
    try:
        req = json.loads(request.get_data())
    except (ValueError, RecursionError):
        return None
    if not (
        isinstance(req, dict)
        and req.get("method") == LEAN_METHOD
        and req.get("jsonrpc") == "2.0"
        and "id" in req
    ):
        return None
    view_func = site.view_funcs[LEAN_METHOD]
    names = list(getattr(view_func, "jsonrpc_method_params", {}))
    params = req.get("params", {})
    if isinstance(params, dict):
        kwargs = {name: params.get(name) for name in names}
    elif isinstance(params, list):
        kwargs = {name: params[i] if i < len(params) else None for i, name in enumerate(names)}
    else:
        return None
    started = time.perf_counter()
    try:
        body = {"id": req["id"], "jsonrpc": "2.0", "result": view_func(**kwargs)}
    except JSONRPCError as exc:
        observe_rpc(LEAN_METHOD, time.perf_counter() - started, False)
        body = {"id": req["id"], "jsonrpc": "2.0", "error": exc.jsonrpc_format}
    else:
        observe_rpc(LEAN_METHOD, time.perf_counter() - started, True)
    return current_app.json.response(body)


def exposed(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an RPC method: ``RpcError`` -> its JSON-RPC error; anything else -> scrubbed -32603.

    Needed because flask-jsonrpc turns any ``TypeError`` raised inside a method into
    -32602 with the exception's text, which would leak internals and mislabel bugs.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except RpcError as exc:
            raise JSONRPCError(message=exc.message, code=exc.code, data=exc.data or None) from exc
        except Exception as exc:
            log.error("rpc.internal_error", method=fn.__name__, error=type(exc).__name__, exc_info=exc)
            raise JSONRPCError(
                message="Internal error", code=INTERNAL_ERROR, data={"message": INTERNAL_ERROR_MESSAGE}
            ) from exc

    return wrapper


def init_app(app: Flask) -> JSONRPC:
    """Mount the endpoint at ``/rpc`` and register the method modules."""
    from bff.rpc import admin, campaigns, events, placements, profiles

    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    jsonrpc = JSONRPC(
        app,
        RPC_PATH,
        jsonrpc_site=ScrubbingSite,
        jsonrpc_site_api=Http200View,
        enable_web_browsable_api=False,
    )
    placements.register(jsonrpc)
    campaigns.register(jsonrpc)
    profiles.register(jsonrpc)
    events.register(jsonrpc)
    admin.register(jsonrpc)
    app.extensions["onsite.jsonrpc"] = jsonrpc
    return jsonrpc


def _method_name(req_json: Any) -> str:
    method = req_json.get("method") if isinstance(req_json, dict) else None
    return method if isinstance(method, str) else "?"


def _request_id(req_json: Any) -> Any:
    return req_json.get("id") if isinstance(req_json, dict) else None
