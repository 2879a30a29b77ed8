"""Fuzz every JSON-RPC method with hypothesis: 100,000 generated requests by default.

Usage: ``python bench/fuzz_rpc.py [N]``. Runs against the real app (Flask test client,
private redis-server), half anonymous and half with a merchant-admin key. Fails (exit 1)
on the first response that breaks ``check_response`` (not a JSON-RPC result or error,
not strict JSON, a 500 or an HTML page, a traceback, an invalid id echoed, an oversized
error) or is slower than the hang threshold; prints status counts and latency
percentiles. The shapes drawn are listed in docs/security.md, "JSON-RPC edge cases".
"""

from __future__ import annotations

import collections
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, Verbosity, given, settings

from bff import create_app
from bff.settings import Settings
from tests.fuzz.rpc_strategies import bodies, check_response

HANG_S = 30.0  # a hang, not a slow request on a busy 2-core machine


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    app = create_app(Settings(var_dir=Path(tempfile.mkdtemp()), log_level="error"))
    client = app.test_client()
    secret, _ = app.extensions["onsite.api_keys"].create(
        "demo", "merchant_admin", "fuzz", dt.datetime.now(dt.UTC)
    )
    statuses: collections.Counter[int] = collections.Counter()
    timings: list[float] = []

    def one(case: tuple[bytes, str], headers: dict[str, str]) -> None:
        body, content_type = case
        start = time.perf_counter()
        response = client.post("/rpc", data=body, content_type=content_type, headers=headers)
        elapsed = time.perf_counter() - start
        timings.append(elapsed)
        statuses[response.status_code] += 1
        assert elapsed < HANG_S, f"request took {elapsed:.1f} s"
        check_response(response.status_code, response.data)

    config = settings(
        verbosity=Verbosity.quiet,
        max_examples=total // 2,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    started = time.perf_counter()
    try:
        given(bodies())(config(lambda case: one(case, {})))()
        given(bodies())(config(lambda case: one(case, {"Authorization": f"Bearer {secret}"})))()
    finally:
        app.extensions["onsite.embedded_redis"].stop()
    timings.sort()
    print(
        f"{len(timings):,} generated requests in {time.perf_counter() - started:.0f} s: "
        f"every answer a JSON-RPC result or error; statuses {dict(statuses)}"
    )
    print(
        f"latency p50 {timings[len(timings) // 2] * 1e3:.2f} ms, "
        f"p99 {timings[int(len(timings) * 0.99)] * 1e3:.1f} ms, max {timings[-1] * 1e3:.0f} ms"
    )


if __name__ == "__main__":
    main()
