"""``flask --app bff demo traffic`` against a live demo: events arrive, the funnel moves, and
its anomaly (Firefox impressions stop) reaches a local Slack receiver as an alert of its own.

Real processes on loopback: the demo (``flask demo``, HTTP, on the session's redis-server),
``flask monitor run`` and ``flask monitor detect`` (posting to the local receiver), and the
replay itself. One replay serves every test of the module (``replay``): ``demo traffic``
backfills the history days and today's traffic up to its start, then replays; the detector
(standing by until then) takes over once it replays, so its first sweep reads the whole
backfill; it watches normal traffic for ``NORMAL_S``, then the anomaly is started (SIGUSR1)
and the replay is stopped (SIGINT, as Ctrl+C) once the alert is in.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import pytest
import redis

from bff.attribution.funnel import FunnelStore
from bff.attribution.store import AttributionStore
from bff.monitoring import keys
from bff.monitoring.alerts.store import AlertStore
from bff.processes import stop_process
from bff.settings import PROJECT_DIR
from bff.store.embedded import EmbeddedRedis
from tests.slack_receiver import SlackReceiver
from tests.test_demo_command import demo_server

# 15 shoppers a second: Firefox impressions ~190 a minute, ~30 in the last 10 s. The replay
# is bounded (--duration) and stopped once the alert is in; the anomaly starts on SIGUSR1.
TRAFFIC = ("--rate", "15", "--duration", "90", "--anomaly-after", "none", "--backfill-sample", "96")
NORMAL_S = 12  # the detector's sweeps of normal traffic before the anomaly (its last-10-s tests too)
COMMAND_TIMEOUT_S = 60
DETECTOR_START_S = 45
ALERT_WAIT_S = 40  # from the anomaly's start
STOP_WAIT_S = 10
DETECTOR_LEASE = f"{keys.PREFIX}:detector:lease"  # bff/monitoring/detection/detector.py
ANOMALY_LINE = re.compile(r"anomaly from (\d\d:\d\d:\d\d\.\d{3}) UTC: Firefox shoppers' impressions stop")


@dataclass(frozen=True)
class Replay:
    """What one replay left: its output, the alerts raised, the Slack messages received, when
    the anomaly started and the detector first swept (ms since the epoch), its Redis."""

    output: str
    alerts: list[dict[str, Any]]
    messages: list[dict[str, Any]]
    anomaly_ms: int | None
    first_sweep_ms: int
    client: redis.Redis


def _traffic_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "bff", "demo", "traffic", *args]


def _monitor(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    """``flask monitor ARGS`` (bounded by ``--max-seconds``); stopped by the caller."""
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "bff", "monitor", *args, "--max-seconds", "150"],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait_for(condition: Any, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _anomaly_ms(output: str) -> int | None:
    """The anomaly's start (the replay prints its UTC clock time) in ms since the epoch."""
    found = ANOMALY_LINE.search(output)
    if found is None:
        return None
    now = dt.datetime.now(dt.UTC)
    clock = dt.datetime.strptime(found.group(1), "%H:%M:%S.%f").time()
    at = dt.datetime.combine(now.date(), clock, dt.UTC)
    if at > now + dt.timedelta(hours=1):  # printed before midnight, read after
        at -= dt.timedelta(days=1)
    return int(at.timestamp() * 1000)


def _firefox_impressions(alert: dict[str, Any]) -> bool:
    return "browser=Firefox" in alert["root"] and any(
        f["metric"] == "impression" and f["direction"] == "down" for f in alert["evidence"]
    )


def _described(replay: Replay) -> str:
    """The alerts raised (when, relative to the anomaly; evidence) and the replay's output."""
    start = replay.anomaly_ms or 0
    lines = [
        f"{a['root']} at {(a['raised_ms'] - start) / 1000:+.1f}s (elapsed {a['elapsed']}): "
        + "; ".join(
            f"{f['metric']}{'@' + f['span'] if f['span'] else ''} {f['direction']} "
            f"{f['observed']:g} vs {f['expected']:g} ({f['baseline']})"
            for f in a["evidence"]
        )
        for a in sorted(replay.alerts, key=lambda a: a["raised_ms"])
    ]
    return "\n".join([*lines, replay.output])


