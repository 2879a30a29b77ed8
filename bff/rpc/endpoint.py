"""The ``POST /rpc`` and ``POST /rpc/collect`` endpoints: flask-jsonrpc, with errors translated and scrubbed.

Contract:

* ``/rpc`` serves every method. ``/rpc/collect`` serves only the public writes frames send
  (``events.track``, ``consent.update``; any other method is -32601 naming ``/rpc``), with
  the same view, rules and method functions: a path of its own, so that a proxy can route
  it to its own gunicorn pool and a flood of writes queues only behind itself
  (docs/serving.md, "Public writes on their own pool").

* Every JSON-RPC response is sent with HTTP 200, errors included; HTTP statuses are kept
  for transport problems (413 for an oversized body, 204 for a batch of notifications).
* ``RpcError`` subclasses become JSON-RPC errors with their own code, message and data.
* Any other exception is logged (without params, which may hold personal data) and
  becomes -32603 with a human message: no traceback or internal text reaches a client,
  and no reply is ever Flask's HTML error page.
* Bodies are strict JSON and ids are strings, numbers or null (``bff/rpc/envelope.py``);
  a message that names client input quotes at most about 40 characters of it
  (``bff.errors.quoted``), so an error is never much larger than the request's shape.
* A single ``placements.render`` call (the hot path: every frame sends one) is answered in
  front of Flask by the lean dispatch (``bff/rpc/lean_render.py``), with the same bytes;
  any other shape reaches this endpoint and goes the library's way. Why, and the
  measurements: ``docs/serving.md``.
"""

from __future__ import annotations

import json
import time
from typing import Any

import structlog
from flask import Flask, current_app, make_response, request
from flask_jsonrpc import JSONRPC
from flask_jsonrpc.exceptions import (
    InvalidParamsError,
    InvalidRequestError,
    MethodNotFoundError,
    ParseError,
)
from flask_jsonrpc.site import JSONRPCSite
from flask_jsonrpc.views import JSONRPCView
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

from bff.errors import PARSE_ERROR, InternalError, quoted
from bff.metrics import observe_rpc
from bff.rpc.body_limits import MAX_BODY_BYTES, body_limit
from bff.rpc.early_refusal import early_refusal
from bff.rpc.envelope import PARSED_BODY, BodyInvalid, error_body, id_problem, parse_body, request_problem
from bff.rpc.exposed import as_jsonrpc

log = structlog.get_logger(__name__)

RPC_PATH = "/rpc"
COLLECT_PATH = "/rpc/collect"
COLLECT_METHODS = ("events.track", "consent.update")
MAX_BATCH_CALLS = 100
LEAN_METHOD = "placements.render"


def _error_response(code: int, message: str, data: Any = None, status: int = 200) -> Any:
    body = json.dumps(error_body(code, message, data))
    return make_response(body, status, {"Content-Type": "application/json"})


class ScrubbingSite(JSONRPCSite):
    """A ``JSONRPCSite`` that never echoes the body back and never leaks exceptions."""

    def validate_request(self) -> bool:
        # The library's message quotes the whole Content-Type header (up to 8 KB).
        if not self.is_json:
            raise ParseError(
                data={
                    "message": "Send the body as JSON with the header Content-Type: application/json "
                    f"(got {quoted(request.mimetype)})."
                }
            )
        return True

    def to_json(self, request_data: bytes) -> Any:
        # ``request_data`` is this request's body, which the lean path may have parsed already.
        try:
            return _parsed_body()
        except BodyInvalid as exc:
            raise ParseError(data={"message": str(exc)}) from exc

    def handle_dispatch_except(self, req_json: Any) -> Any:
        # The library's own message echoes the whole request back; ours says what is wrong.
        problem = request_problem(req_json)
        if problem is not None:
            error = InvalidRequestError(data={"message": problem})
            return {"id": _request_id(req_json), "jsonrpc": "2.0", "error": error.jsonrpc_format}, 200, {}
        return super().handle_dispatch_except(req_json)

    def dispatch(self, req_json: dict[str, Any]) -> Any:
        method = req_json.get("method")
        name = method if isinstance(method, str) and method in self.view_funcs else "unknown"
        started, ok = time.perf_counter(), False
        try:
            # The library's messages for these two quote the method name and params whole.
            if name == "unknown":
                raise MethodNotFoundError(data={"message": self.method_not_found_message(method)})
            if not isinstance(req_json.get("params", {}), (dict, list)):
                raise InvalidParamsError(
                    data={"message": "params must be an object (by name) or an array (by position)."}
                )
            response = super().dispatch(req_json)
            ok = True
            return response
        finally:
            observe_rpc(name, time.perf_counter() - started, ok)

    def method_not_found_message(self, method: Any) -> str:
        return f"Method not found: {quoted(method)}"

    def batch_dispatch(self, reqs_json: list[dict[str, Any]]) -> Any:
        if len(reqs_json) > MAX_BATCH_CALLS:
            raise InvalidRequestError(
                data={"message": f"A batch holds at most {MAX_BATCH_CALLS} calls; got {len(reqs_json)}."}
            )
        return super().batch_dispatch(reqs_json)

    def handle_exception(self, req_json: dict[str, Any], exc: Exception) -> Any:
        log.error("rpc.internal_error", method=_method_name(req_json), error=type(exc).__name__)
        error = as_jsonrpc(InternalError())
        response = {"id": _request_id(req_json), "jsonrpc": "2.0", "error": error.jsonrpc_format}
        return response, 200, {}


