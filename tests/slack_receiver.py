"""A local HTTP server standing in for a Slack incoming webhook (tests and benchmarks).

``SlackReceiver.running()`` starts it on a free loopback port and stops it (with a bounded
join) on exit. Every POST is recorded with its arrival time; ``statuses`` are replies to
give first (then 200), so a test can make the webhook fail.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

STOP_TIMEOUT_S = 10


@dataclass
class SlackReceiver:
    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # replies to give first; then 200
    lock: threading.Lock = field(default_factory=threading.Lock)

    def messages(self) -> list[dict[str, Any]]:
        """The bodies of the POSTs answered 200."""
        with self.lock:
            return [r["json"] for r in self.requests if r["status"] == 200]

    @classmethod
    @contextmanager
    def running(cls, path: str = "/services/T000/B000/XXXX") -> Iterator[SlackReceiver]:
        receiver = cls()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                arrived = time.time()
                with receiver.lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.requests.append(
                        {"path": self.path, "json": json.loads(body), "status": status, "at": arrived}
                    )
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"error")

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        receiver.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield receiver
        finally:
            server.shutdown()
            thread.join(STOP_TIMEOUT_S)
