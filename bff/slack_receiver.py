"""A local HTTP server standing in for a Slack incoming webhook (tests, benchmarks, the demo).

``SlackReceiver.running()`` starts it on a loopback port (a free one by default) and stops
it (with a bounded join) on exit. Every POST is recorded with its arrival time and handed
to ``on_message`` (``flask --app bff demo slack-receiver`` prints it); ``statuses`` are
replies to give first (then 200), so a test can make the webhook fail. A body that is not
JSON is answered 400 and recorded with ``json: None``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

STOP_TIMEOUT_S = 10
MAX_BODY = 1 << 20


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
    def running(
        cls,
        path: str = "/services/T000/B000/XXXX",
        port: int = 0,
        on_message: Callable[[dict[str, Any]], None] | None = None,
    ) -> Iterator[SlackReceiver]:
        receiver = cls()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
                body = self.rfile.read(length)
                arrived = time.time()
                try:
                    message = json.loads(body)
                except ValueError:
                    message = None
                with receiver.lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    if message is None:
                        status = 400
                    receiver.requests.append(
                        {"path": self.path, "json": message, "status": status, "at": arrived}
                    )
                if on_message is not None and status == 200:
                    on_message(message)
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"error")

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        receiver.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield receiver
        finally:
            server.shutdown()
            thread.join(STOP_TIMEOUT_S)
