"""The lean dispatch of ``placements.render``: a WSGI layer in front of Flask for the hot path.

Every frame sends one render; Flask's request machinery around it (request context, URL
matching, the response object, the after-request hooks) cost more CPU than the render's
own decision and view (docs/serving.md, "The lean dispatch in front of Flask"). So
``LeanRender`` answers the one canonical shape itself and hands everything else, untouched,
to the Flask app behind it, where flask-jsonrpc serves it.

Contract:

* Taken only for ``POST /rpc`` with ``Content-Type: application/json`` (parameters
  allowed), a ``Content-Length`` of at most ``MAX_ANONYMOUS_BODY_BYTES``, a body that is
  strict JSON (``parse_body``) and a single call: an object with ``"jsonrpc": "2.0"``, the
  method ``placements.render``, a valid ``id`` and params as an object or an array, and
  only while the app is not in debug mode and ``Settings.rpc_lean_render`` is on.
* Then it does what the library would: it binds the params by name (or position) to the
  registered method's parameters, calls the same function (``placements.render_placement``)
  and writes the body with the app's JSON provider; the status, headers and bytes are
  those of the library's answer (tests/rpc/test_lean_render.py compares them). The
  metrics of the request and the call are recorded under the same names.
* Anything else, including a body it read and could not use, goes to the app behind it
  with the same bytes in ``wsgi.input``.
* It never raises: an unexpected failure is logged by type and answered with -32603.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

import structlog
from flask import Flask
from flask_jsonrpc.exceptions import JSONRPCError

from bff.errors import InternalError
from bff.metrics import observe_http, observe_rpc
from bff.rpc.body_limits import MAX_ANONYMOUS_BODY_BYTES
from bff.rpc.envelope import PARSED_BODY, BodyInvalid, error_body, parse_body, request_problem
from bff.rpc.placements import render_placement
from bff.security_headers import with_baseline

log = structlog.get_logger(__name__)

DIGITS = re.compile(r"[0-9]{1,9}")  # str.isdigit() also accepts "²", which int() refuses

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class LeanRender:
    """WSGI middleware: answer single render calls, pass every other request to ``inner``."""

    def __init__(
        self, app: Flask, inner: WsgiApp, path: str, method: str, param_names: Iterable[str]
    ) -> None:
        self.app = app
        self.inner = inner
        self.path, self.method = path, method
        self.names = tuple(param_names)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        call = self._eligible_call(environ)
        if call is None:
            return self.inner(environ, start_response)
        try:
            body = self._answer(call, environ.get("HTTP_USER_AGENT", ""))
            data = f"{self.app.json.dumps(body, separators=(',', ':'))}\n".encode()
        except Exception as exc:  # the last guard: a JSON-RPC error, never an HTML 500
            log.error("rpc.internal_error", method="?", error=type(exc).__name__, exc_info=exc)
            internal = InternalError()
            data = json.dumps(error_body(internal.code, internal.message, internal.data)).encode()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
        start_response("200 OK", with_baseline(headers, environ.get("wsgi.url_scheme") == "https"))
        observe_http(self.path, 200, time.perf_counter() - started)
        return [data]

    def _eligible_call(self, environ: dict[str, Any]) -> dict[str, Any] | None:
        """The render call this layer answers, or None (with ``wsgi.input`` intact for Flask)."""
        if environ.get("PATH_INFO") != self.path or environ.get("REQUEST_METHOD") != "POST":
            return None
        mimetype = environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
        length = environ.get("CONTENT_LENGTH", "")
        if mimetype != "application/json" or not DIGITS.fullmatch(length):
            return None
        size = int(length)
        if not 0 < size <= MAX_ANONYMOUS_BODY_BYTES or not self._enabled():
            return None
        try:
            raw = environ["wsgi.input"].read(size)
        except Exception:  # noqa: BLE001 - the client went away: Flask answers as it would have
            raw = b""
        req: Any = None
        if len(raw) == size:  # a shorter body is the app's to refuse, as before
            try:
                req = parse_body(raw)
            except BodyInvalid as exc:
                environ[PARSED_BODY] = (None, exc)
            else:
                environ[PARSED_BODY] = (req, None)  # the app does not parse it again
        if self._is_render_call(req):
            return req  # type: ignore[no-any-return]
        environ["wsgi.input"] = io.BytesIO(raw)  # the app reads the same bytes
        return None

    def _is_render_call(self, req: Any) -> bool:
        """A single, valid JSON-RPC 2.0 call of the render with an id and params by name or position."""
        return (
            request_problem(req) is None
            and req["method"] == self.method
            and "id" in req
            and isinstance(req.get("params", {}), (dict, list))
        )

    def _enabled(self) -> bool:
        # The app's JSON provider writes compact JSON unless in debug mode or told otherwise.
        compact = getattr(self.app.json, "compact", None) is not False and not self.app.debug
        return bool(self.app.extensions["onsite.settings"].rpc_lean_render) and compact

    def _answer(self, req: dict[str, Any], user_agent: str) -> dict[str, Any]:
        params = req.get("params", {})
        if isinstance(params, dict):
            kwargs = {name: params.get(name) for name in self.names}
        else:
            kwargs = {name: params[i] if i < len(params) else None for i, name in enumerate(self.names)}
        started = time.perf_counter()
        try:
            result = render_placement(self.app.extensions["onsite.renderer"], user_agent, kwargs)
        except JSONRPCError as exc:
            observe_rpc(self.method, time.perf_counter() - started, False)
            return {"id": req["id"], "jsonrpc": "2.0", "error": exc.jsonrpc_format}
        observe_rpc(self.method, time.perf_counter() - started, True)
        return {"id": req["id"], "jsonrpc": "2.0", "result": result}


def init_app(app: Flask, path: str, method: str, param_names: Iterable[str]) -> None:
    """Answer ``method`` calls to ``path`` in front of ``app``'s WSGI callable (inside any
    proxy fix added later); ``param_names`` are the registered method's parameters."""
    app.wsgi_app = LeanRender(app, app.wsgi_app, path, method, param_names)  # type: ignore[method-assign]
