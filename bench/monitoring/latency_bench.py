"""Real detection latency: HTTP ``events.track`` -> stream -> worker -> detector -> Slack POST.

Everything runs on this machine, loopback only, each process with a time limit and stopped
at the end:

* a private ``redis-server`` (``EmbeddedRedis``, AOF on, unix socket);
* the BFF under gunicorn on 127.0.0.1 (the project's ``gunicorn.conf.py``, 2 workers), fed
  over real HTTP by one
  sender thread per merchant (``events.track`` with the merchant's API key: sessions,
  authorizations, orders; batches every ``--tick`` seconds);
* ``flask --app bff monitor run`` worker process(es) and ``flask --app bff monitor
  detect`` (detector + Slack notifier);
* a local HTTP receiver standing in for the Slack webhook, recording when each POST arrives.

Yesterday's rollups (and today's last 20 minutes) are seeded with the same rates as the
live traffic, so the detector has its normal baselines. Live traffic and the detector start
on a minute boundary and run ``--warmup`` seconds; then each trial, 12-20 s after the
previous one (so that its traffic is out of the recent-seconds span), picks a merchant that
has not been used yet and injects an anomaly at a random point of the minute:

* ``auth_spike`` (default): the merchant's server suddenly reports ``--spike-rate`` failed
  authorizations per second on top of its normal traffic (a card-testing burst, an issuer
  failing). Latency = the Slack POST for that merchant arriving at the receiver minus the
  moment the first anomalous batch was accepted (its HTTP 200 returned).
* ``outage``: the merchant stops sending. Latency = the Slack POST minus the moment its
  last batch was accepted (the first missing batch would have been sent one tick later).

The alert document also gives where the time went: ``first_seen_ms`` (the first
significant sweep), ``raised_ms`` and the delivery. Reported: every trial, p50/p95 of the
end-to-end latency, and alerts for other merchants (false alarms) during the run.

Usage: ``python -m bench.monitoring.latency_bench [--trials 12] [--kind auth_spike]
[--workers 1] [--interval 0.25]``; ``--runs N`` repeats the whole run (fresh Redis).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import redis
import requests

from bench.monitoring.latency_traffic import (
    COUNTRIES,
    FAILURE_RATE,
    PROCESS_LIMIT_S,
    RATES,
    Merchant,
    send_loop,
)
from bff.monitoring import keys as monitoring_keys
from bff.monitoring.alerts.store import AlertStore
from bff.monitoring.ingest.enrichment import enrich
from bff.monitoring.ingest.event_schema import validate_event
from bff.monitoring.rollups.aggregation import MINUTE_MS, counted_event, increments
from bff.monitoring.rollups.store import RollupStore
from bff.processes import stop_process
from bff.settings import PROJECT_DIR
from bff.store.api_keys import ApiKeyStore
from bff.store.embedded import EmbeddedRedis
from e2e.loopback import free_port
from tests.slack_receiver import SlackReceiver

STOP_TIMEOUT_S = 10


def seed_baselines(client: redis.Redis, merchants: list[Merchant], now_ms: int) -> None:
    """Yesterday around now and today's last 20 minutes, at the live traffic's expected rates."""
    per_minute: dict[tuple[str, str], float] = defaultdict(
        float
    )  # (bucket, field) -> expected count per minute
    for m in merchants:
        for values, share in m.segments():
            for kind, outcome, rate in (
                ("session", None, RATES["session"]),
                ("authorization", "success", RATES["authorization"] * (1 - FAILURE_RATE)),
                ("authorization", "failure", RATES["authorization"] * FAILURE_RATE),
                ("order_created", None, RATES["order_created"]),
            ):
                raw = m.event(kind, now_ms, values, outcome == "failure")
                wire = validate_event(raw, index=0, now_ms=now_ms, merchant=m.name)
                assert isinstance(wire, dict), wire
                enriched = enrich(wire, from_frame=False, request_user_agent=None, accept_language=None)
                for (_, bucket, name), delta in increments([counted_event(wire, 0, enriched)]).items():
                    per_minute[(bucket, name)] += delta * rate * 60 * share
    minute = now_ms // MINUTE_MS
    store = RollupStore(client)
    # not the minute open while seeding (minute - 1): the detector starts after it closed
    for m_ in [*range(minute - 1440 - 45, minute - 1440 + 45), *range(minute - 21, minute - 1)]:
        counts = Counter(
            {(m_, bucket, name): round(v) for (bucket, name), v in per_minute.items() if round(v)}
        )
        store.add_counts(counts)


def start_process(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(args, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_until(predicate: Any, timeout_s: float, step_s: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step_s)
    return False


def one_run(args: argparse.Namespace, run: int) -> dict[str, Any]:
    var = Path(tempfile.mkdtemp(prefix="latency-bench-"))
    server = EmbeddedRedis(var / "redis")
    url = server.start()
    processes: list[subprocess.Popen[bytes]] = []
    stop = threading.Event()
    threads: list[threading.Thread] = []
    try:
        client = redis.Redis.from_url(url)
        keys = ApiKeyStore(client)
        now = dt.datetime.now(dt.UTC)
        merchants = [
            Merchant(
                f"lat{i:02d}",
                keys.create(f"lat{i:02d}", "merchant_admin", "latency bench", now)[0],
                (COUNTRIES[i % len(COUNTRIES)], COUNTRIES[(i + 1) % len(COUNTRIES)]),
                seed=1000 * run + i,
            )
            for i in range(args.trials)
        ]
        with SlackReceiver.running("/services/T0/B0/latency") as rec:
            port = free_port()
            env = {
                **os.environ, "REDIS_URL": url, "VAR_DIR": str(var), "ONSITE_LOG_LEVEL": "warning",
                "PYTHONPATH": str(PROJECT_DIR), "SLACK_WEBHOOK_URL": rec.url,
                "ONSITE_PUBLIC_ORIGIN": f"http://127.0.0.1:{port}",
                "ONSITE_EVENTS_RATE_PER_KEY": "5000/second",
                # gunicorn.conf.py makes gunicorn production; the workers share the same key
                "ONSITE_SECRET_KEY": secrets.token_hex(32),
            }  # fmt: skip
            logs = var / "processes.log"
            (var / "metrics").mkdir()  # gunicorn.conf.py's metrics dir: the preloaded app checks it
            limit = str(PROCESS_LIMIT_S)
            processes.append(start_process(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "bff:create_app()"],
                env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}, logs))  # fmt: skip
            base = f"http://127.0.0.1:{port}"
            # the app seeds the demo merchant at start: let gunicorn do it before the others start
            if not wait_until(lambda: _answers(base), 60, 0.1):
                raise RuntimeError(f"the BFF did not start; see {logs}")
            for w in range(args.workers):
                processes.append(start_process(
                    [sys.executable, "-m", "flask", "--app", "bff", "monitor", "run", "--consumer", f"w{w}",
                     "--max-seconds", limit], env, logs))  # fmt: skip
            # live traffic starts on a minute boundary, after seeding the baselines
            start_ms = (int(time.time() * 1000) // MINUTE_MS + 1) * MINUTE_MS
            seed_baselines(client, merchants, start_ms)
            time.sleep(max(0.0, start_ms / 1000 - time.time()))
            processes.append(start_process(
                [sys.executable, "-m", "flask", "--app", "bff", "monitor", "detect", "--interval",
                 str(args.interval), "--max-seconds", limit], env, logs))  # fmt: skip
            for m in merchants:
                thread = threading.Thread(target=send_loop, args=(base, m, args.tick, stop), daemon=True)
                thread.start()
                threads.append(thread)
            time.sleep(args.warmup)
            warmup_alerts = len(rec.requests)
            trials = []
            for m in merchants:
                # apart from the previous trial's traffic by more than the recent-seconds span,
                # at a random point of the minute
                time.sleep(random.uniform(12.0, 20.0))
                if args.kind == "outage":
                    m.silent = True
                    wait_until(lambda: False, args.tick * 1.5)
                    started = m.last_accept
                else:
                    m.spike_rate = args.spike_rate
                    wait_until(lambda m=m: m.first_anomalous_accept is not None, 10)
                    started = m.first_anomalous_accept
                wait_until(lambda m=m: _raised_for(rec, m.name) is not None, args.trial_timeout)
                posted = _raised_for(rec, m.name)
                m.spike_rate, m.silent = 0.0, False
                trials.append(_trial(client, m, started, posted))
                if started is not None:
                    trials[-1]["started_at_s"] = round(started - start_ms / 1000, 1)
            other = [
                msg["text"] for msg in rec.messages()
                if msg["text"].startswith("Anomaly") and not any(_names(msg, m.name) for m in merchants)
            ]  # fmt: skip
            return {"run": run, "trials": trials, "alerts_before_first_trial": warmup_alerts,
                    "other_alerts": other, "send_errors": sum(m.errors for m in merchants),
                    "alerts": _alerts(client, start_ms)}  # fmt: skip
    finally:
        stop.set()
        for thread in threads:
            thread.join(STOP_TIMEOUT_S)
        for process in reversed(processes):
            stop_process(process)
        server.stop()


def _raised_for(rec: SlackReceiver, merchant: str) -> float | None:
    """When the first anomaly alert naming ``merchant`` arrived."""
    with rec.lock:
        raised = [
            r["at"]
            for r in rec.requests
            if r["json"]["text"].startswith("Anomaly") and _names(r["json"], merchant)
        ]
    return raised[0] if raised else None


def _names(message: dict[str, Any], merchant: str) -> bool:
    """Whether a Slack message's title names ``merchant`` (alone or with more dimensions)."""
    text = str(message.get("text", ""))
    return f"(merchant {merchant})" in text or f"(merchant {merchant}," in text


