"""``flask --app bff demo ...``: serve the demo, replay shoppers, receive its Slack alerts.

* ``demo [--monitoring]``: the demo shop and the frames with the dev server (not for
  production); with ``--monitoring`` (what bin/demo passes) the rollup worker, the detector
  and the Slack notifier run in the same process.
* ``demo traffic [--duration 180] [--rate 5] [--anomaly-after auto] [--no-backfill]``:
  simulated shoppers through a running demo's public endpoints (``bff.demo_traffic``),
  after writing the history days' rollups the detector compares with, and today's up to
  the replay's start (``bff.demo_backfill``).
* ``demo slack-receiver [--port 5099]``: a local stand-in for a Slack incoming webhook that
  prints each alert; start the demo with ``SLACK_WEBHOOK_URL=http://127.0.0.1:5099/slack``.

Each stops cleanly on Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from werkzeug.serving import run_simple

from bff.demo_backfill import (
    SAMPLE_VISITS,
    backfill_history,
    expected_per_minute,
    fill_today,
    history_days,
    history_minutes,
    mark_replayed,
)
from bff.demo_merchant_server import demo_api_key, http_transport
from bff.demo_shoppers import Shopper
from bff.demo_traffic import TrafficConfig, render_call, replay
from bff.monitoring.cli import start_pipeline
from bff.settings import Settings
from bff.slack_receiver import SlackReceiver

PIPELINE_STOP_TIMEOUT_S = 2.0
RECEIVER_PORT = 5099


@click.group("demo", cls=AppGroup, invoke_without_command=True)
@click.option(
    "--monitoring", is_flag=True, help="Also run the rollup worker, the detector and the Slack notifier."
)
@click.pass_context
def demo_group(context: click.Context, monitoring: bool) -> None:
    """Serve the demo shop and the frames with the dev server (not for production); with
    ``--monitoring`` (what bin/demo passes) the monitoring pipeline runs in the same process.
    Subcommands: ``traffic`` (simulated shoppers), ``slack-receiver``."""
    if context.invoked_subcommand is None:
        _serve(monitoring)


def _serve(monitoring: bool) -> None:
    settings: Settings = current_app.extensions["onsite.settings"]
    public = urlsplit(settings.public_origin)
    port = public.port or 80
    click.echo(f"Demo shop:  {settings.demo_origin}/demo")
    click.echo(f"Frames/BFF: {settings.public_origin}  (Ctrl+C to stop)")
    click.echo(f"Console:    {settings.public_origin}/console  (first user: docs/merchants.md)")
    click.echo(f"Dashboard:  {settings.public_origin}/monitoring")
    _stop_on_signals(interrupt=True)
    # Not app.run(): inside a `flask` command Flask turns it into a no-op (FLASK_RUN_FROM_CLI).
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stopped = threading.Event()
    threads = start_pipeline(app, stopped.is_set) if monitoring else []
    try:
        run_simple(public.hostname or "127.0.0.1", port, app, threaded=True)
    finally:
        # One short wait for all three: they are daemon threads, and what they leave undone
        # is safe (rollups commit atomically; unacknowledged events are claimed next time).
        stopped.set()
        deadline = time.monotonic() + PIPELINE_STOP_TIMEOUT_S
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))


@demo_group.command("traffic")
@click.option("--duration", default=180.0, show_default=True, help="Seconds to run (at most 3600).")
@click.option("--rate", default=5.0, show_default=True, help="New shoppers a second (at most 20).")
@click.option(
    "--anomaly-after",
    default="auto",
    show_default=True,
    help="Seconds until Firefox impressions stop: 'auto' (5 s after the second minute boundary, "
    "when a running detector reads the backfilled history; half a shorter run), a number, or 'none'; "
    "SIGUSR1 (kill -USR1 PID) starts it at once.",
)
@click.option(
    "--backfill/--no-backfill",
    default=True,
    show_default=True,
    help="Write the history days and today's traffic up to the start first.",
)
@click.option("--backfill-only", is_flag=True, help="Write the history days and today's, then stop.")
@click.option(
    "--backfill-sample",
    default=SAMPLE_VISITS,
    show_default=True,
    type=click.IntRange(1, 2000),
    help="Visits rendered to estimate the rates (spread over the 48 market x browser x channel strata).",
)
@click.option("--target", default=None, help="The demo's public origin (default: ONSITE_PUBLIC_ORIGIN).")
@click.option("--seed", default=None, type=int, help="Seed of the simulation (default: random).")
def traffic_command(
    duration: float,
    rate: float,
    anomaly_after: str,
    backfill: bool,
    backfill_only: bool,
    backfill_sample: int,
    target: str | None,
    seed: int | None,
) -> None:
    """Replay simulated shoppers through a running demo (bin/demo) for a few minutes."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    settings: Settings = app.extensions["onsite.settings"]
    public = (target or settings.public_origin).rstrip("/")
    config = TrafficConfig(
        public,
        settings.demo_origin,
        demo_api_key(app),
        duration,
        rate,
        _anomaly_start(anomaly_after, duration),
        seed,
    )
    problem = config.problem()
    if problem is not None:
        raise click.BadParameter(problem)
    if backfill or backfill_only:
        _backfill(app, config, backfill_sample)
    if backfill_only:
        return
    stop = _stop_on_signals()
    anomaly_now = threading.Event()
    signal.signal(signal.SIGUSR1, lambda signum, frame: anomaly_now.set())
    click.echo(f"Replaying {rate:g} shoppers a second for {duration:g} s against {public} (Ctrl+C to stop)")
    client = app.extensions["onsite.redis"]
    # The replay's own span is today's traffic: a later fill starts where it ends, and
    # where it planned to end if it is killed (a gap, never twice the traffic).
    mark_replayed(client, int((time.time() + duration) * 1000))
    try:
        report = replay(config, stop.is_set, http_transport, out=click.echo, start_anomaly=anomaly_now.is_set)
    finally:
        mark_replayed(client, int(time.time() * 1000))
    for problem, count in report.problems.most_common(5):
        click.echo(f"  {count} x {problem}", err=True)
    if report.shoppers and report.renders_failed == report.shoppers:
        raise click.ClickException(f"no render succeeded: is the demo running at {public}?")


