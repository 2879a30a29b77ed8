"""The QA server: the real app on loopback, plus the QA pages, fault injection and a request log.

It is the same app as ``live_server`` in ``e2e/conftest.py`` (``create_app`` with a real
redis-server, the shop on ``localhost``, the widget on ``127.0.0.1``), wrapped by a WSGI
layer that every engine sees the same way, because it lives on the server and not in a
browser driver (WebKit's WebDriver has no request interception):

- ``GET /qa/<name>.html`` serves ``e2e/qa/pages/<name>.html`` with ``{{LOCALE}}``,
  ``{{AMOUNT}}``, ``{{LOADER_SRC}}`` and ``{{PUBLIC_ORIGIN}}`` filled in from the query
  string, under the strict Content-Security-Policy the demo shop sends;
  ``GET /qa/<name>.js|css`` serves the pages' own scripts and styles.
- :class:`Faults` delays (a slow BFF) or refuses with 503 (a dead BFF) every request
  for the widget's origin.
- :class:`RequestLog` keeps the JSON-RPC calls the frames made.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from bff.demo import demo_csp

PAGES_DIR = Path(__file__).parent / "pages"
LOCALE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?\Z")
PAGE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]*\Z")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
DEFAULT_QUERY = {"locale": "en-GB", "amount": "9900", "loader": "live"}


@dataclass(frozen=True)
class QaServer:
    """Where the QA server listens, and its switches."""

    public_origin: str
    demo_origin: str
    faults: Faults
    requests: RequestLog
    # Signs a customer token for a demo shopper, as the merchant's server would.
    customer_token: Callable[[str], str]

    def page_url(self, name: str, **query: str) -> str:
        """``/qa/<name>.html`` on the shop's origin; query: locale, amount, loader (live|dead)."""
        pairs = "&".join(f"{key}={value}" for key, value in query.items())
        return f"{self.demo_origin}/qa/{name}.html" + (f"?{pairs}" if pairs else "")


@dataclass
class Faults:
    """Faults of the widget's origin (requests whose Host is the public origin's).

    ``slow_s`` delays every response; ``dead`` answers 503 to every path except those
    starting with one of ``spared`` (e.g. the loader, to kill the BFF after it loaded).
    """

    slow_s: float = 0.0
    dead: bool = False
    spared: tuple[str, ...] = ()
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def set(self, *, slow_s: float = 0.0, dead: bool = False, spared: tuple[str, ...] = ()) -> None:
        with self._lock:
            self.slow_s, self.dead, self.spared = slow_s, dead, spared

    def clear(self) -> None:
        self.set()

    def snapshot(self) -> tuple[float, bool, tuple[str, ...]]:
        with self._lock:
            return self.slow_s, self.dead, self.spared


@dataclass
class RequestLog:
    """The JSON-RPC calls received on ``POST /rpc`` (method and params), in order."""

    calls: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, body: bytes) -> None:
        try:
            payload = json.loads(body)
        except ValueError:
            return
        with self._lock:
            for call in payload if isinstance(payload, list) else [payload]:
                if isinstance(call, dict):
                    self.calls.append({"method": call.get("method"), "params": call.get("params")})

    def renders(self) -> list[dict[str, Any]]:
        """Params of every ``placements.render`` call so far."""
        with self._lock:
            return [c["params"] for c in self.calls if c["method"] == "placements.render"]

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()


def render_page(name: str, query: dict[str, str], server: QaServer, loader_origin: str) -> str | None:
    """A QA page with its placeholders filled in, or None if there is no such page."""
    path = PAGES_DIR / f"{name}.html"
    if not PAGE_NAME.match(name) or not path.is_file():
        return None
    locale = query["locale"] if LOCALE.match(query["locale"]) else DEFAULT_QUERY["locale"]
    amount = query["amount"] if query["amount"].isdigit() else DEFAULT_QUERY["amount"]
    values = {
        "LOCALE": locale,
        "AMOUNT": amount,
        "LOADER_SRC": f"{loader_origin}/onsite.js",
        "PUBLIC_ORIGIN": server.public_origin,
    }
    html = path.read_text(encoding="utf-8")
    for key, value in values.items():
        html = html.replace("{{" + key + "}}", value)
    return html


def qa_wsgi(app: Any, server: QaServer, dead_origin: str) -> Any:
    """The app behind the QA layer (see the module docstring)."""
    widget_host = server.public_origin.split("://", 1)[1]

    def respond(
        start_response: Any, status: str, content_type: str, body: bytes, csp: str | None = None
    ) -> list[bytes]:
        headers = [("Content-Type", content_type), ("Cache-Control", "no-store")]
        if csp:
            headers.append(("Content-Security-Policy", csp))
        start_response(status, headers)
        return [body]

    def wsgi(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path: str = environ.get("PATH_INFO", "")
        if path.startswith("/qa/"):
            return serve_qa_file(environ, start_response, path.removeprefix("/qa/"))
        if environ.get("HTTP_HOST") == widget_host:
            slow_s, dead, spared = server.faults.snapshot()
            if slow_s:
                time.sleep(slow_s)
            if dead and not path.startswith(spared or ("\0",)):
                return respond(start_response, "503 Service Unavailable", "text/plain", b"down for QA")
        if path == "/rpc" and environ.get("REQUEST_METHOD") == "POST":
            environ = with_logged_body(environ, server.requests)
        return app(environ, start_response)

    def serve_qa_file(environ: dict[str, Any], start_response: Any, name: str) -> list[bytes]:
        stem, dot, extension = name.rpartition(".")
        content_type = CONTENT_TYPES.get(dot + extension)
        if content_type is None or not PAGE_NAME.match(stem):
            return respond(start_response, "404 Not Found", "text/plain", b"not found")
        if extension == "html":
            query = {
                **DEFAULT_QUERY,
                **{k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()},
            }
            # loader=dead: the widget's origin is one where nothing listens (and the CSP allows it).
            loader_origin = dead_origin if query["loader"] == "dead" else server.public_origin
            html = render_page(stem, query, server, loader_origin)
            if html is None:
                return respond(start_response, "404 Not Found", "text/plain", b"not found")
            return respond(
                start_response, "200 OK", content_type, html.encode("utf-8"), demo_csp(loader_origin)
            )
        path = PAGES_DIR / name
        if not path.is_file():
            return respond(start_response, "404 Not Found", "text/plain", b"not found")
        return respond(start_response, "200 OK", content_type, path.read_bytes())

    return wsgi


def with_logged_body(environ: dict[str, Any], log: RequestLog) -> dict[str, Any]:
    """Read the request body into the log, and hand the app an equal fresh stream."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    log.record(body)
    return {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
