"""gunicorn configuration for production: ``gunicorn -c gunicorn.conf.py 'bff:create_app()'``.

The worker class and count were chosen by measurement (docs/serving.md). gthread keeps
connections alive (a load balancer reuses them instead of opening one per request, which
with sync workers also cost a blocking graceful close per response) and parks idle or
slow connections in a poller instead of tying up a worker. One worker per core with 4
threads spent about 10% less CPU per render than 2 workers per core with 2 threads (the
same 8 requests in flight on 2 cores, fewer processes), on two machines about 3.5x
apart in speed; the threads cover the Redis round trips, in which a thread holds no GIL.

Environment (the app's own settings are in bff/settings.py):

``ONSITE_ENV``                ``production`` unless set: the app then refuses to start
                              without ``ONSITE_SECRET_KEY`` (32+ bytes). ``development``
                              runs it on a generated key, for local trials only
``GUNICORN_BIND``             address to listen on (default ``0.0.0.0:8000``)
``WEB_CONCURRENCY``           number of workers (default: 1 per CPU core; 4 threads each)
``PROMETHEUS_MULTIPROC_DIR``  where workers write their metrics (default ``$VAR_DIR/metrics``);
                              emptied at start-up, so give each gunicorn its own
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

# Before the app is loaded (in the master: preload_app): a production server never falls
# back to a generated development key (bff/server_key.py) or a development default.
os.environ.setdefault("ONSITE_ENV", "production")

_var_dir = Path(os.environ.get("VAR_DIR") or Path(__file__).resolve().parent / "var")
_metrics_dir = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or _var_dir / "metrics")
# Set (and created) before the app is loaded, in the master with preload_app or in a
# worker: prometheus_client picks multiprocess mode when it is imported.
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_metrics_dir)
_metrics_dir.mkdir(parents=True, exist_ok=True)


def _refuse_bad_settings() -> None:
    """Exit with status 1 and one line on stderr when the app's settings are invalid (e.g.
    production without ``ONSITE_SECRET_KEY``), rather than a traceback from the app's load."""
    from bff.errors import ConfigError
    from bff.settings import Settings

    try:
        Settings.from_env(os.environ)
    except ConfigError as exc:
        sys.stderr.write(f"onsite: refusing to start: {exc}\n")
        raise SystemExit(1) from None


_refuse_bad_settings()

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1))
worker_class = "gthread"
threads = 4
# A render takes milliseconds; a worker silent for 30 s is stuck and is replaced.
timeout = 30
graceful_timeout = 20
# Idle keep-alive connections wait in the worker's poller, not in a thread. Keep this above
# the load balancer's idle timeout (or lower that), so the balancer closes first.
keepalive = 75
backlog = 2048
# Recycle workers now and then (jittered so they do not all restart together) to bound
# the growth of per-process caches.
max_requests = 50_000
max_requests_jitter = 5_000
# The app is built once in the master, then forked: start-up work (the demo seed, which
# two workers booting at once on an empty Redis would race on) runs once, and workers
# share the loaded code and data copy-on-write. redis-py's pools notice the fork (they
# check the pid) and each worker opens its own connections.
preload_app = True
# Access logs cost a write per request at 20k req/s; /metrics carries the request rate
# and latency. Errors still go to stderr.
accesslog = None
errorlog = "-"
loglevel = "info"
# Whose X-Forwarded-Proto gunicorn believes for the WSGI scheme. It never changes REMOTE_ADDR:
# the app's ONSITE_TRUSTED_PROXY_HOPS (bff/proxy.py) decides which client address it sees.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server: Any) -> None:
    """Start with an empty metrics directory: files of dead processes would be summed forever.

    Runs once per master start (after the preloaded app was built, before any worker).
    """
    for stale in _metrics_dir.glob("*.db"):
        stale.unlink()


def post_fork(server: Any, worker: Any) -> None:
    """A worker never owns the embedded redis-server the preloaded app started: when it exits
    (e.g. recycled after ``max_requests``) it must not stop the server under its siblings."""
    embedded = server.app.wsgi().extensions.get("onsite.embedded_redis")
    if embedded is not None:
        embedded.process = None


def child_exit(server: Any, worker: Any) -> None:
    """Drop the live-gauge files of a worker that exited (counters and histograms are kept)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, str(_metrics_dir))
