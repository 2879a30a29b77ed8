"""A placement shell with its first render, through the shipped front proxy: compressed, never
cached, its query out of every Referer (docs/security.md, "The first render in the shell's URL").

The shell carries the render, its inline stylesheet and boot script (about 17 KB, for one
visit); docker/nginx.conf compresses it. The JSON-RPC answers stay as they are.
"""

from __future__ import annotations

import gzip
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from bff.store.embedded import EmbeddedRedis
from tests.demo_render import demo_render_call
from tests.production_server import SERVERS, behind_proxy
from tests.test_first_render import PARAMS


@pytest.fixture(params=SERVERS)
def proxied(request, redis_server: EmbeddedRedis, tmp_path: Path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The base URL of docker/nginx.conf in front of a 1-worker production server."""
    with behind_proxy(request.param, redis_server.url, tmp_path, 1) as base:
        yield base


def fetch(url: str, data: bytes | None = None) -> tuple[dict[str, str], bytes]:
    headers = {"Accept-Encoding": "gzip"} | ({"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(
        urllib.request.Request(url, data=data, headers=headers), timeout=10
    ) as response:
        return {name.lower(): value for name, value in response.headers.items()}, response.read()


def test_the_shell_with_its_render_is_compressed_and_never_cached(proxied: str) -> None:
    headers, body = fetch(f"{proxied}/frame/placement?client_id=demo&render={quote(json.dumps(PARAMS))}")
    assert headers.get("content-encoding") == "gzip"
    html = gzip.decompress(body).decode()
    assert 'id="onsite-first-render"' in html and PARAMS["session_id"] in html
    assert len(body) < len(html.encode()) * 0.5, (len(body), len(html))
    assert headers["cache-control"] == "private, no-store"
    assert headers["referrer-policy"] == "strict-origin"
    assert "etag" not in headers

    # The render answers are left alone: small, and on the hot path.
    rpc_headers, answer = fetch(f"{proxied}/rpc", json.dumps(demo_render_call("2" * 32)).encode())
    assert "content-encoding" not in rpc_headers
    assert json.loads(answer)["result"]["kind"] == "badge"
