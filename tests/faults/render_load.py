"""Render load against a production server on loopback, for the fault tests: threads that each
render in a loop on a new connection per request, recording when each request started and
whether it succeeded."""

from __future__ import annotations

import http.client
import json
import threading
import time

from tests.demo_render import demo_render_call

THREADS = 4
RESTART_TIMEOUT_S = 30


def render(port: int, i: int) -> bool:
    """One render of the demo badge on a new connection; True when it answered a result."""
    body = json.dumps(demo_render_call(f"worker-{i:025d}", i))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("POST", "/rpc", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status == 200 and "result" in json.loads(response.read())
    except (OSError, http.client.HTTPException, ValueError):
        return False
    finally:
        connection.close()


class Load:
    """``THREADS`` threads rendering in a loop; records (started, ok) per request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.outcomes: list[tuple[float, bool]] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(n,)) for n in range(THREADS)]

    def _run(self, n: int) -> None:
        i = n * 1_000_000
        while not self._stop.is_set():
            i += 1
            started = time.monotonic()
            self.outcomes.append((started, render(self.port, i)))

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(20)

    def failures(self) -> int:
        return sum(1 for _, ok in self.outcomes if not ok)


def wait_for(check, timeout_s: float = RESTART_TIMEOUT_S) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.1)