@pytest.fixture(scope="module")
def replay(redis_server: EmbeddedRedis, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replay]:
    """One replay at 15 shoppers a second (backfill first), watched by a rollup worker and a
    detector (sweeping every 0.25 s once the backfill is written) posting to a local Slack
    receiver; Firefox impressions lost after ``NORMAL_S`` of the detector's sweeps."""
    tmp = tmp_path_factory.mktemp("demo-traffic")
    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    env = {
        **os.environ,
        "REDIS_URL": redis_server.url,
        "VAR_DIR": str(tmp / "var"),
        "ONSITE_LOG_LEVEL": "warning",
        "PYTHONPATH": str(PROJECT_DIR),
        "PYTHONUNBUFFERED": "1",
    }
    processes: list[subprocess.Popen[Any]] = []
    lines: list[str] = []
    alerts = AlertStore(client)
    # The detector starts while the demo does, on standby: this test holds its lease until
    # the backfill is written, so that its first sweep reads all of it (a detector keeps
    # the minutes it read: bff/demo_backfill.py).
    client.set(DETECTOR_LEASE, "test", ex=COMMAND_TIMEOUT_S)
    with SlackReceiver.running() as slack:
        try:
            processes.append(_monitor(env, "run"))
            processes.append(
                _monitor({**env, "SLACK_WEBHOOK_URL": slack.url}, "detect", "--interval", "0.25")
            )
            with demo_server(tmp, env=env) as (_, port, _):
                origins = {
                    "ONSITE_PUBLIC_ORIGIN": f"http://127.0.0.1:{port}",
                    "ONSITE_DEMO_ORIGIN": f"http://localhost:{port}",
                }
                run = subprocess.Popen(
                    _traffic_command(*TRAFFIC), cwd=PROJECT_DIR, env={**env, **origins},
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                )  # fmt: skip
                processes.append(run)
                reader = threading.Thread(target=_read_into, args=(run.stdout, lines), daemon=True)
                reader.start()
                _wait_for(lambda: any(line.startswith("Replaying") for line in lines), COMMAND_TIMEOUT_S,
                          "the backfill and the replay's start")  # fmt: skip
                client.delete(DETECTOR_LEASE)
                _wait_for(
                    lambda: client.exists(keys.detector_state()), DETECTOR_START_S, "the detector's sweep"
                )
                first_sweep_ms = int(time.time() * 1000)
                time.sleep(NORMAL_S)  # the detector watches normal traffic this long: the point
                run.send_signal(signal.SIGUSR1)
                deadline = time.monotonic() + ALERT_WAIT_S
                while time.monotonic() < deadline and run.poll() is None:
                    if any(_firefox_impressions(a) for a in alerts.recent()) and slack.messages():
                        break
                    time.sleep(0.2)
                run.send_signal(signal.SIGINT)
                run.wait(timeout=STOP_WAIT_S)
                reader.join(timeout=STOP_WAIT_S)
            output = "".join(lines)
            yield Replay(
                output, alerts.recent(), slack.messages(), _anomaly_ms(output), first_sweep_ms, client
            )
        finally:
            for process in processes:
                stop_process(process, STOP_WAIT_S)
            client.close()


def _read_into(stream: IO[str], lines: list[str]) -> None:
    """Append each line of ``stream`` to ``lines`` as it comes, until the end."""
    for line in stream:
        lines.append(line)


def test_the_replay_moves_the_funnel_through_the_public_endpoints(replay: Replay) -> None:
    assert "history minutes written" in replay.output
    assert "today's traffic filled" in replay.output
    assert "anomaly from" in replay.output
    last = replay.output.strip().splitlines()[-1]
    assert "rejected 0, dropped 0" in last, replay.output
    sent = {kind: int(n) for kind, n in re.findall(r"(\w+) (\d+)", last.split("accepted:")[1])}
    assert sent["session"] > 150 and sent["impression"] > 100 and sent["order_created"] > 0, last

    today = dt.datetime.now(dt.UTC).date()
    span = (today - dt.timedelta(days=1), today)
    funnel = FunnelStore(replay.client).funnel("demo", span)
    variants = {r.variant for r in funnel if r.campaign_id == "us-lead-test"}
    assert variants == {"lead-pay-in-4", "lead-pay-later"}
    moved = {
        kind: sum(getattr(r, kind) for r in funnel) for kind in ("views", "impressions", "clicks", "opens")
    }
    assert moved["views"] > 150 and moved["impressions"] > 100 and moved["clicks"] > 0, moved
    orders = AttributionStore(replay.client).attributed_orders("demo", span)
    assert sum(r.orders for r in orders if r.model == "all") > 0
    assert sum(r.orders for r in orders if r.model == "last_touch") > 0  # touches came first


def test_the_replays_anomaly_is_raised_on_its_own_and_posted_to_slack(replay: Replay) -> None:
    raised = _described(replay)
    assert replay.anomaly_ms is not None, replay.output
    assert replay.anomaly_ms - replay.first_sweep_ms >= NORMAL_S * 1000, raised
    # The replay's normal traffic is no anomaly: no alert before the anomaly, in particular
    # no drop of all traffic or of the merchant in the replay's first, partial minute (it
    # continues today's backfilled traffic).
    assert not [a for a in replay.alerts if a["raised_ms"] < replay.anomaly_ms], raised
    # The anomaly is the root cause of an alert of its own, not attached to another one.
    firefox = [a for a in replay.alerts if _firefox_impressions(a)]
    assert firefox, raised
    assert {a["root"] for a in firefox} <= {"browser=Firefox", "merchant=demo|browser=Firefox"}, raised
    texts = [str(m.get("text")) for m in replay.messages]
    assert any("Firefox" in t and "impressions" in t for t in texts), texts
