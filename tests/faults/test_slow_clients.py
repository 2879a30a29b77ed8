"""Slow clients: behind the shipped front proxy, requests that never finish arriving do not
hold up other shoppers' renders.

gunicorn (gthread) and granian both hand a request to a Python thread once its headers are
in, and a thread that reads the body waits for it: measured, 40 connections that send a
render's headers and a third of its body stop every render of a 2-worker server, under
either, until those clients give up (docs/security.md, "Slow clients"). docker/nginx.conf
reads each request whole before it proxies it (``proxy_request_buffering``) and drops a
client that stalls past its header and body timeouts, so the app servers only ever see
complete requests. This test holds such connections open to nginx, through it to each
server, while a shopper's render goes through.
"""

from __future__ import annotations

import json
import socket
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, closing
from pathlib import Path

import pytest

from bff.store.embedded import EmbeddedRedis
from tests.demo_render import demo_render_call
from tests.production_server import SERVERS, behind_proxy

STALLED = 64  # well over the two workers' Python threads (2 x 4, gunicorn and granian alike)
RENDER_TIMEOUT_S = 5  # under PROXY_TIMEOUT_S: a blocked server answers only once they are dropped
PROXY_TIMEOUT_S = 10  # docker/nginx.conf: client_header_timeout, client_body_timeout


def stalled_connections(port: int, stack: ExitStack) -> list[socket.socket]:
    """One in eight sends part of a request's headers, the others a render's headers and part of
    its body; all stay open until ``stack`` closes them (the first two are one of each)."""
    body = json.dumps(demo_render_call("0" * 32)).encode()
    head = (
        "POST /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    connections = []
    for n in range(STALLED):
        connection = stack.enter_context(closing(socket.create_connection(("127.0.0.1", port), timeout=5)))
        connection.sendall(head[:40] if n % 8 == 0 else head + body[: len(body) // 3])
        connections.append(connection)
    return connections


def dropped(connection: socket.socket) -> bytes:
    """What the proxy sends a stalled client before it closes the connection (b"" if nothing);
    raises ``TimeoutError`` if it keeps the connection well past its timeouts."""
    connection.settimeout(PROXY_TIMEOUT_S + 10)
    received = b""
    while chunk := connection.recv(4096):
        received += chunk
    return received


@pytest.fixture(params=SERVERS)
def proxied(request, redis_server: EmbeddedRedis, tmp_path: Path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The base URL of docker/nginx.conf in front of a 2-worker production server."""
    with behind_proxy(request.param, redis_server.url, tmp_path, 2) as base:
        yield base


def test_stalled_requests_do_not_hold_up_a_render_behind_the_proxy(proxied: str) -> None:
    port = int(proxied.rsplit(":", 1)[1])
    with ExitStack() as stack:
        stalled = stalled_connections(port, stack)
        request = urllib.request.Request(
            f"{proxied}/rpc",
            data=json.dumps(demo_render_call("1" * 32)).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=RENDER_TIMEOUT_S) as response:
            answer = json.loads(response.read())
        assert answer["result"]["kind"] == "badge"
        # And the proxy lets them go: it closes both kinds unanswered (its 408 goes to its log).
        assert dropped(stalled[0]) == b""
        assert dropped(stalled[1]) == b""