def _anomaly_start(raw: str, duration_s: float) -> float | None:
    """``--anomaly-after``: 'none', a number of seconds, or 'auto' (see its help; half the
    run when the run ends before that)."""
    if raw == "none":
        return None
    if raw == "auto":
        return min(120.0 - (time.time() % 60.0) + 5.0, duration_s / 2)
    try:
        return float(raw)
    except ValueError as exc:
        raise click.BadParameter(
            "must be 'auto', 'none' or a number of seconds", param_hint="--anomaly-after"
        ) from exc


def _backfill(app: Flask, config: TrafficConfig, sample: int) -> None:
    """Write the history days' minutes around the replay and today's up to now, the open
    minute's elapsed part included (``bff.demo_backfill``)."""
    now_ms = int(time.time() * 1000)

    def render(shopper: Shopper) -> dict[str, Any] | None:
        try:
            status, reply = http_transport(
                f"{config.public_origin}/rpc", render_call(shopper), {"User-Agent": shopper.user_agent}
            )
        except OSError as exc:
            raise click.ClickException(f"the demo does not answer at {config.public_origin}: {exc}") from exc
        result = reply.get("result") if status == 200 and isinstance(reply, dict) else None
        return result if isinstance(result, dict) else None

    click.echo("Backfilling the history days the detector compares with (a few seconds) ...")
    expected = expected_per_minute(render, config.rate, now_ms, config.shop_origin, sample=sample)
    minutes = history_minutes(now_ms, config.duration_s, history_days())
    client = app.extensions["onsite.redis"]
    written = backfill_history(client, expected, minutes)
    click.echo(
        f"  {written} of {len(minutes)} history minutes written ({len(minutes) - written} were already)"
    )
    # Today's too, right before the replay, so that its first (partial) minute continues
    # today's traffic instead of reading as a drop against the history.
    start, end = fill_today(client, expected, int(time.time() * 1000))
    click.echo(f"  today's traffic filled for the {(end - start) / 60_000:.1f} minutes up to now")


@demo_group.command("slack-receiver")
@click.option("--port", default=RECEIVER_PORT, show_default=True, help="Loopback port to listen on.")
def slack_receiver_command(port: int) -> None:
    """Print the Slack messages the demo's detector posts (a local incoming webhook)."""
    stop = _stop_on_signals()

    def show(message: dict[str, Any]) -> None:
        click.echo(f"--- {time.strftime('%H:%M:%S')} {message.get('text', '')}")
        click.echo(json.dumps(message.get("blocks", []), indent=1, ensure_ascii=False)[:4000])

    with SlackReceiver.running(path="/slack", port=port, on_message=show) as receiver:
        click.echo(f"Listening: start the demo with SLACK_WEBHOOK_URL={receiver.url}  (Ctrl+C to stop)")
        while not stop.wait(0.5):
            pass
    click.echo(f"Received {len(receiver.messages())} messages")


def _stop_on_signals(interrupt: bool = False) -> threading.Event:
    """SIGINT and SIGTERM set the returned event; with ``interrupt`` they also raise
    ``KeyboardInterrupt`` in the main thread, as Ctrl+C does, so that the dev server's loop
    ends and the atexit hook that stops the embedded redis-server runs (Python's default
    for SIGTERM would end the process without unwinding). Loops that check the event
    finish their step instead (the replay: within a tick and an HTTP timeout)."""
    stopped = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopped.set()
        if interrupt:
            raise KeyboardInterrupt

    # Explicitly for SIGINT too: a shell starting a background job ignores SIGINT, and
    # Python then keeps it ignored; Ctrl+C or `kill -INT` must still stop the command.
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return stopped
