"""What every production server of the app does around it, whichever server it is.

gunicorn (``gunicorn.conf.py``) and granian (``bff/granian_server.py``) both:

1. default ``ONSITE_ENV`` to ``production`` before the app is loaded, so a production
   server never falls back to a generated development key (``prepare_environment``);
2. point ``PROMETHEUS_MULTIPROC_DIR`` at ``$VAR_DIR/metrics`` unless set, and create it,
   before ``prometheus_client`` is imported (it picks multiprocess mode on import);
3. refuse invalid settings with one line on stderr and status 1, not a traceback
   (``refuse_bad_settings``);
4. build the app once in the parent and fork the workers, then empty the metrics
   directory (files of dead processes would be summed forever: ``empty_metrics_dir``);
5. in each worker, drop ownership of the embedded redis-server the parent started, so a
   worker that exits never stops it under its siblings (``release_embedded_redis``).

Only this module and the two server configurations read the server's environment
(``bind_address``, ``worker_count``, ``wants_reuse_port``); the app's own settings are in
``bff/settings.py``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any, NoReturn

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_BIND = "0.0.0.0:8000"
# Linux 5.14+: 1 moves the connections queued on a closing SO_REUSEPORT listener to another.
MIGRATE_QUEUED = Path("/proc/sys/net/ipv4/tcp_migrate_req")


def refuse_to_start(reason: str) -> NoReturn:
    """Exit with status 1 and ``onsite: refusing to start: <reason>`` on stderr, one line and no
    traceback: how every server setting this module or a launcher checks is refused."""
    sys.stderr.write(f"onsite: refusing to start: {reason}\n")
    raise SystemExit(1)


def prepare_environment(environ: MutableMapping[str, str]) -> Path:
    """Production by default and the metrics directory set and created; returns that directory."""
    environ.setdefault("ONSITE_ENV", "production")
    var_dir = Path(environ.get("VAR_DIR") or PROJECT_DIR / "var")
    metrics_dir = Path(environ.get("PROMETHEUS_MULTIPROC_DIR") or var_dir / "metrics")
    environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    metrics_dir.mkdir(parents=True, exist_ok=True)
    return metrics_dir


def refuse_bad_settings(environ: Mapping[str, str]) -> None:
    """Exit with status 1 and one line on stderr when the app's settings are invalid (e.g.
    production without ``ONSITE_SECRET_KEY``), rather than a traceback from the app's load."""
    from bff.errors import ConfigError
    from bff.settings import Settings

    try:
        Settings.from_env(environ)
    except ConfigError as exc:
        refuse_to_start(str(exc))


def empty_metrics_dir(metrics_dir: Path) -> None:
    """Remove the metrics files of earlier processes (run once per server start, before any worker)."""
    for stale in metrics_dir.glob("*.db"):
        stale.unlink()


def release_embedded_redis(app: Any) -> None:
    """In a forked worker: the embedded redis-server (if any) belongs to the parent."""
    embedded = app.extensions.get("onsite.embedded_redis")
    if embedded is not None:
        embedded.process = None


def bind_address(environ: Mapping[str, str]) -> str:
    """``host:port`` to listen on: ``ONSITE_BIND``, else ``GUNICORN_BIND`` (the older name), else
    all interfaces on port 8000."""
    return environ.get("ONSITE_BIND") or environ.get("GUNICORN_BIND") or DEFAULT_BIND


def worker_count(environ: Mapping[str, str]) -> int:
    """``WEB_CONCURRENCY`` (set it to a container's CPU limit), else one worker per CPU core."""
    value = environ.get("WEB_CONCURRENCY", "").strip()
    if not value:
        return os.cpu_count() or 1
    try:
        count = int(value)
    except ValueError:
        count = 0
    if count < 1:
        refuse_to_start(f"WEB_CONCURRENCY must be a positive integer, not {value!r}")
    return count


def wants_reuse_port(environ: Mapping[str, str], migrate_queued: Path = MIGRATE_QUEUED) -> bool:
    """Whether gunicorn gives each worker a listening socket of its own (``SO_REUSEPORT``).

    With one shared socket, a worker keeps every keep-alive connection it accepted, and a
    balancer's long-lived connections can all sit on one worker while the others idle
    (docs/serving.md, "1 -> 2 workers"); with a socket per worker the kernel spreads them.
    But a worker that stops (a graceful restart, ``max_requests`` recycling, a kill) closes
    its socket, and the connections queued on it are reset unless the kernel moves them to
    a sibling's (``net.ipv4.tcp_migrate_req = 1``).

    ``ONSITE_REUSE_PORT`` ``1`` or ``0`` decides; unset, it is on exactly when that setting
    reads 1 (a missing file, an older kernel: off). Any other value refuses to start.
    """
    value = environ.get("ONSITE_REUSE_PORT", "").strip()
    if value in ("0", "1"):
        return value == "1"
    if value:
        refuse_to_start(f"ONSITE_REUSE_PORT must be 1 or 0, not {value!r}")
    try:
        return migrate_queued.read_text(encoding="ascii").strip() == "1"
    except (OSError, UnicodeDecodeError):
        return False


def close_listeners_when_stopping(worker: Any) -> None:
    """A gthread worker with listening sockets of its own closes them as soon as it stops
    accepting, at the start of a graceful stop (SIGHUP's replacement, ``max_requests``, SIGTERM).

    gunicorn keeps them open until the worker exits, which can be ``STOP_KEEPALIVE_LINGER``
    (2 s) later while a balancer's idle keep-alive connection lingers; meanwhile the kernel
    still hashes new connections to that socket, where nobody accepts them. Closed, the
    kernel moves its queue to a sibling's socket (``tcp_migrate_req``) and sends new
    connections only to live ones. Only for ``reuse_port``: one shared socket belongs to every
    worker. The sockets are closed in the worker's own loop, right after it has stopped
    polling them, never from a signal handler that could interrupt an ``accept``.
    """
    stop_accepting = getattr(worker, "set_accept_enabled", None)
    if stop_accepting is None:  # not a gthread worker
        return

    def set_accept_enabled(enabled: bool) -> None:
        stop_accepting(enabled)
        if not enabled and not worker.alive:
            for listener in worker.sockets:
                listener.close()

    worker.set_accept_enabled = set_accept_enabled
