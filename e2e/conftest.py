"""Browser fixtures: a live server on loopback and Debian's Chromium driven by Playwright.

The demo shop is served on ``localhost`` and the frames on ``127.0.0.1``: two origins,
so every test crosses the real cross-origin path. ``playwright install`` cannot download
browsers here, so pytest-playwright launches the system Chromium.
"""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import BaseWSGIServer, make_server

from bff import create_app
from bff.settings import Settings
from bff.store.embedded import EmbeddedRedis

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_SHUTDOWN_TIMEOUT_S = 10


@dataclass(frozen=True)
class LiveServer:
    public_origin: str
    demo_origin: str

    @property
    def demo_url(self) -> str:
        return f"{self.demo_origin}/demo"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(
    redis_server: EmbeddedRedis, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The app on a free loopback port in a thread; stopped (with a timeout) after the session."""
    port = _free_port()
    settings = Settings(
        redis_url=redis_server.url,
        var_dir=Path(tmp_path_factory.mktemp("var")),
        public_origin=f"http://127.0.0.1:{port}",
        demo_origin=f"http://localhost:{port}",
        log_level="warning",
    )
    server: BaseWSGIServer = make_server("127.0.0.1", port, create_app(settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(settings.public_origin, settings.demo_origin)
    server.shutdown()
    thread.join(SERVER_SHUTDOWN_TIMEOUT_S)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium instead of a downloaded browser."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
