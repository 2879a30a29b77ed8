"""The lean dispatch of a placement shell asked for its first render: in front of Flask.

Every frame of a new first render fetches ``GET /frame/placement?client_id=…&render=…``
(bff/first_render.py), once per visit and render; Flask's request machinery around it
cost about as much as the render itself (docs/serving.md, "The first paint from the
shell"). So ``LeanShell`` answers that one shape itself, the way the lean render dispatch
(bff/rpc/lean_render.py) answers renders, and hands everything else to Flask.

Contract:

* Taken only for ``GET /frame/placement`` whose query has a ``client_id`` of the
  identifier form and a ``render`` value (the first of each, as Flask's ``request.args``
  reads them), for a merchant whose configuration this worker holds and knows current
  (``MerchantConfigStore.fresh``) and that is not disabled; and only while the app is not
  in debug mode and ``Settings.rpc_lean_render`` is on.
* Then it answers with ``frames.first_render_shell``, the function the Flask view answers
  with, plus the content type, the length and the baseline headers the app adds to every
  response: the same status, headers and bytes as the view (tests/test_lean_shell.py
  compares them), and the request is recorded under the view's route in the metrics.
* Anything else goes to Flask untouched: other paths and methods, a shell without
  ``render``, a merchant to read from Redis, unknown or disabled (the view reads it,
  answers 404 or 503), a query that cannot be decoded, and any failure (logged by type).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

import structlog
import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" codec error handler Flask's args use
from flask import Flask

from bff.frames import RENDER_PARAM, first_render_shell
from bff.metrics import observe_http
from bff.patterns import IDENTIFIER
from bff.security_headers import with_baseline

log = structlog.get_logger(__name__)

PATH = "/frame/placement"
StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class LeanShell:
    """WSGI middleware: answer placement shells with a first render, pass the rest to ``inner``."""

    def __init__(self, app: Flask, inner: WsgiApp) -> None:
        self.app = app
        self.inner = inner

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "GET" or not self._enabled():
            return self.inner(environ, start_response)
        started = time.perf_counter()
        try:
            answer = self._answer(environ)
        except Exception as exc:
            log.error("shell.lean_failed", error=type(exc).__name__, exc_info=exc)
            answer = None
        if answer is None:
            return self.inner(environ, start_response)
        html, own = answer
        body = html.encode("utf-8")
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))), *own]
        start_response("200 OK", with_baseline(headers, environ.get("wsgi.url_scheme") == "https"))
        observe_http(PATH, 200, time.perf_counter() - started)
        return [body]

    def _answer(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]]] | None:
        query = environ.get("QUERY_STRING", "").encode("latin1").decode()
        args: dict[str, str] = {}
        for name, value in parse_qsl(query, keep_blank_values=True, errors="werkzeug.url_quote"):
            args.setdefault(name, value)  # the first value, as request.args.get gives it
        client_id, raw = args.get("client_id", ""), args.get(RENDER_PARAM)
        if raw is None or not IDENTIFIER.match(client_id):
            return None
        config = self.app.extensions["onsite.merchants"].fresh(client_id)
        if config is None or config.merchant.disabled:
            return None
        with self.app.app_context():
            return first_render_shell(client_id, config.merchant, raw, environ.get("HTTP_USER_AGENT", ""))

    def _enabled(self) -> bool:
        return bool(self.app.extensions["onsite.settings"].rpc_lean_render) and not self.app.debug


def init_app(app: Flask) -> None:
    """Answer placement shells with a first render in front of ``app``'s WSGI callable."""
    app.wsgi_app = LeanShell(app, app.wsgi_app)  # type: ignore[method-assign]
