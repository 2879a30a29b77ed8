"""The app as browser suites run it: a free loopback port, frames on 127.0.0.1, the demo on localhost."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

from bff.settings import Settings


def free_port() -> int:
    """A TCP port nothing listens on right now (for a server, or for a dead origin)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def loopback_settings(redis_url: str, var_dir: Path, port: int, **overrides: Any) -> Settings:
    """Settings of an app served on ``port``: the two origins differ, as a shop and our frames do."""
    return Settings(
        redis_url=redis_url,
        var_dir=var_dir,
        public_origin=f"http://127.0.0.1:{port}",
        demo_origin=f"http://localhost:{port}",
        log_level="warning",
        # Every console and dashboard suite signs in from 127.0.0.1: not the budget under test.
        **({"login_rate": "1000/minute"} | overrides),
    )
