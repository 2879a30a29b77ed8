"""``flask --app bff monitor ...``: the rollup worker and the detector processes.

* ``monitor run``: a consumer-group worker (start as many as you like, one per core).
* ``monitor detect``: the detector (one active at a time; extra ones stand by) and, in a
  thread of the same process, the Slack notifier draining the outbox.
* ``monitor partitions [--set N]``: show or change how many partitions the events stream
  and the rollups are split into (docs/monitoring.md, "Partitions").

Both stop cleanly on SIGTERM or SIGINT (the current batch or sweep is finished first) and
accept ``--max-seconds`` to stop by themselves (tests and benchmarks use it as a guard).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import click
import redis
from flask import Flask, current_app
from flask.cli import AppGroup

from bff.monitoring.alerts.slack import SlackNotifier
from bff.monitoring.detection.detector import Detector
from bff.monitoring.partition_layout import layout_of, set_partition_count
from bff.monitoring.rollups.worker import RollupWorker, WorkerConfig
from bff.settings import Settings
from bff.store.aof_rewrites import AofRewrites
from bff.store.connection import connect_cluster, is_cluster

monitor = AppGroup("monitor", help="Real-time monitoring: rollup workers and the detector.")

BLOCKING_TIMEOUT_S = 30.0


def init_app(app: Flask) -> None:
    app.cli.add_command(monitor)


def blocking_client(app: Flask) -> redis.Redis:
    """A client on the app's Redis with a socket timeout long enough for blocking reads
    (on a Redis Cluster: a cluster client of its own on the same startup nodes)."""
    client = app.extensions["onsite.redis"]
    if is_cluster(client):
        settings: Settings = app.extensions["onsite.settings"]
        return connect_cluster(str(settings.redis_url), BLOCKING_TIMEOUT_S)
    pool = client.connection_pool
    kwargs = dict(pool.connection_kwargs) | {
        "socket_timeout": BLOCKING_TIMEOUT_S,
        "socket_connect_timeout": 5.0,
    }
    return redis.Redis(connection_pool=redis.ConnectionPool(connection_class=pool.connection_class, **kwargs))


class StopFlag:
    """Set by SIGTERM/SIGINT or when ``max_seconds`` have passed."""

    def __init__(self, max_seconds: float) -> None:
        self.event = threading.Event()
        self.deadline = time.monotonic() + max_seconds if max_seconds > 0 else None
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, frame: Any) -> None:
        self.event.set()

    def __call__(self) -> bool:
        if self.deadline is not None and time.monotonic() >= self.deadline:
            self.event.set()
        return self.event.is_set()


@monitor.command("run")
@click.option("--consumer", default=None, help="Unique consumer name (default: host-pid).")
@click.option("--batch", default=200, show_default=True, help="Stream entries read per call.")
@click.option(
    "--claim-idle-ms",
    default=5000,
    show_default=True,
    help="Claim entries a dead worker left pending this long.",
)
@click.option("--max-seconds", default=0.0, help="Stop after this long (0: run until SIGTERM).")
def run_command(consumer: str | None, batch: int, claim_idle_ms: int, max_seconds: float) -> None:
    """Consume the events stream into per-minute rollups."""
    config = WorkerConfig(batch_entries=batch, claim_idle_ms=claim_idle_ms)
    if consumer:
        config = WorkerConfig(consumer=consumer, batch_entries=batch, claim_idle_ms=claim_idle_ms)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    worker = rollup_worker(app, config)
    click.echo(f"monitor worker {config.consumer}: consuming (Ctrl+C to stop)", err=True)
    worker.run(StopFlag(max_seconds))
    click.echo(f"monitor worker {config.consumer}: stopped after counting {worker.counted} events", err=True)


@monitor.command("detect")
@click.option("--interval", default=0.5, show_default=True, help="Seconds between sweeps.")
@click.option("--max-seconds", default=0.0, help="Stop after this long (0: run until SIGTERM).")
def detect_command(interval: float, max_seconds: float) -> None:
    """Sweep the rollups for anomalies and post alerts to Slack."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    settings: Settings = app.extensions["onsite.settings"]
    stop = StopFlag(max_seconds)
    notifier = SlackNotifier(blocking_client(app), settings.slack_webhook_url, settings.public_origin)
    notifier.requeue_unfinished()
    thread = threading.Thread(target=_notify_until, args=(notifier, stop), name="slack-notifier", daemon=True)
    thread.start()
    click.echo("monitor detector: sweeping (Ctrl+C to stop)", err=True)
    Detector(blocking_client(app)).run(stop, interval_s=interval)
    thread.join(timeout=10)
    click.echo("monitor detector: stopped", err=True)


@monitor.command("partitions")
@click.option("--set", "new_count", type=int, default=None, help="Split into this many partitions (1-64).")
def partitions_command(new_count: int | None) -> None:
    """Show (or set) the partition count of the events stream and the rollups."""
    client = current_app.extensions["onsite.redis"]
    if new_count is not None:
        try:
            set_partition_count(client, new_count)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--set") from exc
    click.echo(layout_of(client).count())


def rollup_worker(app: Flask, config: WorkerConfig) -> RollupWorker:
    """A rollup worker on the app's Redis that also runs the due AOF rewrites (erasures)."""
    rewrites: AofRewrites = app.extensions["onsite.aof_rewrites"]
    return RollupWorker(blocking_client(app), config, chores=[lambda: rewrites.run_due(time.time())])


def start_pipeline(app: Flask, stop: Callable[[], bool]) -> list[threading.Thread]:
    """The rollup worker, the detector and the Slack notifier as daemon threads of this
    process until ``stop()`` is true (the demo's one-process pipeline; production runs
    ``monitor run`` and ``monitor detect`` as processes of their own)."""
    settings: Settings = app.extensions["onsite.settings"]
    worker = rollup_worker(app, WorkerConfig())
    notifier = SlackNotifier(blocking_client(app), settings.slack_webhook_url, settings.public_origin)
    detector = Detector(blocking_client(app))
    targets: list[tuple[str, Callable[[], None]]] = [
        ("rollup-worker", lambda: worker.run(stop)),
        ("detector", lambda: detector.run(stop, interval_s=0.5)),
        ("slack-notifier", lambda: _notify_until(notifier, stop)),
    ]
    threads = [threading.Thread(target=target, name=name, daemon=True) for name, target in targets]
    for thread in threads:
        thread.start()
    return threads


def _notify_until(notifier: SlackNotifier, stop: Callable[[], bool]) -> None:
    while not stop():
        try:
            notifier.deliver_next(timeout_s=0.5)
        except redis.RedisError:
            time.sleep(1.0)
