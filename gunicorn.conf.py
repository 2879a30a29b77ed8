"""gunicorn configuration: ``gunicorn -c gunicorn.conf.py 'bff:create_app()'``.

The documented production default (docs/serving.md "HTTP server": graceful restarts
under load and a stuck-worker timeout, which granian lacks); granian is supported too
(``python -m bff.granian_server``, less CPU per render), and the integration and fault
tests run against both (tests/test_production_servers.py, tests/faults/).

The worker class and count were chosen by measurement (docs/serving.md). gthread keeps
connections alive (a load balancer reuses them instead of opening one per request, which
with sync workers also cost a blocking graceful close per response) and parks idle
connections in a poller instead of tying up a worker. A request that arrives slowly still
holds a thread, under granian too: both run behind a proxy that buffers whole requests
(docker/nginx.conf; docs/security.md, "Slow clients"). One worker per core with 4
threads spent about 10% less CPU per render than 2 workers per core with 2 threads (the
same 8 requests in flight on 2 cores, fewer processes), on two machines about 3.5x
apart in speed; the threads cover the Redis round trips, in which a thread holds no GIL.
A gthread worker keeps every keep-alive connection it accepted, so a few long-lived
connections (a balancer's) can all sit on one worker while the others idle (measured in
docs/serving.md, "1 -> 2 workers": 1.12x from a second worker when one held them all).
A socket per worker (``reuse_port``) lets the kernel spread them; it is on where the
kernel also moves a stopping worker's queued connections to its siblings
(``net.ipv4.tcp_migrate_req = 1``; docker/compose.yaml sets it), so restarts reset none.

Environment (the app's own settings are in bff/settings.py; bff/server_boot.py reads these):

``ONSITE_ENV``                ``production`` unless set: the app then refuses to start
                              without ``ONSITE_SECRET_KEY`` (32+ bytes). ``development``
                              runs it on a generated key, for local trials only
``ONSITE_BIND``               address to listen on (``GUNICORN_BIND`` is read too; default
                              ``0.0.0.0:8000``)
``WEB_CONCURRENCY``           number of workers (default: 1 per CPU core; 4 threads each)
``ONSITE_REUSE_PORT``         ``1``: a listening socket per worker (``SO_REUSEPORT``); ``0``: one
                              shared socket. Default: ``1`` exactly where
                              ``net.ipv4.tcp_migrate_req`` is 1 (bff/server_boot.py)
``GUNICORN_WORKER_CLASS``     ``gthread`` (default) or ``gevent`` (monkey-patched here, before
                              the app is loaded; measured slower, docs/serving.md)
``PROMETHEUS_MULTIPROC_DIR``  where workers write their metrics (default ``$VAR_DIR/metrics``);
                              emptied at start-up, so give each gunicorn its own
"""

from __future__ import annotations

import os
from typing import Any

# gevent workers (``GUNICORN_WORKER_CLASS=gevent``): patch before anything imports socket,
# ssl or threading, since the app is loaded here in the master (preload_app) and redis-py's
# locks and sockets must be gevent's. The patched master runs gunicorn's arbiter unchanged.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
if worker_class == "gevent":
    from gevent import monkey

    monkey.patch_all()

from bff.server_boot import (  # noqa: E402 - after the gevent patch
    bind_address,
    close_listeners_when_stopping,
    empty_metrics_dir,
    prepare_environment,
    refuse_bad_settings,
    release_embedded_redis,
    wants_reuse_port,
    worker_count,
)

# Before the app is loaded (in the master: preload_app): production by default, and the
# metrics directory set before prometheus_client is imported (bff/server_boot.py).
_metrics_dir = prepare_environment(os.environ)
refuse_bad_settings(os.environ)

bind = bind_address(os.environ)
workers = worker_count(os.environ)
# A listening socket per worker where a stopping worker's queue migrates (see above).
reuse_port = wants_reuse_port(os.environ)
# gthread: 4 threads per worker; gevent: up to 100 connections per worker, one greenlet each.
threads = 4
worker_connections = 100
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
    empty_metrics_dir(_metrics_dir)
    sockets = "a socket per worker (reuse_port)" if reuse_port else "one socket shared by the workers"
    server.log.info("Listening on %s", sockets)


def post_fork(server: Any, worker: Any) -> None:
    """A worker never owns the embedded redis-server the preloaded app started: when it exits
    (e.g. recycled after ``max_requests``) it must not stop the server under its siblings."""
    release_embedded_redis(server.app.wsgi())


def post_worker_init(worker: Any) -> None:
    """With a socket per worker, a stopping worker closes its own at once (bff/server_boot.py)."""
    if reuse_port:
        close_listeners_when_stopping(worker)


def child_exit(server: Any, worker: Any) -> None:
    """Drop the live-gauge files of a worker that exited (counters and histograms are kept)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, str(_metrics_dir))
