"""gunicorn's listening sockets, as gunicorn.conf.py decides them (bff/server_boot.py
``wants_reuse_port``), each case in a network namespace of its own (``unshare --net``, inside a
user namespace unless root; tests/faults/reuse_port_probe.py), so the machine's
``net.ipv4.tcp_migrate_req`` is never changed:

* where the kernel moves a stopping worker's queued connections to its siblings (the setting
  at 1), each worker listens on a socket of its own: connections opened at once land on both
  workers, graceful restarts under load fail no request, and a replaced worker that lingers
  for a balancer's idle keep-alive connection has already closed its socket, so no new
  connection waits in it (bff/server_boot.py ``close_listeners_when_stopping``);
* where it does not (0, the kernel's default), the workers share one socket, the only layout
  in which a restart resets nothing there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from bff.settings import PROJECT_DIR

PROBE_TIMEOUT_S = 240


def probe(migrate: str) -> dict[str, Any]:
    # As root a network namespace is enough; otherwise one owned by a user namespace of our own.
    unshare = ["unshare", "--net"] if os.geteuid() == 0 else ["unshare", "--net", "--map-root-user"]
    out = subprocess.run(
        [*unshare, sys.executable, "-m", "tests.faults.reuse_port_probe", migrate],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=PROBE_TIMEOUT_S,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_where_queued_connections_migrate_each_worker_listens_and_restarts_lose_nothing() -> None:
    found = probe("1")
    assert found["listeners"] == [[pid] for pid in found["workers"]], found
    # 16 connections hashed over 2 sockets: all on one worker has a chance of 2 in 65,536.
    assert len(found["connections_per_worker"]) == 2 and min(found["connections_per_worker"]) >= 1, found
    assert found["restart_failures"] == [0, 0, 0], found
    # The replaced workers lingered (the held connections) but closed their sockets at once:
    # with gunicorn's own behaviour they listen until they exit, in nearly every sample.
    assert found["lingering_samples"] >= 5, found
    assert found["old_listening_samples"] <= found["lingering_samples"] // 4, found
    assert found["tracebacks"] == 0, found


def test_elsewhere_the_workers_share_one_socket() -> None:
    found = probe("0")
    assert len(found["listeners"]) == 1, found
    assert set(found["workers"]) <= set(found["listeners"][0]), found
    assert sum(found["connections_per_worker"]) == 16, found
    assert found["restart_failures"] == [0, 0, 0], found
    assert found["tracebacks"] == 0, found
