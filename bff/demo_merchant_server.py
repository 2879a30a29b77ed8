"""What the demo merchant's own server does with us: report events with its API key.

A real merchant's server holds an API key (``flask --app bff keys create --client ID``) in
its configuration and sends ``events.track`` calls with ``Authorization: Bearer <key>``
(docs/monitoring.md, docs/attribution.md). The demo shop and ``flask --app bff demo
traffic`` play that server, so:

* ``demo_api_key(app)`` is the demo merchant's key: kept in ``VAR_DIR/demo-shop-api-key``
  (mode 0600) like a merchant keeps it in its configuration, and created (a
  ``merchant_admin`` key of ``demo``, labelled ``demo shop server``) when the file is
  missing or its key no longer authenticates (revoked, or another Redis);
* ``MerchantServer.track(events)`` posts one ``events.track`` call over HTTP to the BFF's
  public origin and returns a ``TrackOutcome`` (accepted, rejections, or the error): a
  failure is a value, never an exception, because the shop's checkout must not break when
  the report does.

The HTTP call goes through a ``Transport`` (a plain function), so a test replaces it with
Flask's test client; ``http_transport`` is the real one (urllib, with a timeout).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask

from bff.store.api_keys import ApiKeyStore

DEMO_CLIENT_ID = "demo"
KEY_FILE = "demo-shop-api-key"
KEY_LABEL = "demo shop server"
TIMEOUT_S = 3.0

# (url, JSON body, headers) -> (HTTP status, decoded JSON reply or None)
Transport = Callable[[str, dict[str, Any], dict[str, str]], tuple[int, Any]]


def http_transport(url: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
    """POST ``body`` as JSON to ``url`` (http or https, timeout ``TIMEOUT_S``); raises
    ``OSError`` on a network failure and ``ValueError`` for another scheme."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"only http(s) URLs are posted to, not {url[:40]!r}")
    data = json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        url, data=data, headers={"Content-Type": "application/json", **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
            raw = response.read()
            return int(response.status), json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        return int(exc.code), None


def demo_api_key(app: Flask) -> str:
    """The demo merchant's live API key (see the module docstring): read, or created once."""
    store: ApiKeyStore = app.extensions["onsite.api_keys"]
    path = Path(app.extensions["onsite.settings"].var_dir) / KEY_FILE
    now = dt.datetime.now(dt.UTC)
    with contextlib.suppress(OSError):
        secret = path.read_text(encoding="ascii").strip()
        if store.authenticate(secret, now) is not None:
            return secret
    secret, _ = store.create(DEMO_CLIENT_ID, "merchant_admin", KEY_LABEL, now)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(secret + "\n")
    return secret


@dataclass(frozen=True)
class TrackOutcome:
    """What one ``events.track`` call did: ``accepted`` events, per-event ``rejected``
    reasons, and ``error`` (a JSON-RPC error message, an HTTP status or a network failure)."""

    accepted: int = 0
    rejected: Sequence[dict[str, Any]] = field(default_factory=tuple)
    error: str | None = None
    retry_after_s: float | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.rejected


@dataclass(frozen=True)
class MerchantServer:
    """The demo merchant's server side of the integration (see the module docstring)."""

    public_origin: str
    api_key: str
    transport: Transport = http_transport

    def track(self, events: Sequence[dict[str, Any]]) -> TrackOutcome:
        """Send ``events`` in one ``events.track`` call with the API key."""
        body = {"jsonrpc": "2.0", "id": 1, "method": "events.track", "params": {"events": list(events)}}
        headers = {"Authorization": f"Bearer {self.api_key}"}
        return call_track(self.transport, f"{self.public_origin}/rpc", body, headers)


def call_track(transport: Transport, url: str, body: dict[str, Any], headers: dict[str, str]) -> TrackOutcome:
    """One ``events.track`` call through ``transport``, its reply read into a ``TrackOutcome``."""
    try:
        status, reply = transport(url, body, headers)
    except OSError as exc:
        return TrackOutcome(error=f"network: {type(exc).__name__}")
    if status != 200 or not isinstance(reply, dict):
        return TrackOutcome(error=f"HTTP {status}")
    if "error" in reply:
        error = reply["error"] if isinstance(reply["error"], dict) else {}
        data = error.get("data")
        retry = data.get("retry_after_s") if isinstance(data, dict) else None
        return TrackOutcome(
            error=str(error.get("message", "error")),
            retry_after_s=float(retry) if isinstance(retry, int | float) else None,
        )
    result = reply.get("result") or {}
    return TrackOutcome(accepted=int(result.get("accepted", 0)), rejected=tuple(result.get("rejected", ())))