def _answers(base: str) -> bool:
    try:
        return requests.get(f"{base}/healthz", timeout=1).status_code < 500
    except requests.RequestException:
        return False


def _trial(client: redis.Redis, m: Merchant, started: float | None, posted: float | None) -> dict[str, Any]:
    trial: dict[str, Any] = {"merchant": m.name, "detected": posted is not None and started is not None}
    if started is None or posted is None:
        return trial
    trial["latency_s"] = round(posted - started, 3)
    trial["second_of_minute"] = round(started % 60, 1)
    ids = client.hgetall(monitoring_keys.open_alerts())
    for root, alert_id in ids.items():
        if _text(root).startswith(f"merchant={m.name}"):
            raw = client.get(monitoring_keys.alert_key(_text(alert_id)))
            if raw:
                alert = json.loads(raw)
                trial["root"] = alert["root"]
                trial["first_significant_s"] = round(alert["first_seen_ms"] / 1000 - started, 3)
                trial["raised_s"] = round(alert["raised_ms"] / 1000 - started, 3)
                trial["evidence"] = [f"{e['metric']}:{e['direction']}" for e in alert["evidence"]]
    return trial


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--trials", type=int, default=12, help="trials per run (one merchant each)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--kind", choices=("auth_spike", "outage"), default="auth_spike")
    parser.add_argument("--spike-rate", type=float, default=20.0, help="failed authorizations per second")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--interval", type=float, default=0.5, help="detector sweep interval (s)")
    parser.add_argument("--tick", type=float, default=0.2, help="seconds between a sender's batches")
    parser.add_argument("--warmup", type=float, default=20.0)
    parser.add_argument("--trial-timeout", type=float, default=60.0)
    args = parser.parse_args()
    runs = [one_run(args, run) for run in range(args.runs)]
    latencies = [t["latency_s"] for r in runs for t in r["trials"] if "latency_s" in t]
    summary = {
        "kind": args.kind,
        "interval_s": args.interval,
        "workers": args.workers,
        "trials": sum(len(r["trials"]) for r in runs),
        "detected": len(latencies),
        "latency_s_p50": round(float(np.percentile(latencies, 50)), 3) if latencies else None,
        "latency_s_p95": round(float(np.percentile(latencies, 95)), 3) if latencies else None,
        "latency_s_max": max(latencies) if latencies else None,
        "median_first_significant_s": _median(
            [t.get("first_significant_s") for r in runs for t in r["trials"]]
        ),
        "median_raised_s": _median([t.get("raised_s") for r in runs for t in r["trials"]]),
    }
    print(json.dumps({"summary": summary, "runs": runs}, indent=2))


def _alerts(client: redis.Redis, start_ms: int) -> list[dict[str, Any]]:
    """Every alert raised during the run: when (s after live traffic started), root, evidence."""
    return [
        {"at_s": round((a["raised_ms"] - start_ms) / 1000, 1), "root": a["root"], "status": a["status"],
         "evidence": [f"{e['metric']}@{e.get('span') or '1m'}:{e['direction']} {e['observed']:g} vs "
                      f"{e['expected']:g} q={e['q_value']:.1g}" for e in a["evidence"]]}
        for a in sorted(AlertStore(client).recent(500), key=lambda a: a["raised_ms"])
    ]  # fmt: skip


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _median(values: list[Any]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 3) if present else None


if __name__ == "__main__":
    main()