class CollectSite(ScrubbingSite):
    """The site of ``/rpc/collect``: the public writes only, the same functions as ``/rpc``'s.

    It also reads a ``text/plain`` body as JSON: the loader posts from the merchant's page,
    cross-origin, as a CORS-simple request (no preflight, no cookies; docs/attribution.md).
    """

    @property
    def is_json(self) -> bool:
        return bool(super().is_json) or request.mimetype == "text/plain"

    def method_not_found_message(self, method: Any) -> str:
        served = " and ".join(COLLECT_METHODS)
        return (
            f"Method not found on {COLLECT_PATH}: {quoted(method)}; it serves only {served}. "
            f"Send other methods to {RPC_PATH}."
        )


class Http200View(JSONRPCView):
    """Sends JSON-RPC errors with HTTP 200 and maps an oversized body to 413.

    Bodies may be 1 MiB with a live API key, 64 KiB without (``bff/rpc/body_limits.py``).
    """

    def post(self) -> Any:
        try:
            request.max_content_length = body_limit()
            response = _early_refusal() or make_response(super().post())
        except RequestEntityTooLarge:
            return _error_response(
                PARSE_ERROR, "Request body too large", {"limit_bytes": request.max_content_length}, 413
            )
        except ClientDisconnected:  # the body ended before its Content-Length: not our error
            return _error_response(PARSE_ERROR, "The request body is shorter than its Content-Length.")
        except Exception as exc:  # the last guard: a JSON-RPC error, never an HTML 500
            # A RecursionError's thousand frames would make one huge log line; its type is enough.
            frames = None if isinstance(exc, RecursionError) else exc
            log.error("rpc.internal_error", method="?", error=type(exc).__name__, exc_info=frames)
            internal = InternalError()
            return _error_response(internal.code, internal.message, internal.data)
        if response.status_code in (400, 500):
            response.status_code = 200
        return response


def _early_refusal() -> Any:
    """A public write refused without dispatch (``bff/rpc/early_refusal.py``), or None."""
    if not request.is_json:
        return None
    try:
        req = _parsed_body()
    except BodyInvalid:
        return None
    if request_problem(req) is not None:
        return None
    reply = early_refusal(req)
    if reply is None:
        return None
    observe_rpc(req["method"], 0.0, False)
    return current_app.json.response(reply)


def _parsed_body() -> Any:
    """This request's body, strictly parsed once (``BodyInvalid`` if not JSON).

    Parsed by the lean dispatch in front of Flask, by the early refusal or by the library,
    whichever looks first; the others take the result from the WSGI environ. Parsing a
    150 KB batch of 500 events twice doubled the cost of refusing it (docs/security.md).
    """
    cached: tuple[Any, BodyInvalid | None] | None = request.environ.get(PARSED_BODY)
    if cached is None:
        try:
            cached = (parse_body(request.get_data()), None)
        except BodyInvalid as exc:
            cached = (None, exc)
        request.environ[PARSED_BODY] = cached
    value, problem = cached
    if problem is not None:
        raise problem
    return value


def init_app(app: Flask) -> JSONRPC:
    """Mount the endpoint at ``/rpc``, register the method modules, and mount ``/rpc/collect``."""
    from bff.rpc import admin, campaigns, events, identity, lean_render, merchants, placements, profiles

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
    identity.register(jsonrpc)
    merchants.register(jsonrpc)
    _mount_collect(app, jsonrpc.get_jsonrpc_site())
    render = jsonrpc.get_jsonrpc_site().view_funcs[LEAN_METHOD]
    lean_render.init_app(app, RPC_PATH, LEAN_METHOD, getattr(render, "jsonrpc_method_params", {}))
    app.extensions["onsite.jsonrpc"] = jsonrpc
    return jsonrpc


def _mount_collect(app: Flask, rpc_site: JSONRPCSite) -> None:
    """``/rpc/collect``: the same view over a site holding only ``rpc_site``'s public writes."""
    site = CollectSite(version=rpc_site.version)
    site.set_path(COLLECT_PATH)
    for name in COLLECT_METHODS:
        site.register(name, rpc_site.view_funcs[name])
    app.add_url_rule(COLLECT_PATH, view_func=Http200View.as_view("rpc_collect", jsonrpc_site=site))


def _method_name(req_json: Any) -> str:
    method = req_json.get("method") if isinstance(req_json, dict) else None
    return method if isinstance(method, str) else "?"


def _request_id(req_json: Any) -> Any:
    """The id to answer with: the request's own if it is a valid one, else null."""
    if isinstance(req_json, dict) and id_problem(req_json) is None:
        return req_json.get("id")
    return None
