"""Production launcher on granian (Rust HTTP I/O, WSGI interface): ``python -m bff.granian_server``.

The app is built once in this (parent) process and the workers are forked from it, as
gunicorn's ``preload_app`` does (bff/server_boot.py: production by default, the metrics
directory, the embedded Redis left to the parent). Each worker runs the WSGI app on
``ONSITE_THREADS`` Python threads (default 4, as gunicorn.conf.py's gthread workers) while
granian's Rust runtime reads, parses and writes HTTP and keeps idle connections. A body
that arrives slowly still holds one of those threads: run it behind a proxy that buffers
whole requests (docker/nginx.conf; docs/security.md, "Slow clients").
Why granian and how it compares with gunicorn: docs/serving.md ("HTTP server").

Environment (the app's own settings are in bff/settings.py):

``ONSITE_ENV``                ``production`` unless set (then ``ONSITE_SECRET_KEY`` is required)
``ONSITE_BIND``               ``host:port`` to listen on (``GUNICORN_BIND`` is read too;
                              default ``0.0.0.0:8000``)
``WEB_CONCURRENCY``           number of workers (default: 1 per CPU core)
``ONSITE_THREADS``            Python threads per worker running the app (default 4)
``PROMETHEUS_MULTIPROC_DIR``  where workers write their metrics (default ``$VAR_DIR/metrics``);
                              emptied at start-up, so give each server its own

Signals: SIGTERM or SIGINT stop gracefully (in-flight requests finish; workers that take
longer than 20 s are killed); SIGHUP replaces the workers one by one. A worker that dies
is replaced; one that dies again within 5.5 s of its replacement makes granian exit
(crash loop), and the supervisor (systemd, Kubernetes, compose's ``restart``) restarts it.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, MutableMapping
from typing import Any

from bff import server_boot

THREADS = 4
GRACEFUL_TIMEOUT_S = 20
BACKLOG = 2048


def split_bind(bind: str) -> tuple[str, int]:
    """``host:port`` (``[v6]:port`` too) -> (host, port); exits with one line when malformed."""
    host, sep, port_text = bind.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        server_boot.refuse_to_start(f"bind address must be host:port, not {bind!r}")
    return host, int(port_text)


def thread_count(environ: MutableMapping[str, str]) -> int:
    """``ONSITE_THREADS`` (1-64), default 4."""
    value = environ.get("ONSITE_THREADS", "").strip() or str(THREADS)
    if not value.isdigit() or not 1 <= int(value) <= 64:
        server_boot.refuse_to_start(f"ONSITE_THREADS must be 1-64, not {value!r}")
    return int(value)


def worker_loader(app: Any) -> Callable[..., Any]:
    """What each forked worker calls to get its WSGI app: the parent's, minus the embedded Redis."""

    def load(*_: Any) -> Any:
        server_boot.release_embedded_redis(app)
        return app

    return load


def main(environ: MutableMapping[str, str] = os.environ, target: str = "bff:create_app") -> None:
    """Check the settings, build the app (``target``: ``module:factory``), serve it until stopped."""
    metrics_dir = server_boot.prepare_environment(environ)
    server_boot.refuse_bad_settings(environ)
    host, port = split_bind(server_boot.bind_address(environ))
    workers = server_boot.worker_count(environ)
    threads = thread_count(environ)

    from granian import Granian
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings

    # Fork, so the workers inherit the app built here (granian follows the default start
    # method, which is no longer fork from Python 3.14 on).
    multiprocessing.set_start_method("fork", force=True)
    module_name, _, factory_name = target.partition(":")
    module = __import__(module_name, fromlist=[factory_name])
    app = getattr(module, factory_name)()
    server_boot.empty_metrics_dir(metrics_dir)
    server = Granian(
        target,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        backlog=BACKLOG,
        http1_settings=HTTP1Settings(keep_alive=True),
        respawn_failed_workers=True,
        workers_kill_timeout=GRACEFUL_TIMEOUT_S,
        log_access=False,
    )
    server.serve(target_loader=worker_loader(app), wrap_loader=False)


if __name__ == "__main__":
    main(os.environ, sys.argv[1] if len(sys.argv) > 1 else "bff:create_app")
